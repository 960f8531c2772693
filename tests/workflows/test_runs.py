"""Workflow runs through the API with a real worker and render host: a tenant's own workflow on
an output type, the run's nodes, the dry run, and what cannot be run or retried."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core import events
from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.orders.conftest import create_order, wait_order
from tests.orders.test_rendering import bearing_product
from tests.support.factories import MadeTenant, make_output_type
from tests.support.fixtures import Party
from tests.workflows.conftest import CAD_PROCESSING, STILL, AsRole, code_of, edge, node

pytestmark = pytest.mark.usefixtures("celery_worker_process")


def _side_view_workflow(client: TestClient, admin: Party) -> dict[str, Any]:
    """A copy of the Still built-in whose render node looks from the side."""
    copy = client.post(f"/api/workflows/{STILL}/copy", json={"name": "Side view"}, headers=admin.headers)
    assert copy.status_code == 201, copy.text
    workflow = copy.json()
    config = workflow["config"]
    for n in config["nodes"]:
        if n["step"] == "render_still":
            n["params"] = {"position": "side"}
    saved = client.post(
        f"/api/workflows/{workflow['id']}/versions",
        json={"config": config, "note": "side"},
        headers=admin.headers,
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["version"] == 2
    return dict(workflow)


def _runs(client: TestClient, party: Party, subject_id: str) -> list[dict[str, Any]]:
    response = client.get("/api/workflow-runs", params={"subject_id": subject_id}, headers=party.headers)
    assert response.status_code == 200, response.text
    return list(response.json())


def test_an_output_types_own_workflow_renders_its_lines_and_the_run_shows_each_node(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase, tenant: MadeTenant
) -> None:
    admin, pm = as_role(tenant, Role.TENANT_ADMIN), as_role(tenant, Role.PROJECT_MANAGER)
    workflow = _side_view_workflow(client, admin)
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL, position="front")
    assigned = client.patch(
        f"/api/output-types/{still}", json={"workflow_id": workflow["id"]}, headers=admin.headers
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["workflow_id"] == workflow["id"]
    product = bearing_product(client, pm, "6000-WF")

    dry = client.post(
        f"/api/workflows/{workflow['id']}/dry-run",
        json={"product_id": product["id"], "output_type_id": str(still)},
        headers=pm.headers,
    )
    assert dry.status_code == 200, dry.text
    planned = {n["node_id"]: n for n in dry.json()["nodes"]}
    render = next(n for n in planned.values() if n["step"] == "render_still")
    assert render["resolved_params"]["position"] == "side"  # the node's param over the output type's
    assert render["resolved_params"]["width"] == 64  # the output type's own setting
    assert [n["level"] for n in dry.json()["nodes"]] == [0, 1, 2]

    order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[str(still)])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
    done = wait_order(client, pm, order["id"], lambda o: o["status"] == "completed", what="completed")
    (line,) = done["lines"]
    assert line["render_status"] == "completed", line["job_document"].get("error")
    rendered = next(s for s in line["job_document"]["steps"] if s["name"] == "render_still")
    assert rendered["outputs"]["render"]["position"] == "side"

    (run,) = _runs(client, pm, line["id"])
    assert run["workflow_name"] == "Side view" and run["version"] == 2 and run["status"] == "completed"
    assert [n["status"] for n in run["nodes"]] == ["completed"] * 3
    assert all(n["attempts"] == 1 and n["duration_s"] is not None for n in run["nodes"])
    assert client.get(f"/api/workflow-runs/{run['id']}", headers=pm.headers).json()["id"] == run["id"]
    retry = client.post(
        f"/api/workflow-runs/{run['id']}/nodes/{run['nodes'][1]['node_id']}/retry", headers=pm.headers
    )
    assert retry.status_code == 409 and code_of(retry) == "run_not_retryable"

    in_use = client.delete(f"/api/workflows/{workflow['id']}", headers=admin.headers)
    assert in_use.status_code == 409 and code_of(in_use) == "workflow_in_use"


def test_retrying_a_failed_node_of_a_finished_order_reopens_it_and_settles_it_again(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase
) -> None:
    """A line failed because its product had no CAD file; the PM links one and retries the failed
    node: the order goes back to processing, the line renders, and the order completes again."""
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL, position="front")
    bearing = bearing_product(client, pm, "6000-LATER")
    created = client.post(
        "/api/products", json={"pim_id": "6000-NOCAD", "name": "No CAD yet"}, headers=pm.headers
    )
    assert created.status_code == 201, created.text
    product = created.json()
    order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[str(still)])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
    failed = wait_order(client, pm, order["id"], lambda o: o["status"] == "completed", what="completed")
    assert failed["outcome"] == "completed_with_failures"
    (line,) = failed["lines"]
    (run,) = _runs(client, pm, line["id"])
    assert [n["status"] for n in run["nodes"]] == ["failed", "skipped", "skipped"]
    check = run["nodes"][0]["node_id"]

    linked = client.patch(
        f"/api/products/{product['id']}", json={"cad_file_id": bearing["cad_file_id"]}, headers=pm.headers
    )
    assert linked.status_code == 200, linked.text
    retry = client.post(f"/api/workflow-runs/{run['id']}/nodes/{check}/retry", headers=pm.headers)
    assert retry.status_code == 200, retry.text
    reopened = client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()
    assert reopened["status"] == "processing" and reopened["outcome"] is None
    assert "reopen" not in reopened["allowed_transitions"]
    assert reopened["history"][-1]["transition"] == "reopen"
    assert reopened["history"][-1]["by"] == str(pm.user.id)

    done = wait_order(
        client, pm, order["id"], lambda o: o["status"] == "completed", what="completed after the retry"
    )
    assert done["outcome"] == "completed", done["lines"][0]["job_document"].get("error")
    transitions = [h["transition"] for h in done["history"] if h.get("transition")]
    assert transitions[-2:] == ["reopen", "complete"]
    (again,) = _runs(client, pm, line["id"])
    assert again["id"] == run["id"] and again["status"] == "completed"
    assert [n["attempts"] for n in again["nodes"]] == [2, 1, 1]
    assert done["lines"][0]["media"], "the retried line delivered its render"
    refused = client.post(f"/api/workflow-runs/{run['id']}/nodes/{check}/retry", headers=pm.headers)
    assert refused.status_code == 409 and code_of(refused) == "run_not_retryable"
    told = client.get("/api/notifications", headers=pm.headers).json()["items"]
    about = [n["detail"].get("outcome") for n in told if n["target_id"] == order["id"]]
    assert about == ["completed", "completed_with_failures"]  # newest first: told how it ended, twice


def test_a_cad_upload_runs_the_cad_processing_workflow_and_tells_each_node_live(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, redis_client: Any
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    live = redis_client.pubsub()
    live.subscribe(events.channel_for(tenant.id))  # what /api/ws relays to the tenant's browsers
    product = bearing_product(client, pm, "6000-CAD")
    deadline = time.monotonic() + 120
    runs: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        runs = _runs(client, pm, product["cad_file_id"])
        if runs and runs[0]["status"] != "running":
            break
        time.sleep(0.5)
    assert runs and runs[0]["workflow_name"] == "CAD processing", runs
    assert [(n["step"], n["status"]) for n in runs[0]["nodes"]] == [
        ("occ_glb_export", "completed"),
        ("extract_metadata", "completed"),
        ("auto_materials", "completed"),
        ("render_thumbnail", "completed"),
    ]
    dry = client.post(
        f"/api/workflows/{CAD_PROCESSING}/dry-run",
        json={"cad_file_id": product["cad_file_id"]},
        headers=pm.headers,
    )
    assert dry.status_code == 200, dry.text
    convert = next(n for n in dry.json()["nodes"] if n["node_id"] == "convert")
    assert set(convert["resolved_params"]) == {
        "gltf_preview_linear_deflection", "gltf_production_linear_deflection",
        "conversion_timeout_s", "conversion_memory_mb",
    }  # fmt: skip  # the tenant's settings the step's params override
    told: list[tuple[str, str, str]] = []
    deadline = time.monotonic() + 30
    while (
        (message := live.get_message(timeout=1.0)) is not None or not told
    ) and time.monotonic() < deadline:
        if message and message["type"] == "message":
            event = json.loads(message["data"])
            if event.get("type") == "workflow_node" and event["run_id"] == runs[0]["id"]:
                told.append((event["node_id"], event["status"], event["run_status"]))
    live.close()
    assert ("convert", "running", "running") in told
    assert ("convert", "queued", "running") not in told  # a new run's entry is not announced
    assert ("metadata", "queued", "running") in told and ("thumbnail", "completed", "completed") in told


def test_two_stills_from_different_positions_and_a_glb_in_one_line(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase, tenant: MadeTenant
) -> None:
    """A tenant's workflow fans out to three renders of one line and delivers them together."""
    admin, pm = as_role(tenant, Role.TENANT_ADMIN), as_role(tenant, Role.PROJECT_MANAGER)
    config = {
        "version": 1,
        "nodes": [node("check", "check_cad"), node("front", "render_still", position="front"),
                  node("side", "render_still", position="side"), node("glb", "export_glb"),
                  node("deliver", "deliver")],
        "edges": [edge("check", "front"), edge("check", "side"), edge("check", "glb"),
                  edge("front", "deliver"), edge("side", "deliver"), edge("glb", "deliver")],
    }  # fmt: skip
    created = client.post(
        "/api/workflows", json={"name": "Two views + GLB", "subject": "order_line", "config": config},
        headers=admin.headers,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL)
    assigned = client.patch(
        f"/api/output-types/{still}", json={"workflow_id": created.json()["id"]}, headers=admin.headers
    )
    assert assigned.status_code == 200, assigned.text
    product = bearing_product(client, pm, "6000-3V")
    order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[str(still)])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
    done = wait_order(client, pm, order["id"], lambda o: o["status"] == "completed", what="completed")
    (line,) = done["lines"]
    assert line["render_status"] == "completed", line["job_document"].get("error")
    renders = {
        s["node"]: s for s in line["job_document"]["steps"] if s["name"] in ("render_still", "export_glb")
    }
    assert renders["front"]["outputs"]["render"]["position"] == "front"
    assert renders["side"]["outputs"]["render"]["position"] == "side"
    assets = client.get("/api/media/assets", params={"order_id": order["id"]}, headers=pm.headers).json()[
        "items"
    ]
    kinds = sorted(a["kind"] for a in assets if a["role"].endswith("main"))
    assert kinds == ["glb", "still", "still"], assets
    assert len({a["file_name"] for a in assets}) == len(assets)  # the two stills are named apart
    (run,) = _runs(client, pm, line["id"])
    assert run["status"] == "completed"
    assert {n["node_id"]: n["status"] for n in run["nodes"]} == dict.fromkeys(
        ["check", "front", "side", "glb", "deliver"], "completed"
    )


def test_workflows_order_lines_cannot_run_are_refused_where_they_would_be_given_to_lines(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase, tenant: MadeTenant
) -> None:
    admin = as_role(tenant, Role.TENANT_ADMIN)
    undelivered = {
        "version": 1,
        "nodes": [node("check", "check_cad"), node("a", "render_still")],
        "edges": [edge("check", "a")],
    }
    created = client.post(
        "/api/workflows", json={"name": "No delivery", "subject": "order_line", "config": undelivered},
        headers=admin.headers,
    )  # fmt: skip
    assert created.status_code == 201, created.text  # a valid design
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL)
    refused = client.patch(
        f"/api/output-types/{still}", json={"workflow_id": created.json()["id"]}, headers=admin.headers
    )
    assert refused.status_code == 422 and code_of(refused) == "workflow_not_runnable"
    assert "Deliver" in refused.json()["error"]["message"]
    # The reason, for the web UI to word in the user's language.
    assert refused.json()["error"]["details"] == {"workflow": "No delivery", "reason": "no_deliver"}
    cad = client.patch(
        f"/api/output-types/{still}", json={"workflow_id": CAD_PROCESSING}, headers=admin.headers
    )
    assert cad.status_code == 422 and code_of(cad) == "workflow_subject"


def test_clients_see_no_runs_and_other_tenants_not_ours(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    product = bearing_product(client, pm, "6000-ISO")
    deadline = time.monotonic() + 60
    while not (runs := _runs(client, pm, product["cad_file_id"])) and time.monotonic() < deadline:
        time.sleep(0.3)
    run_id = runs[0]["id"]
    customer = as_role(tenant, Role.CLIENT)
    assert client.get(f"/api/workflow-runs/{run_id}", headers=customer.headers).status_code == 403
    stranger = as_role(other_tenant, Role.PROJECT_MANAGER)
    assert client.get(f"/api/workflow-runs/{run_id}", headers=stranger.headers).status_code == 404
    assert _runs(client, stranger, product["cad_file_id"]) == []
    retry = client.post(f"/api/workflow-runs/{run_id}/nodes/convert/retry", headers=stranger.headers)
    assert retry.status_code == 404


def test_a_node_that_fails_says_why_and_its_descendants_are_skipped(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase, tenant: MadeTenant
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    product = client.post(
        "/api/products", json={"pim_id": "NO-CAD-1", "name": "No CAD"}, headers=pm.headers
    ).json()
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL)
    order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[str(still)])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
    done = wait_order(
        client, pm, order["id"], lambda o: o["status"] != "submitted" and o["status"] != "processing"
    )
    (line,) = done["lines"]
    assert line["render_status"] == "failed"
    deadline = time.monotonic() + 30
    while (run := _runs(client, pm, line["id"])[0])["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.3)
    nodes = {n["node_id"]: n for n in run["nodes"]}
    assert run["status"] == "failed"
    assert "has no CAD file" in nodes["check_cad"]["error"]
    assert run["error"].startswith("check_cad: Product NO-CAD-1 has no CAD file")
    assert nodes["render"]["status"] == nodes["deliver"]["status"] == "skipped"

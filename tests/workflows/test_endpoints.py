"""/api/workflows through the API: steps, CRUD, versions, diff, copy, roles."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party
from tests.workflows.conftest import (
    CAD_PROCESSING,
    STILL,
    AsRole,
    code_of,
    create_workflow,
    edge,
    node,
    still_config,
)


def test_steps_carry_a_json_schema_generated_from_their_params(client: TestClient, admin: Party) -> None:
    from automat.workflows.catalogue import steps

    response = client.get("/api/workflows/steps", headers=admin.headers)
    assert response.status_code == 200
    listed = {s["name"]: s for s in response.json()}
    for definition in steps().latest():
        served = listed[definition.name.value]
        assert served["params_schema"] == definition.params.model_json_schema()
        assert served["version"] == definition.version and served["label"] == definition.label
    still = listed["render_still"]
    assert (still["consumes"], still["produces"], still["queue"]) == (
        ["glb"],
        ["image"],
        "thumbnail_rendering",
    )
    assert still["runs_on"] == ["order_line"]
    assert still["params_schema"]["properties"]["samples"]["anyOf"][0]["maximum"] == 4096


def test_create_read_and_list(client: TestClient, admin: Party) -> None:
    created = create_workflow(client, admin, name="Two angles", description="hero + front", note="first")
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["latest_version"], body["builtin"], body["subject"]) == (1, False, "order_line")
    assert [n["step_version"] for n in body["config"]["nodes"]] == [1, 1, 1]
    got = client.get(f"/api/workflows/{body['id']}", headers=admin.headers).json()
    assert got["config"] == body["config"] and got["name"] == "Two angles"
    page = client.get("/api/workflows", params={"page_size": 200}, headers=admin.headers).json()
    names = [w["name"] for w in page["items"]]
    assert "Two angles" in names and "CAD processing" in names and "Still" in names
    assert page["total"] == len(page["items"])


def test_list_is_paged_by_cursor(client: TestClient, admin: Party) -> None:
    for i in range(3):
        assert create_workflow(client, admin, name=f"paged {i}").status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"page_size": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/workflows", params=params, headers=admin.headers).json()
        assert len(page["items"]) <= 2
        seen += [w["id"] for w in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == page["total"] == 7 + 3  # the built-ins and these
    bad = client.get("/api/workflows", params={"cursor": "abc"}, headers=admin.headers)
    assert (bad.status_code, code_of(bad)) == (422, "invalid_cursor")


def test_an_invalid_workflow_is_refused_with_every_problem(client: TestClient, admin: Party) -> None:
    config = still_config(width=3)
    config["nodes"].append(node("ghost", "no_such_step"))
    config["nodes"].append(node("import", "parse_excel"))
    config["edges"].append(edge("import", "render"))
    response = create_workflow(client, admin, config=config)
    assert response.status_code == 422
    assert code_of(response) == "workflow_invalid"
    problems = response.json()["error"]["details"]["problems"]
    found = {(p["code"], p.get("node", p.get("edge"))) for p in problems}
    assert {("invalid_params", "render"), ("unknown_step", "ghost"), ("artifact_mismatch", 2)} <= found
    assert ("multiple_entry_points", "ghost") in found
    assert next(p for p in problems if p["code"] == "invalid_params")["field"] == "width"


def test_over_200_nodes_is_a_problem_not_a_crash(client: TestClient, admin: Party) -> None:
    config = still_config()
    config["nodes"] += [node(f"r{i}", "render_still") for i in range(200)]
    config["edges"] += [edge("check", f"r{i}") for i in range(200)]
    response = create_workflow(client, admin, config=config)
    assert response.status_code == 422
    assert [p["code"] for p in response.json()["error"]["details"]["problems"]] == ["too_many_nodes"]


def test_saving_creates_version_n_plus_1_and_old_versions_stay(client: TestClient, admin: Party) -> None:
    wf = create_workflow(client, admin).json()
    second = still_config(position="front")
    saved = client.post(
        f"/api/workflows/{wf['id']}/versions", json={"config": second, "note": "front"}, headers=admin.headers
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["version"] == 2
    third = client.post(
        f"/api/workflows/{wf['id']}/versions", json={"config": still_config(samples=8)}, headers=admin.headers
    )
    assert third.json()["version"] == 3
    v1 = client.get(f"/api/workflows/{wf['id']}/versions/1", headers=admin.headers).json()
    assert v1["config"]["nodes"][1]["params"] == {}
    v2 = client.get(f"/api/workflows/{wf['id']}/versions/2", headers=admin.headers).json()
    assert v2["config"]["nodes"][1]["params"] == {"position": "front"} and v2["note"] == "front"
    assert client.get(f"/api/workflows/{wf['id']}", headers=admin.headers).json()["latest_version"] == 3
    versions = client.get(
        f"/api/workflows/{wf['id']}/versions", params={"page_size": 2}, headers=admin.headers
    )
    page = versions.json()
    assert [v["version"] for v in page["items"]] == [3, 2] and page["total"] == 3
    rest = client.get(
        f"/api/workflows/{wf['id']}/versions", params={"cursor": page["next_cursor"]}, headers=admin.headers
    ).json()
    assert [v["version"] for v in rest["items"]] == [1] and rest["next_cursor"] is None
    invalid = client.post(
        f"/api/workflows/{wf['id']}/versions", json={"config": still_config(fps=3)}, headers=admin.headers
    )
    assert (invalid.status_code, code_of(invalid)) == (422, "workflow_invalid")
    assert client.get(f"/api/workflows/{wf['id']}", headers=admin.headers).json()["latest_version"] == 3
    missing = client.get(f"/api/workflows/{wf['id']}/versions/9", headers=admin.headers)
    assert (missing.status_code, code_of(missing)) == (404, "version_not_found")


def test_diff_between_two_versions(client: TestClient, admin: Party) -> None:
    wf = create_workflow(client, admin).json()
    changed = still_config(position="front", width=2048)
    changed["nodes"].append(node("glb", "export_glb"))
    changed["edges"] += [edge("check", "glb"), edge("glb", "deliver")]
    client.post(f"/api/workflows/{wf['id']}/versions", json={"config": changed}, headers=admin.headers)
    diff = client.get(f"/api/workflows/{wf['id']}/diff", params={"from": 1, "to": 2}, headers=admin.headers)
    assert diff.status_code == 200, diff.text
    body = diff.json()
    assert [n["id"] for n in body["nodes_added"]] == ["glb"] and body["nodes_removed"] == []
    assert body["nodes_changed"] == [
        {
            "id": "render",
            "step": None,
            "step_version": None,
            "params": {
                "position": {"before": None, "after": "front"},
                "width": {"before": None, "after": 2048},
            },
        }
    ]
    assert body["edges_added"] == [{"from": "check", "to": "glb"}, {"from": "glb", "to": "deliver"}]
    assert body["edges_removed"] == []
    back = client.get(
        f"/api/workflows/{wf['id']}/diff", params={"from": 2, "to": 1}, headers=admin.headers
    ).json()
    assert [n["id"] for n in back["nodes_removed"]] == ["glb"]
    assert back["edges_removed"] == body["edges_added"]


def test_builtins_are_read_only_and_copied_into_the_tenant(client: TestClient, admin: Party) -> None:
    for attempt in (
        client.patch(f"/api/workflows/{STILL}", json={"name": "Mine"}, headers=admin.headers),
        client.post(
            f"/api/workflows/{STILL}/versions", json={"config": still_config()}, headers=admin.headers
        ),
        client.delete(f"/api/workflows/{STILL}", headers=admin.headers),
    ):
        assert (attempt.status_code, code_of(attempt)) == (409, "builtin_workflow")
    copy = client.post(f"/api/workflows/{STILL}/copy", headers=admin.headers)
    assert copy.status_code == 201, copy.text
    body = copy.json()
    assert (body["name"], body["builtin"], body["copied_from"], body["latest_version"]) == (
        "Still (copy)", False, STILL, 1,
    )  # fmt: skip
    assert body["tenant_id"] == str(admin.user.tenant_id)
    builtin = client.get(f"/api/workflows/{STILL}", headers=admin.headers).json()
    assert body["config"] == builtin["config"]
    # The copy is the tenant's to change: a second still at another position.
    second = dict(builtin["config"])
    second["nodes"] = [*second["nodes"], node("front", "render_still", position="front")]
    second["edges"] = [*second["edges"], edge("check_cad", "front"), edge("front", "deliver")]
    saved = client.post(
        f"/api/workflows/{body['id']}/versions", json={"config": second}, headers=admin.headers
    )
    assert saved.status_code == 201, saved.text
    assert client.get(f"/api/workflows/{STILL}", headers=admin.headers).json()["latest_version"] == 1
    again = client.post(f"/api/workflows/{STILL}/copy", headers=admin.headers)
    assert (again.status_code, code_of(again)) == (409, "duplicate_workflow")
    named = client.post(f"/api/workflows/{STILL}/copy", json={"name": "Still B"}, headers=admin.headers)
    assert named.status_code == 201 and named.json()["name"] == "Still B"


def test_rename_and_delete_own_workflow(client: TestClient, admin: Party) -> None:
    a = create_workflow(client, admin, name="Alpha").json()
    create_workflow(client, admin, name="Beta")
    renamed = client.patch(f"/api/workflows/{a['id']}", json={"name": "Gamma"}, headers=admin.headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Gamma"
    clash = client.patch(f"/api/workflows/{a['id']}", json={"name": "Beta"}, headers=admin.headers)
    assert (clash.status_code, code_of(clash)) == (409, "duplicate_workflow")
    assert client.delete(f"/api/workflows/{a['id']}", headers=admin.headers).status_code == 204
    assert client.get(f"/api/workflows/{a['id']}", headers=admin.headers).status_code == 404


def test_validate_without_saving(client: TestClient, admin: Party) -> None:
    good = client.post(
        "/api/workflows/validate",
        json={"subject": "order_line", "config": still_config()},
        headers=admin.headers,
    )
    assert good.json() == {"valid": True, "problems": []}
    bad = client.post(
        "/api/workflows/validate",
        json={"subject": "cad_file", "config": still_config()},
        headers=admin.headers,
    ).json()
    assert bad["valid"] is False
    assert {p["code"] for p in bad["problems"]} == {"step_not_for_subject", "entry_mismatch"}


# -- roles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.TENANT_ADMIN])
def test_pm_and_ta_read(client: TestClient, as_role: AsRole, tenant: MadeTenant, role: Role) -> None:
    party = as_role(tenant, role)
    assert client.get("/api/workflows/steps", headers=party.headers).status_code == 200
    assert client.get("/api/workflows", headers=party.headers).status_code == 200
    assert client.get(f"/api/workflows/{CAD_PROCESSING}", headers=party.headers).status_code == 200
    assert client.get(f"/api/workflows/{CAD_PROCESSING}/versions", headers=party.headers).status_code == 200


def test_pm_cannot_edit(client: TestClient, as_role: AsRole, tenant: MadeTenant, admin: Party) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    wf = create_workflow(client, admin).json()
    for response in (
        create_workflow(client, pm),
        client.post(
            f"/api/workflows/{wf['id']}/versions", json={"config": still_config()}, headers=pm.headers
        ),
        client.patch(f"/api/workflows/{wf['id']}", json={"name": "x"}, headers=pm.headers),
        client.delete(f"/api/workflows/{wf['id']}", headers=pm.headers),
        client.post(f"/api/workflows/{STILL}/copy", headers=pm.headers),
    ):
        assert (response.status_code, code_of(response)) == (403, "insufficient_role")


def test_client_gets_403_everywhere(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    customer = as_role(tenant, Role.CLIENT)
    for method, path in (
        ("GET", "/api/workflows/steps"),
        ("GET", "/api/workflows"),
        ("GET", f"/api/workflows/{STILL}"),
        ("GET", f"/api/workflows/{STILL}/versions"),
        ("GET", f"/api/workflows/{STILL}/versions/1"),
        ("POST", f"/api/workflows/{STILL}/copy"),
    ):
        response = client.request(method, path, headers=customer.headers)
        assert response.status_code == 403, (method, path)


def test_global_admin_edits_in_a_named_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, admin: Party
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    without = create_workflow(client, ga)
    assert (without.status_code, code_of(without)) == (422, "tenant_required")
    made = client.post(
        "/api/workflows",
        params={"tenant_id": str(tenant.id)},
        json={"name": "GA made", "subject": "order_line", "config": still_config()},
        headers=ga.headers,
    )
    assert made.status_code == 201 and made.json()["tenant_id"] == str(tenant.id)
    assert client.get(f"/api/workflows/{made.json()['id']}", headers=admin.headers).status_code == 200
    saved = client.post(
        f"/api/workflows/{made.json()['id']}/versions", json={"config": still_config()}, headers=ga.headers
    )
    assert saved.status_code == 201
    copy = client.post(
        f"/api/workflows/{STILL}/copy", params={"tenant_id": str(tenant.id)}, headers=ga.headers
    )
    assert copy.status_code == 201 and copy.json()["tenant_id"] == str(tenant.id)
    unknown = client.get(f"/api/workflows/{uuid.uuid4()}", headers=ga.headers)
    assert unknown.status_code == 404


def test_concurrent_saves_each_get_their_own_version(client: TestClient, admin: Party) -> None:
    """The workflow row is locked while a version is added: parallel saves queue up as N+1, N+2, …
    (without the lock two of them would both try N+1 and one would fail on the unique key)."""
    from concurrent.futures import ThreadPoolExecutor

    wf = create_workflow(client, admin).json()

    def save(i: int) -> int:
        response = client.post(
            f"/api/workflows/{wf['id']}/versions",
            json={"config": still_config(samples=i + 1), "note": f"save {i}"},
            headers=admin.headers,
        )
        assert response.status_code == 201, response.text
        return int(response.json()["version"])

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = sorted(pool.map(save, range(6)))
    assert numbers == [2, 3, 4, 5, 6, 7]
    assert client.get(f"/api/workflows/{wf['id']}", headers=admin.headers).json()["latest_version"] == 7

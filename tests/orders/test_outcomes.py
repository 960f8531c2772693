"""Resubmitting keeps finished work, "render again", honest outcomes, who cancelled, and who is told.

The lines' render results are written into the database as the worker would leave them (no
render runs here), then the API does the rest: reject, resubmit, render again, submit, cancel.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.media.service import publish_file_sync
from automat.models.order import Order, OrderLine
from automat.models.user import Role
from automat.orders import lines, state
from automat.orders.state import Transition
from automat.pipeline.job_document import JobState
from tests.orders.conftest import AsRole, Catalogue, create_order, jsonable
from tests.support.factories import MadeTenant
from tests.support.fixtures import CadLinker, Party


def _png(tmp: Path) -> Path:
    path = tmp / f"{uuid.uuid4().hex}.png"
    Image.new("RGB", (8, 8), (200, 40, 40)).save(path)
    return path


def stage(app_db: SyncDatabase, tenant: MadeTenant, order: dict[str, Any], outcomes: list[str]) -> None:
    """Make the draft ``order`` a processing order of submission 1 whose lines (in the API's order)
    ended as ``outcomes`` say: completed (with a published PNG), failed, cancelled, running, queued."""
    ids = [uuid.UUID(ln["id"]) for ln in order["lines"]]
    with app_db.session(tenant.id) as session:
        row = session.get(Order, uuid.UUID(order["id"]))
        assert row is not None
        state.apply(row, Transition.SUBMIT, by=row.created_by)
        state.apply(row, Transition.START)
        for line_id, outcome in zip(ids, outcomes, strict=True):
            line = session.get(OrderLine, line_id)
            assert line is not None
            lines.queue(line, submission=1, render_task_id=str(uuid.uuid4()))
            doc = lines.document(line)
            if outcome in ("running", "completed"):
                doc.set_state(JobState.RUNNING)
            if outcome == "completed":
                doc.set_state(JobState.COMPLETED)
            lines.store(line, doc)
            if outcome == "failed":
                lines.fail(line, "Product has no CAD file; link one and resubmit.")
            elif outcome == "cancelled":
                lines.cancel(line, "cancelled by someone")
            elif outcome == "completed":
                source = _png(default_storage().tmp)
                publish_file_sync(
                    session, tenant_id=tenant.id, order_line_id=line.id, product_id=line.product_id,
                    cad_file_id=None, kind="thumbnail", source=source, file_name="thumb.png",
                )  # fmt: skip
                source.unlink(missing_ok=True)


def _order(client: TestClient, party: Party, catalogue: Catalogue, types: list[uuid.UUID]) -> dict[str, Any]:
    return create_order(client, party, title="Spring", product_ids=catalogue.products, output_type_ids=types)


def _get(client: TestClient, party: Party, order_id: str) -> dict[str, Any]:
    response = client.get(f"/api/orders/{order_id}", headers=party.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _by_id(order: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {ln["id"]: ln for ln in order["lines"]}


def _notes(client: TestClient, party: Party, order_id: str) -> list[dict[str, Any]]:
    items = client.get("/api/notifications", params={"page_size": 100}, headers=party.headers).json()["items"]
    return [n for n in items if n["target_id"] == order_id]


def _post(client: TestClient, party: Party, order_id: str, action: str, body: Any = None) -> dict[str, Any]:
    response = client.post(f"/api/orders/{order_id}/{action}", json=jsonable(body), headers=party.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
def customer(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.CLIENT)


def test_resubmit_keeps_completed_lines_and_runs_failed_cancelled_and_new_ones(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    catalogue: Catalogue,
    customer: Party,
    pm: Party,
) -> None:
    order = _order(client, customer, catalogue, [catalogue.thumbnail])
    done, failed, running = (ln["id"] for ln in order["lines"])
    stage(app_db, tenant, order, ["completed", "failed", "running"])
    before = _by_id(_get(client, customer, order["id"]))[done]
    (asset,) = before["media"]

    rejected = _post(client, pm, order["id"], "reject", {"reason": "Use the 2Z variant too"})
    assert rejected["history"][-1]["cancelled"] == 1
    back = _by_id(_post(client, customer, order["id"], "resubmit"))
    # The draft shows how each line ended: the completed one with its media, the others with why.
    assert back[done]["render_status"] == "completed"
    assert [m["id"] for m in back[done]["media"]] == [asset["id"]]
    assert back[failed]["render_status"] == "failed"
    assert "no CAD file" in back[failed]["job_document"]["error"]
    assert back[running]["render_status"] == "cancelled"
    added = client.post(
        f"/api/orders/{order['id']}/lines",
        json=jsonable({"product_ids": catalogue.products[:1], "output_type_ids": [catalogue.still]}),
        headers=customer.headers,
    )
    assert added.status_code == 200, added.text
    new = next(ln["id"] for ln in added.json()["lines"] if ln["id"] not in back)

    submitted = _post(client, customer, order["id"], "submit")
    assert submitted["submission_count"] == 2
    after = _by_id(submitted)
    kept = after[done]
    assert kept["render_status"] == "completed"
    assert kept["job_document"]["job_id"] == before["job_document"]["job_id"]  # not queued again
    assert kept["submission"] == 1
    assert [m["id"] for m in kept["media"]] == [asset["id"]]
    for line_id in (failed, running, new):
        assert after[line_id]["render_status"] == "queued"
        assert after[line_id]["job_document"]["job_id"] == f"line:{line_id}:2"
        assert after[line_id]["submission"] == 2
    entry = submitted["history"][-1]
    assert (entry["transition"], entry["submission"], entry["queued"], entry["kept"]) == ("submit", 2, 3, 1)
    assert entry["by"] == str(customer.user.id)
    assert entry["by_name"] == customer.user.email.split("@")[0]  # the user's full name
    assert [h["submission"] for h in submitted["history"] if h.get("transition") == "submit"] == [1, 2]
    download = client.get(asset["download_url"], headers=customer.headers)
    assert download.status_code == 200
    assert download.content.startswith(b"\x89PNG")


def test_render_again_only_on_drafts_and_completed_lines(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    catalogue: Catalogue,
    customer: Party,
    pm: Party,
    as_role: AsRole,
) -> None:
    order = _order(client, customer, catalogue, [catalogue.thumbnail])
    first, second, third = (ln["id"] for ln in order["lines"])
    stage(app_db, tenant, order, ["completed", "completed", "running"])
    url = f"/api/orders/{order['id']}/render-again"
    live = client.post(url, json={"line_ids": [first]}, headers=customer.headers)
    assert (live.status_code, live.json()["error"]["code"]) == (409, "order_not_editable")
    _post(client, pm, order["id"], "reject", {"reason": "Wrong colour"})
    _post(client, customer, order["id"], "resubmit")

    one = _by_id(_post(client, customer, order["id"], "render-again", {"line_ids": [first]}))
    assert (one[first]["render_again"], one[second]["render_again"]) == (True, False)
    refused = client.post(url, json={"line_ids": [third]}, headers=customer.headers)  # cancelled: runs anyway
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "line_not_completed")
    unknown = client.post(url, json={"line_ids": [str(uuid.uuid4())]}, headers=customer.headers)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "order_line_not_found")
    stranger = as_role(tenant, Role.CLIENT)
    assert client.post(url, json={}, headers=stranger.headers).status_code == 404
    everything = _by_id(_post(client, pm, order["id"], "render-again", {}))
    assert (everything[first]["render_again"], everything[second]["render_again"]) == (True, True)
    assert everything[third]["render_again"] is False
    keep = _by_id(_post(client, customer, order["id"], "render-again", {"render_again": False}))
    assert not any(ln["render_again"] for ln in keep.values())
    _post(client, customer, order["id"], "render-again", {"line_ids": [second]})

    submitted = _post(client, customer, order["id"], "submit")
    after = _by_id(submitted)
    assert after[first]["render_status"] == "completed" and after[first]["media"]  # kept
    assert after[second]["render_status"] == "queued"  # asked for: its old media are gone
    assert after[second]["media"] == [] and after[second]["render_again"] is False
    assert after[third]["render_status"] == "queued"
    entry = submitted["history"][-1]
    assert (entry["queued"], entry["kept"], entry["again"]) == (2, 1, 1)


def test_cancelled_renders_name_the_canceller_and_the_order_completes_with_failures(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    catalogue: Catalogue,
    customer: Party,
    pm: Party,
) -> None:
    order = _order(client, customer, catalogue, [catalogue.thumbnail])
    stage(app_db, tenant, order, ["completed", "failed", "running"])
    assert _get(client, customer, order["id"])["outcome"] is None  # still rendering

    result = _post(client, pm, order["id"], "cancel-renders")
    assert result["cancelled"] == 1
    assert (result["order"]["status"], result["order"]["outcome"]) == ("completed", "completed_with_failures")
    final = _get(client, customer, order["id"])
    assert final["outcome"] == "completed_with_failures"
    assert final["line_status_counts"] == {"completed": 1, "failed": 1, "cancelled": 1}
    pm_name = pm.user.email.split("@")[0]
    cancel, complete = final["history"][-2:]
    assert (cancel["event"], cancel["by"], cancel["by_name"], cancel["cancelled"]) == (
        "cancel_renders",
        str(pm.user.id),
        pm_name,
        1,
    )
    assert "transition" not in cancel
    assert (complete["transition"], complete["by"], complete["outcome"]) == (
        "complete",
        str(pm.user.id),
        "completed_with_failures",
    )
    assert (complete["done"], complete["failed"], complete["cancelled"]) == (1, 1, 1)
    cancelled_line = next(ln for ln in final["lines"] if ln["render_status"] == "cancelled")
    assert f"cancelled by {pm_name}" in json.dumps(cancelled_line["job_document"])

    board = client.get("/api/orders", params={"view": "kanban"}, headers=pm.headers).json()
    column = next(c for c in board["columns"] if c["status"] == "completed")
    card = next(o for o in column["orders"] if o["id"] == order["id"])
    assert card["outcome"] == "completed_with_failures"

    (note,) = _notes(client, customer, order["id"])
    assert note["action"] == "order.completed_with_failures"
    assert note["message"] == (
        f"Order #{order['number']} completed with failures: 1/3 succeeded, 1 failed, 1 cancelled by {pm_name}"
    )
    assert _notes(client, pm, order["id"]) == []  # the canceller is not told of their own action


def test_an_order_whose_every_render_is_cancelled_says_cancelled_and_tells_only_the_others(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, catalogue: Catalogue, as_role: AsRole
) -> None:
    creator, other = as_role(tenant, Role.PROJECT_MANAGER), as_role(tenant, Role.PROJECT_MANAGER)
    order = _order(client, creator, catalogue, [catalogue.thumbnail])
    stage(app_db, tenant, order, ["queued", "queued", "running"])
    result = _post(client, other, order["id"], "cancel-renders")
    assert (result["cancelled"], result["order"]["status"], result["order"]["outcome"]) == (
        3,
        "cancelled",
        "cancelled",
    )
    (note,) = _notes(client, creator, order["id"])
    assert note["action"] == "order.cancelled"
    assert note["message"] == (
        f"Order #{order['number']} cancelled by {other.user.email.split('@')[0]}: "
        "none of its 3 render(s) will finish"
    )
    assert _notes(client, other, order["id"]) == []

    mine = _order(client, creator, catalogue, [catalogue.still])
    stage(app_db, tenant, mine, ["running", "queued", "queued"])
    _post(client, creator, mine["id"], "cancel-renders")
    assert _get(client, creator, mine["id"])["outcome"] == "cancelled"
    assert _notes(client, creator, mine["id"]) == []  # they cancelled it themselves


def test_nobody_is_told_of_their_own_submit_or_rejection(
    client: TestClient,
    tenant: MadeTenant,
    catalogue: Catalogue,
    as_role: AsRole,
    cad_still_processing: CadLinker,
) -> None:
    submitter, colleague = as_role(tenant, Role.PROJECT_MANAGER), as_role(tenant, Role.PROJECT_MANAGER)
    cad_still_processing(tenant, catalogue.products)
    order = _order(client, submitter, catalogue, [catalogue.thumbnail])
    _post(client, submitter, order["id"], "submit")
    assert [n["action"] for n in _notes(client, colleague, order["id"])] == ["order.submitted"]
    assert _notes(client, submitter, order["id"]) == []
    unread = client.get("/api/notifications", headers=submitter.headers).json()["unread_count"]
    assert unread == 0
    _post(
        client,
        submitter,
        order["id"],
        "reject",
        {"reason": "Ordered the wrong series", "notify_client": True},
    )
    assert _notes(client, submitter, order["id"]) == []  # the creator rejected it themselves


def test_a_resubmit_with_nothing_left_to_render_completes_at_once(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    catalogue: Catalogue,
    customer: Party,
    pm: Party,
) -> None:
    order = _order(client, customer, catalogue, [catalogue.thumbnail])
    first, second, third = (ln["id"] for ln in order["lines"])
    stage(app_db, tenant, order, ["completed", "completed", "running"])
    _post(client, pm, order["id"], "reject", {"reason": "Only the first two, please"})
    _post(client, customer, order["id"], "resubmit")
    removed = client.delete(f"/api/orders/{order['id']}/lines/{third}", headers=customer.headers)
    assert removed.status_code == 204, removed.text
    submitted = _post(client, customer, order["id"], "submit")
    assert (submitted["status"], submitted["outcome"]) == ("completed", "completed")
    assert {ln["render_status"] for ln in submitted["lines"]} == {"completed"}
    assert all(ln["submission"] == 1 and ln["media"] for ln in submitted["lines"])
    submit, complete = submitted["history"][-2:]
    assert (submit["queued"], submit["kept"], complete["transition"]) == (0, 2, "complete")
    assert {first, second} == {ln["id"] for ln in submitted["lines"]}

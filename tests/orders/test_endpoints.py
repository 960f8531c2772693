"""/api/orders without rendering: drafts, lines, numbers, limits, who sees what, transitions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from automat.core.db import BYPASS, SyncDatabase
from automat.models.user import Role
from tests.orders.conftest import AsRole, Catalogue, create_order, jsonable
from tests.support.factories import MadeTenant, make_tenant
from tests.support.fixtures import CadLinker, Party


def _draft(client: TestClient, party: Party, catalogue: Catalogue, **extra: Any) -> dict[str, Any]:
    return create_order(
        client,
        party,
        title="Autumn catalogue",
        product_ids=catalogue.products[:2],
        output_type_ids=[catalogue.thumbnail, catalogue.still],
        **extra,
    )


def test_a_draft_gets_a_yearly_number_and_the_product_x_output_type_lines(
    client: TestClient, pm: Party, catalogue: Catalogue
) -> None:
    first = _draft(client, pm, catalogue)
    second = create_order(
        client, pm, lines=[{"product_id": catalogue.products[2], "output_type_id": catalogue.still}]
    )
    year = dt.datetime.now(dt.UTC).year
    assert first["number"] == f"ORD-{year}-001"
    assert second["number"] == f"ORD-{year}-002"
    assert first["status"] == "draft"
    assert first["line_count"] == 4
    assert {(ln["product_pim_id"], ln["output_type_name"]) for ln in first["lines"]} == {
        (p, t) for p in ("6000-2RS", "6001-2RS") for t in ("Thumbnail", "Still front")
    }
    assert all(ln["render_status"] == "pending" for ln in first["lines"])
    assert "submit" in first["allowed_transitions"]


def test_numbers_count_per_tenant(
    client: TestClient, pm: Party, catalogue: Catalogue, as_role: AsRole, other_tenant: MadeTenant
) -> None:
    _draft(client, pm, catalogue)
    other = create_order(client, as_role(other_tenant, Role.PROJECT_MANAGER))
    assert other["number"].endswith("-001")


def test_adding_lines_skips_pairs_already_there_and_refuses_unknown_ones(
    client: TestClient, pm: Party, catalogue: Catalogue, app_db: SyncDatabase, other_tenant: MadeTenant
) -> None:
    order = _draft(client, pm, catalogue)
    more = client.post(
        f"/api/orders/{order['id']}/lines",
        json=jsonable({"product_ids": catalogue.products, "output_type_ids": [catalogue.thumbnail]}),
        headers=pm.headers,
    )
    assert more.status_code == 200, more.text
    assert more.json()["line_count"] == 5
    from tests.support.factories import make_product

    foreign = make_product(app_db, tenant=other_tenant)
    refused = client.post(
        f"/api/orders/{order['id']}/lines",
        json=jsonable({"lines": [{"product_id": foreign, "output_type_id": catalogue.thumbnail}]}),
        headers=pm.headers,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "unknown_line_reference"
    assert refused.json()["error"]["details"]["products"] == [str(foreign)]
    line = more.json()["lines"][0]["id"]
    assert client.delete(f"/api/orders/{order['id']}/lines/{line}", headers=pm.headers).status_code == 204
    assert client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()["line_count"] == 4


def test_max_order_size_is_422(client: TestClient, app_db: SyncDatabase, as_role: AsRole) -> None:
    from automat.models.output import OutputKind
    from tests.support.factories import make_output_type, make_product

    small = make_tenant(app_db, max_order_size=3)
    party = as_role(small, Role.PROJECT_MANAGER)
    products = [make_product(app_db, tenant=small) for _ in range(2)]
    types = [make_output_type(app_db, tenant=small, kind=OutputKind.THUMBNAIL) for _ in range(2)]
    response = client.post(
        "/api/orders",
        json=jsonable({"product_ids": products, "output_type_ids": types}),
        headers=party.headers,
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "order_too_large"
    assert error["details"] == {"max_order_size": 3, "lines": 4}


def test_an_empty_order_cannot_be_submitted(client: TestClient, pm: Party) -> None:
    order = create_order(client, pm)
    response = client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "empty_order"
    assert client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()["status"] == "draft"


def test_submit_queues_every_line_with_its_task_id_and_tells_the_pms(
    client: TestClient, pm: Party, catalogue: Catalogue, as_role: AsRole, tenant: MadeTenant
) -> None:
    client_party = as_role(tenant, Role.CLIENT)
    order = _draft(client, client_party, catalogue)
    submitted = client.post(f"/api/orders/{order['id']}/submit", headers=client_party.headers)
    assert submitted.status_code == 200, submitted.text
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["submission_count"] == 1
    for line in body["lines"]:
        assert line["render_status"] == "queued"
        assert line["job_document"]["state"] == "queued"
        assert line["job_document"]["celery_task_id"]
    other_pm = as_role(tenant, Role.PROJECT_MANAGER)
    notes = client.get("/api/notifications", headers=other_pm.headers).json()["items"]
    submitted_notes = [n for n in notes if n["action"] == "order.submitted" and n["target_id"] == order["id"]]
    assert len(submitted_notes) == 1
    assert order["number"] in submitted_notes[0]["message"]
    # The client who ordered is not a project manager: no such notification for them.
    client_notes = client.get("/api/notifications", headers=client_party.headers).json()["items"]
    assert not [n for n in client_notes if n["action"] == "order.submitted"]
    # A submitted order is no longer a draft.
    again = client.post(f"/api/orders/{order['id']}/submit", headers=client_party.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "illegal_transition"
    edit = client.patch(f"/api/orders/{order['id']}", json={"title": "x"}, headers=client_party.headers)
    assert edit.status_code == 409
    assert edit.json()["error"]["code"] == "order_not_editable"


def test_reject_with_reason_cancels_lines_tells_the_client_and_resubmit_returns_to_draft(
    client: TestClient,
    pm: Party,
    catalogue: Catalogue,
    as_role: AsRole,
    tenant: MadeTenant,
    cad_still_processing: CadLinker,
) -> None:
    client_party = as_role(tenant, Role.CLIENT)
    cad_still_processing(tenant, catalogue.products)  # the order stays open to be rejected
    order = _draft(client, client_party, catalogue)
    client.post(f"/api/orders/{order['id']}/submit", headers=client_party.headers)
    forbidden = client.post(
        f"/api/orders/{order['id']}/reject", json={"reason": "no"}, headers=client_party.headers
    )
    assert forbidden.status_code == 403
    rejected = client.post(
        f"/api/orders/{order['id']}/reject",
        json={"reason": "Wrong seal variant, please use 2Z", "notify_client": True},
        headers=pm.headers,
    )
    assert rejected.status_code == 200, rejected.text
    body = rejected.json()
    assert body["status"] == "rejected"
    assert body["rejection_reason"] == "Wrong seal variant, please use 2Z"
    assert body["rejected_at"] and body["rejected_by"] == str(pm.user.id)
    assert {ln["render_status"] for ln in body["lines"]} <= {"cancelled", "failed", "completed"}
    seen = client.get(f"/api/orders/{order['id']}", headers=client_party.headers).json()
    assert seen["rejection_reason"] == "Wrong seal variant, please use 2Z"
    notes = client.get("/api/notifications", headers=client_party.headers).json()["items"]
    assert [n["message"] for n in notes if n["action"] == "order.rejected"] == [
        f"Your order #{order['number']} was rejected. Reason: Wrong seal variant, please use 2Z"
    ]
    back = client.post(f"/api/orders/{order['id']}/resubmit", headers=client_party.headers)
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "draft"
    # The lines keep how they ended (cancelled by the rejection); the next submit runs them again.
    assert {ln["render_status"] for ln in back.json()["lines"]} == {"cancelled"}
    transitions = [h["transition"] for h in back.json()["history"]]
    assert transitions == ["submit", "reject", "resubmit"]
    assert back.json()["history"][1]["reason"] == "Wrong seal variant, please use 2Z"
    assert [h["by_name"] for h in back.json()["history"]] == [  # full names
        client_party.user.email.split("@")[0],
        pm.user.email.split("@")[0],
        client_party.user.email.split("@")[0],
    ]
    # The second round is submitted again and counted.
    again = client.post(f"/api/orders/{order['id']}/submit", headers=client_party.headers)
    assert again.json()["submission_count"] == 2
    assert {ln["render_status"] for ln in again.json()["lines"]} == {"queued"}
    assert again.json()["rejection_reason"] is None


def test_illegal_transitions_are_409(client: TestClient, pm: Party, catalogue: Catalogue) -> None:
    order = _draft(client, pm, catalogue)
    for action, body in (("reject", {"reason": "too early"}), ("resubmit", None), ("cancel-renders", None)):
        response = client.post(f"/api/orders/{order['id']}/{action}", json=body, headers=pm.headers)
        assert response.status_code == 409, action
        assert response.json()["error"]["code"] == "illegal_transition"
        assert response.json()["error"]["details"]["status"] == "draft"


def test_clients_see_only_their_own_orders(
    client: TestClient, pm: Party, catalogue: Catalogue, as_role: AsRole, tenant: MadeTenant
) -> None:
    alice, bob = as_role(tenant, Role.CLIENT), as_role(tenant, Role.CLIENT)
    mine = _draft(client, alice, catalogue)
    theirs = _draft(client, bob, catalogue)
    assert client.get(f"/api/orders/{theirs['id']}", headers=alice.headers).status_code == 404
    assert client.delete(f"/api/orders/{theirs['id']}", headers=alice.headers).status_code == 404
    assert client.post(f"/api/orders/{theirs['id']}/submit", headers=alice.headers).status_code == 404
    listed = {o["id"] for o in client.get("/api/orders", headers=alice.headers).json()["items"]}
    assert listed == {mine["id"]}
    assert {o["id"] for o in client.get("/api/orders", headers=pm.headers).json()["items"]} >= {
        mine["id"],
        theirs["id"],
    }


def test_kanban_groups_by_status_with_counts(
    client: TestClient, pm: Party, catalogue: Catalogue, app_db: SyncDatabase
) -> None:
    drafts = [_draft(client, pm, catalogue) for _ in range(2)]
    client.post(f"/api/orders/{drafts[0]['id']}/submit", headers=pm.headers)
    board = client.get("/api/orders", params={"view": "kanban"}, headers=pm.headers).json()
    columns = {c["status"]: c for c in board["columns"]}
    assert list(columns) == ["draft", "submitted", "processing", "completed", "rejected", "cancelled"]
    # The worker may already have moved the submitted one on; the two together are still 2.
    moved = sum(columns[s]["count"] for s in ("submitted", "processing", "completed"))
    assert (columns["draft"]["count"], moved) == (1, 1)
    assert [o["id"] for o in columns["draft"]["orders"]] == [drafts[1]["id"]]


def test_drafts_can_be_deleted_other_orders_not(client: TestClient, pm: Party, catalogue: Catalogue) -> None:
    order = _draft(client, pm, catalogue)
    assert client.delete(f"/api/orders/{order['id']}", headers=pm.headers).status_code == 204
    assert client.get(f"/api/orders/{order['id']}", headers=pm.headers).status_code == 404
    other = _draft(client, pm, catalogue)
    client.post(f"/api/orders/{other['id']}/submit", headers=pm.headers)
    refused = client.delete(f"/api/orders/{other['id']}", headers=pm.headers)
    assert refused.status_code == 409


@pytest.mark.parametrize("role", [Role.CLIENT, Role.PROJECT_MANAGER])
def test_order_rows_are_written_under_the_tenant(
    client: TestClient,
    catalogue: Catalogue,
    as_role: AsRole,
    tenant: MadeTenant,
    app_db: SyncDatabase,
    role: Role,
) -> None:
    order = _draft(client, as_role(tenant, role), catalogue)
    with app_db.session(BYPASS) as session:
        tenants = session.execute(
            text("SELECT DISTINCT tenant_id FROM order_lines WHERE order_id = :o"), {"o": order["id"]}
        ).scalars()
        assert list(tenants) == [tenant.id]


def test_an_ordered_product_cannot_be_deleted(client: TestClient, pm: Party, catalogue: Catalogue) -> None:
    _draft(client, pm, catalogue)
    refused = client.delete(f"/api/products/{catalogue.products[0]}", headers=pm.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "product_in_use"
    assert client.delete(f"/api/products/{catalogue.products[2]}", headers=pm.headers).status_code == 204

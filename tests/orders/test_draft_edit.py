"""Editing a draft in the wizard (PUT /api/orders/{id}), "select all" (GET
/api/orders/pickable-products) and the ordering terms (GET /api/orders/terms)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from automat.core.db import BYPASS, SyncDatabase
from automat.models.cad import CadFile
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.orders.conftest import AsRole, Catalogue, create_order, jsonable
from tests.support.factories import MadeTenant, make_output_type, make_product, make_tenant
from tests.support.fixtures import Party


def _put(client: TestClient, party: Party, order_id: str, **body: Any) -> Any:
    return client.put(f"/api/orders/{order_id}", json=jsonable(body), headers=party.headers)


def _pairs(order: dict[str, Any]) -> set[tuple[str, str]]:
    return {(ln["product_pim_id"], ln["output_type_name"]) for ln in order["lines"]}


def _cad(db: SyncDatabase, tenant: MadeTenant, status: str) -> uuid.UUID:
    with db.session(tenant.id) as session:
        cad = CadFile(
            tenant_id=tenant.id, original_name=f"{status}.stp", sha256=status[0] * 64, size_bytes=1,
            storage_key="k", status=status,
        )  # fmt: skip
        session.add(cad)
        session.flush()
        return cad.id


def test_a_draft_takes_the_wizards_lines_title_and_notes_keeping_the_lines_it_had(
    client: TestClient, pm: Party, catalogue: Catalogue, app_db: SyncDatabase
) -> None:
    order = create_order(
        client, pm, title="Autumn", product_ids=catalogue.products[:2],
        output_type_ids=[catalogue.thumbnail, catalogue.still],
    )  # fmt: skip
    kept = {(ln["product_pim_id"], ln["output_type_name"]): ln["id"] for ln in order["lines"]}
    # A line that completed before a rejection: the edit leaves it (and its status) alone.
    with app_db.session(BYPASS) as session:
        session.execute(
            text("UPDATE order_lines SET render_status = 'completed' WHERE id = :id"),
            {"id": kept[("6000-2RS", "Still front")]},
        )
    edited = _put(
        client, pm, order["id"], title="Autumn, second try", notes="2Z seals please",
        product_ids=[catalogue.products[0], catalogue.products[2]],
        output_type_ids=[catalogue.thumbnail, catalogue.still],
    )  # fmt: skip
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["title"] == "Autumn, second try"
    assert body["notes"] == "2Z seals please"
    assert body["status"] == "draft"
    assert _pairs(body) == {(p, t) for p in ("6000-2RS", "6002-2RS") for t in ("Thumbnail", "Still front")}
    lines = {(ln["product_pim_id"], ln["output_type_name"]): ln for ln in body["lines"]}
    assert lines["6000-2RS", "Still front"]["id"] == kept["6000-2RS", "Still front"]
    assert lines["6000-2RS", "Still front"]["render_status"] == "completed"
    assert lines["6000-2RS", "Thumbnail"]["id"] == kept["6000-2RS", "Thumbnail"]
    assert lines["6002-2RS", "Thumbnail"]["render_status"] == "pending"
    # Explicit lines work too, and an empty title clears it.
    smaller = _put(
        client,
        pm,
        order["id"],
        lines=[{"product_id": catalogue.products[2], "output_type_id": catalogue.still}],
    )
    assert smaller.status_code == 200, smaller.text
    assert _pairs(smaller.json()) == {("6002-2RS", "Still front")}
    assert smaller.json()["title"] is None


def test_a_resubmitted_draft_can_be_edited_and_submitted_with_its_new_lines(
    client: TestClient, pm: Party, catalogue: Catalogue
) -> None:
    order = create_order(client, pm, product_ids=catalogue.products, output_type_ids=[catalogue.thumbnail])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
    refused = _put(
        client, pm, order["id"], product_ids=catalogue.products[:1], output_type_ids=[catalogue.thumbnail]
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "order_not_editable"
    assert refused.json()["error"]["details"] == {"status": "submitted"}
    reject = client.post(
        f"/api/orders/{order['id']}/reject", json={"reason": "only 6000 please"}, headers=pm.headers
    )
    assert reject.status_code == 200, reject.text
    refused = _put(
        client, pm, order["id"], product_ids=catalogue.products[:1], output_type_ids=[catalogue.thumbnail]
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["details"] == {"status": "rejected"}
    assert client.post(f"/api/orders/{order['id']}/resubmit", headers=pm.headers).status_code == 200
    edited = _put(
        client, pm, order["id"], product_ids=catalogue.products[:1], output_type_ids=[catalogue.still]
    )
    assert edited.status_code == 200, edited.text
    assert _pairs(edited.json()) == {("6000-2RS", "Still front")}
    submitted = client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers)
    assert submitted.status_code == 200, submitted.text
    assert _pairs(submitted.json()) == {("6000-2RS", "Still front")}
    assert submitted.json()["submission_count"] == 2


def test_an_edit_is_checked_like_a_new_order_and_changes_nothing_when_refused(
    client: TestClient, app_db: SyncDatabase, as_role: AsRole, other_tenant: MadeTenant
) -> None:
    small = make_tenant(app_db, max_order_size=3)
    pm = as_role(small, Role.PROJECT_MANAGER)
    products = [make_product(app_db, tenant=small, pim_id=f"P-{i}") for i in range(4)]
    thumbnail = make_output_type(app_db, tenant=small, kind=OutputKind.THUMBNAIL, name="Thumbnail")
    order = create_order(client, pm, title="Kept", product_ids=products[:2], output_type_ids=[thumbnail])

    too_big = _put(
        client, pm, order["id"], title="Changed", product_ids=products, output_type_ids=[thumbnail]
    )
    assert too_big.status_code == 422
    assert too_big.json()["error"]["code"] == "order_too_large"
    assert too_big.json()["error"]["details"] == {"max_order_size": 3, "lines": 4}

    foreign = make_product(app_db, tenant=other_tenant)
    unknown = _put(
        client,
        pm,
        order["id"],
        title="Changed",
        product_ids=[products[0], foreign],
        output_type_ids=[thumbnail],
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "unknown_line_reference"
    assert unknown.json()["error"]["details"]["products"] == [str(foreign)]

    with app_db.session(small.id) as session:
        session.execute(text("UPDATE output_types SET is_active = false WHERE id = :id"), {"id": thumbnail})
    still = make_output_type(app_db, tenant=small, kind=OutputKind.STILL, name="Still")
    inactive = _put(client, pm, order["id"], product_ids=[products[3]], output_type_ids=[thumbnail, still])
    assert inactive.status_code == 422
    assert inactive.json()["error"]["details"]["output_types"] == [str(thumbnail)]

    after = client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()
    assert after["title"] == "Kept"
    assert _pairs(after) == {("P-0", "Thumbnail"), ("P-1", "Thumbnail")}


def test_only_who_may_see_a_draft_may_edit_it(
    client: TestClient, catalogue: Catalogue, as_role: AsRole, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    alice, bob = as_role(tenant, Role.CLIENT), as_role(tenant, Role.CLIENT)
    order = create_order(
        client, alice, product_ids=catalogue.products[:1], output_type_ids=[catalogue.thumbnail]
    )
    body = {"product_ids": catalogue.products, "output_type_ids": [catalogue.thumbnail]}
    for stranger in (bob, as_role(other_tenant, Role.PROJECT_MANAGER)):
        response = _put(client, stranger, order["id"], **body)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "order_not_found"
    assert _put(client, alice, order["id"], **body).json()["line_count"] == 3
    manager = as_role(tenant, Role.PROJECT_MANAGER)
    assert (
        _put(client, manager, order["id"], **{**body, "product_ids": catalogue.products[:2]}).json()[
            "line_count"
        ]
        == 2
    )


def test_select_all_gives_every_matching_product_with_its_cad_status_up_to_the_order_limit(
    client: TestClient, app_db: SyncDatabase, as_role: AsRole
) -> None:
    shop = make_tenant(app_db, max_order_size=5)
    pm = as_role(shop, Role.CLIENT)
    ready, failed = _cad(app_db, shop, "ready"), _cad(app_db, shop, "failed")
    make_product(app_db, tenant=shop, pim_id="6204-A", cad_file_id=ready)
    make_product(app_db, tenant=shop, pim_id="6204-B", cad_file_id=failed)
    make_product(app_db, tenant=shop, pim_id="6204-C")
    for i in range(4):
        make_product(app_db, tenant=shop, pim_id=f"7000-{i}", cad_file_id=ready)

    picks = client.get("/api/orders/pickable-products", params={"q": "6204"}, headers=pm.headers)
    assert picks.status_code == 200, picks.text
    body = picks.json()
    assert (body["total"], body["max_order_size"]) == (3, 5)
    assert {p["pim_id"]: p["cad_status"] for p in body["items"]} == {
        "6204-A": "ready", "6204-B": "failed", "6204-C": None,
    }  # fmt: skip

    too_many = client.get("/api/orders/pickable-products", headers=pm.headers)
    assert too_many.status_code == 422
    assert too_many.json()["error"]["code"] == "too_many_products"
    assert too_many.json()["error"]["details"] == {"matching": 7, "max_order_size": 5}


def test_the_terms_carry_the_tenants_currency_and_order_limit(
    client: TestClient, app_db: SyncDatabase, as_role: AsRole, pm: Party
) -> None:
    swiss = make_tenant(app_db, max_order_size=42, currency="CHF")
    terms = client.get("/api/orders/terms", headers=as_role(swiss, Role.CLIENT).headers)
    assert terms.status_code == 200, terms.text
    assert terms.json() == {"max_order_size": 42, "currency": "CHF"}
    assert client.get("/api/orders/terms", headers=pm.headers).json() == {
        "max_order_size": 500,
        "currency": "EUR",
    }

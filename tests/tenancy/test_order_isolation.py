"""Tenant isolation of orders: tenant B cannot see, change, submit, reject or cancel A's orders
(unknown ids: 404, indistinguishable from ids that do not exist) nor order A's products."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.orders.conftest import AsRole, create_order
from tests.support.factories import MadeTenant, make_output_type, make_product
from tests.support.fixtures import Party


@pytest.fixture
def a_order(client: TestClient, app_db: SyncDatabase, as_role: AsRole, tenant: MadeTenant) -> dict[str, Any]:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    product = make_product(app_db, tenant=tenant)
    thumb = make_output_type(app_db, tenant=tenant, kind=OutputKind.THUMBNAIL)
    order = create_order(client, pm, product_ids=[product], output_type_ids=[thumb])
    return {**order, "pm": pm, "product": str(product), "thumb": str(thumb)}


@pytest.fixture
def b(as_role: AsRole, other_tenant: MadeTenant) -> Party:
    return as_role(other_tenant, Role.TENANT_ADMIN)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/orders/{id}", None),
        ("PATCH", "/api/orders/{id}", {"title": "mine now"}),
        ("DELETE", "/api/orders/{id}", None),
        ("POST", "/api/orders/{id}/lines", {"product_ids": [], "output_type_ids": []}),
        ("DELETE", "/api/orders/{id}/lines/{line}", None),
        ("POST", "/api/orders/{id}/submit", None),
        ("POST", "/api/orders/{id}/reject", {"reason": "not yours"}),
        ("POST", "/api/orders/{id}/resubmit", None),
        ("POST", "/api/orders/{id}/cancel-renders", None),
    ],
)
def test_a_orders_are_not_found_for_b(
    client: TestClient, a_order: dict[str, Any], b: Party, method: str, path: str, body: dict[str, Any] | None
) -> None:
    ids = {"id": a_order["id"], "line": a_order["lines"][0]["id"]}
    foreign = client.request(method, path.format(**ids), json=body, headers=b.headers)
    unknown = client.request(
        method, path.format(**dict.fromkeys(ids, uuid.uuid4())), json=body, headers=b.headers
    )
    assert foreign.status_code == 404
    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())
    after = client.get(f"/api/orders/{a_order['id']}", headers=a_order["pm"].headers).json()
    assert (after["status"], after["title"], after["line_count"]) == ("draft", None, 1)


def test_b_lists_and_board_hold_nothing_of_a(client: TestClient, a_order: dict[str, Any], b: Party) -> None:
    assert client.get("/api/orders", headers=b.headers).json()["items"] == []
    board = client.get("/api/orders", params={"view": "kanban"}, headers=b.headers).json()
    assert all(c["count"] == 0 and c["orders"] == [] for c in board["columns"])


def test_b_cannot_order_a_products_or_output_types(
    client: TestClient, a_order: dict[str, Any], b: Party
) -> None:
    response = client.post(
        "/api/orders",
        json={"product_ids": [a_order["product"]], "output_type_ids": [a_order["thumb"]]},
        headers=b.headers,
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert (details["products"], details["output_types"]) == ([a_order["product"]], [a_order["thumb"]])


def test_b_naming_tenant_a_is_not_found(
    client: TestClient, a_order: dict[str, Any], b: Party, tenant: MadeTenant
) -> None:
    assert (
        client.get("/api/orders", params={"tenant_id": str(tenant.id)}, headers=b.headers).status_code == 404
    )
    created = client.post("/api/orders", json={"tenant_id": str(tenant.id)}, headers=b.headers)
    assert created.status_code == 404

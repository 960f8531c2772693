"""Billing across tenants: another tenant's invoices and prices answer like unknown ids, its lists
hold none of them, and its drafts never take another tenant's delivered lines."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.billing.conftest import make_finished_line, make_order
from tests.support.factories import MadeTenant, make_output_type
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


def test_invoices_stay_in_their_tenant(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    as_role: AsRole,
    tmp_path: Path,
) -> None:
    a, b = as_role(tenant, Role.TENANT_ADMIN), as_role(other_tenant, Role.TENANT_ADMIN)
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL)
    order_id, _ = make_order(app_db, tenant)
    finished = datetime(2026, 10, 5, tzinfo=UTC)
    make_finished_line(
        app_db, tenant, order_id=order_id, output_type_id=still, finished_at=finished, media=tmp_path
    )
    price = client.post(
        "/api/price-list", json={"output_type_id": str(still), "unit_price": "3", "valid_from": "2030-01-01"},
        headers=a.headers,
    ).json()  # fmt: skip

    # B's draft of the same month finds nothing of A's
    none = client.post("/api/invoices", json={"month": "2026-10"}, headers=b.headers)
    assert none.status_code == 422 and none.json()["error"]["code"] == "nothing_to_invoice"
    b_order = client.post(
        "/api/invoices", json={"month": "2026-10", "order_id": str(order_id)}, headers=b.headers
    )
    assert b_order.status_code == 422  # one subject only

    invoice = client.post("/api/invoices", json={"month": "2026-10"}, headers=a.headers).json()
    for method, path in [
        ("GET", f"/api/invoices/{invoice['id']}"),
        ("GET", f"/api/invoices/{invoice['id']}/pdf"),
        ("GET", f"/api/invoices/{invoice['id']}/csv"),
        ("POST", f"/api/invoices/{invoice['id']}/issue"),
        ("POST", f"/api/invoices/{invoice['id']}/credit"),
        ("DELETE", f"/api/invoices/{invoice['id']}"),
        ("DELETE", f"/api/price-list/{price['id']}"),
    ]:
        foreign = client.request(method, path, headers=b.headers)
        unknown = client.request(
            method, path.replace(path.split("/")[3], str(uuid.uuid4())), headers=b.headers
        )
        assert foreign.status_code == unknown.status_code == 404, (method, path, foreign.text)
        assert foreign.json() == unknown.json()
    assert client.get("/api/invoices", headers=b.headers).json() == {
        "items": [],
        "next_cursor": None,
        "total": 0,
    }
    assert client.get("/api/price-list", headers=b.headers).json() == []
    # A's draft is untouched
    assert client.get(f"/api/invoices/{invoice['id']}", headers=a.headers).json()["status"] == "draft"

"""Parties, a small catalogue and waiting helpers for the order tests."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.support.factories import MadeTenant, make_output_type, make_product
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


@dataclass(frozen=True)
class Catalogue:
    products: list[uuid.UUID]
    thumbnail: uuid.UUID
    still: uuid.UUID


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


@pytest.fixture
def catalogue(app_db: SyncDatabase, tenant: MadeTenant) -> Catalogue:
    return Catalogue(
        products=[make_product(app_db, tenant=tenant, pim_id=f"6{i:03d}-2RS") for i in range(3)],
        thumbnail=make_output_type(app_db, tenant=tenant, kind=OutputKind.THUMBNAIL, name="Thumbnail"),
        still=make_output_type(
            app_db, tenant=tenant, kind=OutputKind.STILL, name="Still front", position="front"
        ),
    )


def create_order(client: TestClient, party: Party, **body: Any) -> dict[str, Any]:
    response = client.post("/api/orders", json=jsonable(body), headers=party.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def wait_order(
    client: TestClient,
    party: Party,
    order_id: str,
    done: Callable[[dict[str, Any]], bool],
    *,
    timeout_s: float = 240,
    what: str = "the expected state",
) -> dict[str, Any]:
    """Poll GET /api/orders/{id} until ``done`` holds."""
    deadline = time.monotonic() + timeout_s
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = client.get(f"/api/orders/{order_id}", headers=party.headers).json()
        if done(body):
            return body
        time.sleep(0.3)
    lines = [
        (ln["product_pim_id"], ln["kind"], ln["render_status"], ln["job_document"].get("error"))
        for ln in body.get("lines", [])
    ]
    raise AssertionError(
        f"order {order_id} did not reach {what} in {timeout_s} s: {body.get('status')} {lines}"
    )

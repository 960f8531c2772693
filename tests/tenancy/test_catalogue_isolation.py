"""Tenant isolation of the catalogue: output types, camera positions and render templates of
tenant A are invisible to tenant B (unknown ids: 404, never 403) and cannot be used or changed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.user import Role
from tests.output_types.conftest import AsRole, code_of, create_output_type, make_template_row
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party


@dataclass(frozen=True)
class Catalogue:
    admin: Party
    output_type: str
    position: str
    template: str


@pytest.fixture
def a(client: TestClient, app_db: SyncDatabase, as_role: AsRole, tenant: MadeTenant) -> Catalogue:
    admin = as_role(tenant, Role.TENANT_ADMIN)
    position = client.post(
        "/api/positions", json={"name": "Hero", "azimuth_deg": 10, "elevation_deg": 5}, headers=admin.headers
    ).json()
    template = make_template_row(app_db, tenant=tenant)
    output_type = create_output_type(
        client, admin, name="Still A", template_id=str(template), render_settings={"position": "Hero"}
    )
    assert output_type.status_code == 201, output_type.text
    return Catalogue(admin, output_type.json()["id"], position["id"], str(template))


@pytest.fixture
def b(as_role: AsRole, other_tenant: MadeTenant) -> Party:
    return as_role(other_tenant, Role.TENANT_ADMIN)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/output-types/{output_type}", None),
        ("PATCH", "/api/output-types/{output_type}", {"price": 0}),
        ("DELETE", "/api/output-types/{output_type}", None),
        ("GET", "/api/positions/{position}", None),
        ("PATCH", "/api/positions/{position}", {"name": "Mine"}),
        ("DELETE", "/api/positions/{position}", None),
        ("GET", "/api/render-templates/{template}", None),
        ("PATCH", "/api/render-templates/{template}", {"is_active": False}),
        ("DELETE", "/api/render-templates/{template}", None),
    ],
)
def test_a_rows_are_not_found_for_b(
    client: TestClient, a: Catalogue, b: Party, method: str, path: str, body: dict[str, object] | None
) -> None:
    ids = {"output_type": a.output_type, "position": a.position, "template": a.template}
    foreign = client.request(method, path.format(**ids), json=body, headers=b.headers)
    unknown = client.request(
        method, path.format(**dict.fromkeys(ids, uuid.uuid4())), json=body, headers=b.headers
    )
    assert foreign.status_code == 404
    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())
    # A's rows are untouched.
    assert client.get(path.format(**ids), headers=a.admin.headers).status_code == 200


def test_lists_hold_only_own_rows(client: TestClient, a: Catalogue, b: Party) -> None:
    assert client.get("/api/output-types?include_inactive=true", headers=b.headers).json() == []
    assert client.get("/api/render-templates", headers=b.headers).json() == []
    positions = client.get("/api/positions", headers=b.headers).json()
    assert all(p["builtin"] for p in positions)


def test_naming_tenant_a_is_not_found(client: TestClient, a: Catalogue, b: Party, tenant: MadeTenant) -> None:
    for path in ("/api/output-types", "/api/positions", "/api/render-templates"):
        assert client.get(f"{path}?tenant_id={tenant.id}", headers=b.headers).status_code == 404
    made = client.post(
        f"/api/output-types?tenant_id={tenant.id}", json={"name": "x", "kind": "still"}, headers=b.headers
    )
    assert made.status_code == 404
    moved = client.post(
        f"/api/positions?tenant_id={tenant.id}",
        json={"name": "x", "azimuth_deg": 0, "elevation_deg": 0},
        headers=b.headers,
    )
    assert moved.status_code == 404
    uploaded = client.post(
        f"/api/render-templates?tenant_id={tenant.id}",
        files={"file": ("a.blend", b"BLENDER")},
        headers=b.headers,
    )
    assert uploaded.status_code == 404


def test_b_cannot_use_a_template_or_position(client: TestClient, a: Catalogue, b: Party) -> None:
    template = create_output_type(client, b, template_id=a.template)
    assert (template.status_code, code_of(template)) == (422, "unknown_template")
    position = create_output_type(client, b, render_settings={"position": "Hero"})
    assert (position.status_code, code_of(position)) == (422, "unknown_position")
    # The names A uses are free in B.
    assert create_output_type(client, b, name="Still A").status_code == 201
    made = client.post(
        "/api/positions", json={"name": "Hero", "azimuth_deg": 1, "elevation_deg": 1}, headers=b.headers
    )
    assert made.status_code == 201

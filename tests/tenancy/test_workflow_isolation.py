"""Tenant isolation of workflows: tenant A's workflows and versions are invisible to tenant B
(unknown ids: 404, never 403) and cannot be changed, copied or diffed; the built-ins are read by
every tenant and written by none."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from automat.core.db import SyncDatabase
from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party
from tests.workflows.conftest import STILL, AsRole, create_workflow, still_config

BUILTINS = 7  # CAD processing, Product import, and one per output kind (5)


@dataclass(frozen=True)
class Mine:
    admin: Party
    workflow: str


@pytest.fixture
def a(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> Mine:
    admin = as_role(tenant, Role.TENANT_ADMIN)
    made = create_workflow(client, admin, name="A's secret pipeline")
    assert made.status_code == 201, made.text
    saved = client.post(
        f"/api/workflows/{made.json()['id']}/versions", json={"config": still_config()}, headers=admin.headers
    )
    assert saved.status_code == 201
    return Mine(admin, made.json()["id"])


@pytest.fixture
def b(as_role: AsRole, other_tenant: MadeTenant) -> Party:
    return as_role(other_tenant, Role.TENANT_ADMIN)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/workflows/{id}", None),
        ("PATCH", "/api/workflows/{id}", {"name": "Mine now"}),
        ("DELETE", "/api/workflows/{id}", None),
        ("GET", "/api/workflows/{id}/versions", None),
        ("GET", "/api/workflows/{id}/versions/1", None),
        ("POST", "/api/workflows/{id}/versions", {"config": still_config(position="top")}),
        ("GET", "/api/workflows/{id}/diff?from=1&to=2", None),
        ("POST", "/api/workflows/{id}/copy", None),
    ],
)
def test_a_workflow_is_not_found_for_b(
    client: TestClient, a: Mine, b: Party, method: str, path: str, body: dict[str, object] | None
) -> None:
    foreign = client.request(method, path.format(id=a.workflow), json=body, headers=b.headers)
    unknown = client.request(method, path.format(id=uuid.uuid4()), json=body, headers=b.headers)
    assert foreign.status_code == 404
    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())
    mine = client.get(f"/api/workflows/{a.workflow}", headers=a.admin.headers).json()
    assert (mine["name"], mine["latest_version"]) == ("A's secret pipeline", 2)


def test_b_lists_only_builtins_and_its_own(client: TestClient, a: Mine, b: Party) -> None:
    page = client.get("/api/workflows", params={"page_size": 200}, headers=b.headers).json()
    assert all(w["builtin"] for w in page["items"])
    assert page["total"] == len(page["items"]) == BUILTINS
    # A's names are free in B.
    assert create_workflow(client, b, name="A's secret pipeline").status_code == 201


def test_naming_tenant_a_is_not_found(client: TestClient, a: Mine, b: Party, tenant: MadeTenant) -> None:
    assert client.get(f"/api/workflows?tenant_id={tenant.id}", headers=b.headers).status_code == 404
    made = client.post(
        f"/api/workflows?tenant_id={tenant.id}",
        json={"name": "x", "subject": "order_line", "config": still_config()},
        headers=b.headers,
    )
    assert made.status_code == 404
    copied = client.post(f"/api/workflows/{STILL}/copy?tenant_id={tenant.id}", headers=b.headers)
    assert copied.status_code == 404


def test_copies_of_a_builtin_stay_in_their_tenant(client: TestClient, a: Mine, b: Party) -> None:
    ours = client.post(f"/api/workflows/{STILL}/copy", headers=a.admin.headers).json()
    theirs = client.post(f"/api/workflows/{STILL}/copy", headers=b.headers).json()
    assert ours["tenant_id"] != theirs["tenant_id"]
    assert client.get(f"/api/workflows/{ours['id']}", headers=b.headers).status_code == 404


def test_builtins_are_read_by_tenants_and_written_by_none(app_db: SyncDatabase, tenant: MadeTenant) -> None:
    with app_db.session(tenant.id) as session:
        assert (
            session.execute(text("SELECT count(*) FROM workflows WHERE tenant_id IS NULL")).scalar_one()
            == BUILTINS
        )
        assert (
            session.execute(
                text("SELECT count(*) FROM workflow_versions WHERE tenant_id IS NULL")
            ).scalar_one()
            >= BUILTINS
        )
        changed = session.execute(text("UPDATE workflows SET name = 'hijacked' WHERE tenant_id IS NULL"))
        removed = session.execute(text("DELETE FROM workflow_versions WHERE tenant_id IS NULL"))
        assert (changed.rowcount, removed.rowcount) == (0, 0)  # type: ignore[attr-defined]
    with pytest.raises(ProgrammingError, match="row-level security"), app_db.session(tenant.id) as session:
        session.execute(
            text("INSERT INTO workflows (tenant_id, name, subject) VALUES (NULL, 'fake', 'cad_file')")
        )
    with app_db.session(None) as session:  # no tenant context: nothing, built-ins included
        assert session.execute(text("SELECT count(*) FROM workflows")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM workflow_versions")).scalar_one() == 0

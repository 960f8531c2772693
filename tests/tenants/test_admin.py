"""The Tenants screen: a tenant made with its first admin and the demo tenants' default data set,
renamed, deactivated (its users' tokens stop at once) and reactivated."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from automat.core.db import BYPASS, SyncDatabase
from automat.demo.seed import DEMO_TENANTS, seed_demo
from automat.models.user import Role
from tests.materials.test_seeding import OneTransaction
from tests.support.factories import MadeTenant, unique
from tests.support.fixtures import UserFactory
from tests.tenants.test_endpoints import AsRole, create, error_code


@pytest.fixture
def ga(as_role: AsRole) -> dict[str, str]:
    return as_role(None, Role.GLOBAL_ADMIN).headers


def bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def with_admin(client: TestClient, ga: dict[str, str], **body: Any) -> dict[str, Any]:
    body.setdefault("first_admin", {"email": f"{unique('first')}@example.test", "full_name": "Fay First"})
    response = create(client, ga, **body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_tenant_is_made_with_its_first_admin(client: TestClient, ga: dict[str, str]) -> None:
    made = with_admin(client, ga, name="Brand New")
    admin, temporary = made["first_admin"], made["temporary_password"]
    assert admin["full_name"] == "Fay First"
    login = client.post("/api/auth/login", json={"email": admin["email"], "password": temporary})
    assert login.json()["must_change_password"] is True
    headers = bearer(login)
    assert error_code(client.get("/api/users", headers=headers), 403) == "password_change_required"
    changed = client.post(
        "/api/auth/password",
        json={"current_password": temporary, "new_password": "the first admin's own"},
        headers=headers,
    )
    headers = bearer(changed)
    me = client.get("/api/auth/me", headers=headers).json()
    assert (me["role"], me["tenant"]["id"], me["tenant"]["name"]) == ("tenant_admin", made["id"], "Brand New")
    users = client.get("/api/users", headers=headers).json()
    assert [u["email"] for u in users["items"]] == [admin["email"]]
    # The answer was the only place the password appeared.
    assert "temporary_password" not in client.get(f"/api/tenants/{made['id']}", headers=ga).json()


def test_the_first_admins_email_must_be_free(
    client: TestClient, ga: dict[str, str], tenant: MadeTenant, user_factory: UserFactory
) -> None:
    taken = user_factory(tenant, Role.CLIENT)
    slug = unique("t")
    response = create(client, ga, slug=slug, first_admin={"email": taken.email.upper()})
    assert error_code(response, 409) == "email_taken"
    listed = client.get("/api/tenants?limit=500", headers=ga).json()
    assert slug not in {t["slug"] for t in listed}


def _data_set(session: Session, tenant_id: str) -> dict[str, set[tuple[Any, ...]]]:
    def rows(sql: str) -> set[tuple[Any, ...]]:
        return {tuple(r) for r in session.execute(text(sql), {"t": tenant_id}).all()}

    return {
        "output_types": rows(
            "SELECT name, kind, render_settings::text, price, is_active, workflow_id, template_id "
            "FROM output_types WHERE tenant_id = :t"
        ),
        "positions": rows("SELECT name, azimuth_deg, elevation_deg FROM positions WHERE tenant_id = :t"),
        "aliases": rows(
            "SELECT pattern, kind, material, priority, is_default FROM material_aliases WHERE tenant_id = :t"
        ),
        "workflows": rows(
            "SELECT id, name, latest_version FROM workflows WHERE tenant_id IS NULL OR tenant_id = :t"
        ),
    }


def test_a_new_tenant_gets_the_demo_tenants_data_set(
    client: TestClient, ga: dict[str, str], app_db: SyncDatabase, tmp_path: Path
) -> None:
    made = with_admin(client, ga)
    slugs = [slug for slug, _ in DEMO_TENANTS]
    with app_db.engine.connect() as conn:
        outer = conn.begin()
        try:
            db = OneTransaction(conn)
            with db.session(BYPASS) as session:  # a fresh demo seed, rolled back at the end
                session.execute(text("DELETE FROM tenants WHERE slug = ANY(:s)"), {"s": slugs})
            seed_demo(db, tmp_path, password="demo-password-123")
            with db.session(BYPASS) as session:
                demo_id = str(session.scalar(text("SELECT id FROM tenants WHERE slug = 'demo'")))
                demo, new = _data_set(session, demo_id), _data_set(session, made["id"])
        finally:
            outer.rollback()
    for what in ("output_types", "positions", "aliases", "workflows"):
        assert demo[what], f"the demo tenant has no {what}"
        assert new[what] == demo[what], what
    assert len(new["output_types"]) == 6
    assert any(name == "CAD processing" for _, name, _ in new["workflows"])


def test_the_new_tenant_orders_from_its_output_types(client: TestClient, ga: dict[str, str]) -> None:
    made = with_admin(client, ga)
    types = client.get(f"/api/output-types?tenant_id={made['id']}", headers=ga)
    assert types.status_code == 200, types.text
    assert {"Thumbnail", "Still 2048 iso", "Production GLB"} <= {t["name"] for t in types.json()}


def test_rename_deactivate_and_reactivate(client: TestClient, ga: dict[str, str], as_role: AsRole) -> None:
    made = with_admin(client, ga)
    renamed = client.patch(f"/api/tenants/{made['id']}", json={"name": "Renamed Ltd"}, headers=ga)
    assert renamed.json()["name"] == "Renamed Ltd"
    tenant = MadeTenant(id=uuid.UUID(made["id"]), slug=made["slug"])
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    assert client.get("/api/products", headers=pm.headers).status_code == 200

    off = client.patch(f"/api/tenants/{made['id']}", json={"is_active": False}, headers=ga)
    assert off.json()["is_active"] is False
    assert error_code(client.get("/api/products", headers=pm.headers), 401) == "token_revoked"
    login = client.post("/api/auth/login", json={"email": pm.user.email, "password": pm.user.password})
    assert error_code(login, 401) == "account_inactive"

    on = client.patch(f"/api/tenants/{made['id']}", json={"is_active": True}, headers=ga)
    assert on.json()["is_active"] is True
    again = client.post("/api/auth/login", json={"email": pm.user.email, "password": pm.user.password})
    assert client.get("/api/products", headers=bearer(again)).status_code == 200
    assert error_code(client.get("/api/products", headers=pm.headers), 401) == "token_revoked"


def test_only_global_admins_create_tenants(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    response = create(client, ta.headers, first_admin={"email": f"{unique('x')}@example.test"})
    assert error_code(response, 403) == "insufficient_role"

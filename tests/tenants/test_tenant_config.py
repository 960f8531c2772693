"""/api/tenant-config: a tenant admin reads and changes their own tenant's config, on top of the
version they read (409 ``stale_tenant_config`` when someone saved in between), audited; nobody
else's config, and through SQL a tenant's session changes nothing of its row but the config."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

from automat.core.db import SyncDatabase
from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json()["error"])


def read(client: TestClient, party: Party, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/tenant-config{query}", headers=party.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def change(client: TestClient, party: Party, version: int, query: str = "", **config: Any) -> httpx.Response:
    return client.patch(
        f"/api/tenant-config{query}", json={"version": version, "config": config}, headers=party.headers
    )


@pytest.fixture
def ta(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


@pytest.fixture
def other_ta(as_role: AsRole, other_tenant: MadeTenant) -> Party:
    return as_role(other_tenant, Role.TENANT_ADMIN)


def test_a_tenant_admin_changes_their_config_and_the_version_moves(
    client: TestClient, ta: Party, tenant: MadeTenant
) -> None:
    first = read(client, ta)
    assert (first["tenant_id"], first["version"]) == (str(tenant.id), 1)
    assert first["tenant_config"]["max_concurrent_renders"] == 3
    response = change(client, ta, 1, max_concurrent_renders=2, render_engines_allowed=["cycles", "eevee"])
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    again = read(client, ta)
    assert again["tenant_config"]["max_concurrent_renders"] == 2
    assert again["tenant_config"]["render_engines_allowed"] == ["cycles", "eevee"]
    assert again["tenant_config"]["max_order_size"] == 500  # untouched keys keep their value
    unchanged = change(client, ta, 2, max_concurrent_renders=2)  # nothing new: no new version
    assert unchanged.status_code == 200
    assert unchanged.json()["version"] == 2


def test_a_stale_version_is_409_and_changes_nothing(
    client: TestClient, ta: Party, as_role: AsRole, tenant: MadeTenant
) -> None:
    colleague = as_role(tenant, Role.TENANT_ADMIN)
    assert change(client, colleague, 1, max_order_size=100).status_code == 200
    found = error(change(client, ta, 1, max_order_size=900), 409)
    assert (found["code"], found["details"]) == ("stale_tenant_config", {"version": 2})
    assert read(client, ta)["tenant_config"]["max_order_size"] == 100


def test_a_global_admins_change_moves_the_version_too(
    client: TestClient, ta: Party, as_role: AsRole, tenant: MadeTenant
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    response = client.patch(
        f"/api/tenants/{tenant.id}", json={"tenant_config": {"max_order_size": 42}}, headers=ga.headers
    )
    assert response.status_code == 200, response.text
    assert error(change(client, ta, 1, max_order_size=7), 409)["code"] == "stale_tenant_config"
    assert read(client, ga, f"?tenant_id={tenant.id}")["version"] == 2
    assert change(client, ga, 2, f"?tenant_id={tenant.id}", max_order_size=43).status_code == 200
    assert read(client, ta)["tenant_config"]["max_order_size"] == 43


@pytest.mark.parametrize(
    ("config", "code", "field"),
    [
        ({"max_concurrent_renders": 0}, "validation_error", "max_concurrent_renders"),
        ({"max_concurrent_renders": 257}, "validation_error", "max_concurrent_renders"),
        ({"tax_rate_percent": 101}, "validation_error", "tax_rate_percent"),
        ({"render_engines_allowed": []}, "invalid_tenant_config", "render_engines_allowed"),
        ({"fallback_material": "Magenta"}, "invalid_tenant_config", "fallback_material"),
        ({"billing_mode": "weekly"}, "validation_error", "billing_mode"),
        ({"billing_address": "x" * 501}, "validation_error", "billing_address"),
    ],
)
def test_invalid_values_are_422_naming_the_field(
    client: TestClient, ta: Party, config: dict[str, Any], code: str, field: str
) -> None:
    found = error(change(client, ta, 1, **config), 422)
    assert found["code"] == code
    assert field in {d["loc"][-1] for d in found["details"]}
    assert read(client, ta)["version"] == 1


def test_changes_are_audited_with_old_and_new_values(
    client: TestClient, ta: Party, tenant: MadeTenant
) -> None:
    assert change(client, ta, 1, max_concurrent_renders=2, notifications_enabled=False).status_code == 200
    response = client.get("/api/audit?target_type=tenant_config", headers=ta.headers)
    assert response.status_code == 200, response.text
    [entry] = response.json()["items"]
    assert (entry["action"], entry["target_id"], entry["actor_email"]) == (
        "tenant_config.update",
        str(tenant.id),
        ta.user.email,
    )
    assert entry["detail"] == {
        "changes": {
            "max_concurrent_renders": {"from": 3, "to": 2},
            "notifications_enabled": {"from": True, "to": False},
        },
        "version": 2,
    }


def test_only_the_own_tenant(
    client: TestClient, ta: Party, other_ta: Party, other_tenant: MadeTenant
) -> None:
    assert error(client.get(f"/api/tenant-config?tenant_id={other_tenant.id}", headers=ta.headers), 404)
    assert error(change(client, ta, 1, f"?tenant_id={other_tenant.id}", max_order_size=1), 404)
    assert change(client, ta, 1, max_order_size=11).status_code == 200
    assert read(client, other_ta)["tenant_config"]["max_order_size"] == 500
    assert read(client, other_ta)["version"] == 1


def test_a_global_admin_must_name_the_tenant(client: TestClient, as_role: AsRole) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    assert error(client.get("/api/tenant-config", headers=ga.headers), 422)["code"] == "tenant_required"
    assert error(client.get(f"/api/tenant-config?tenant_id={uuid.uuid4()}", headers=ga.headers), 404)


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.CLIENT])
def test_project_managers_and_clients_get_403(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ta: Party, role: Role
) -> None:
    party = as_role(tenant, role)
    assert error(client.get("/api/tenant-config", headers=party.headers), 403)["code"] == "insufficient_role"
    assert error(change(client, party, 1, max_order_size=1), 403)["code"] == "insufficient_role"
    assert read(client, ta)["version"] == 1


def test_a_tenant_admin_cannot_rename_or_deactivate_through_the_endpoint(
    client: TestClient, ta: Party
) -> None:
    response = client.patch(
        "/api/tenant-config", json={"version": 1, "config": {}, "name": "Mine now"}, headers=ta.headers
    )
    assert error(response, 422)["code"] == "unknown_field"
    response = change(client, ta, 1, is_active=False)
    assert error(response, 422)["code"] == "unknown_field"


# --- the database's own guard (row-level security + trigger) -----------------------------------


@pytest.mark.parametrize(
    "assignment",
    ["name = 'Mine now'", "slug = 'mine-now'", "is_active = false", "created_at = now() - interval '1 day'"],
)
def test_a_tenant_session_cannot_change_other_columns_of_its_row(
    app_db: SyncDatabase, admin_engine: Engine, tenant: MadeTenant, assignment: str
) -> None:
    with (
        pytest.raises(ProgrammingError, match="only its own tenant_config"),
        app_db.session(tenant.id) as session,
    ):
        session.execute(text(f"UPDATE tenants SET {assignment} WHERE id = :t"), {"t": tenant.id})  # noqa: S608
    with admin_engine.connect() as conn:
        row = conn.execute(text("SELECT name, is_active FROM tenants WHERE id = :t"), {"t": tenant.id}).one()
    assert row.name != "Mine now" and row.is_active


def test_a_tenant_session_changes_its_own_config_and_not_another_tenants(
    app_db: SyncDatabase, admin_engine: Engine, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    sql = "UPDATE tenants SET tenant_config = tenant_config || '{\"max_order_size\": 7}' WHERE id = :t"
    with app_db.session(tenant.id) as session:
        assert session.execute(text(sql), {"t": other_tenant.id}).rowcount == 0  # type: ignore[attr-defined]
        assert session.execute(text(sql), {"t": tenant.id}).rowcount == 1  # type: ignore[attr-defined]
    with admin_engine.connect() as conn:
        rows = dict(
            conn.execute(
                text(
                    "SELECT id, tenant_config->>'max_order_size' || '/' || config_version"
                    " FROM tenants WHERE id = ANY(:ids)"
                ),
                {"ids": [tenant.id, other_tenant.id]},
            ).all()
        )
    assert rows[tenant.id] == "7/2"
    assert rows[other_tenant.id] != "7/2" and rows[other_tenant.id].endswith("/1")
    with pytest.raises(ProgrammingError, match="row-level security"), app_db.session(tenant.id) as session:
        session.execute(text("INSERT INTO tenants (slug, name) VALUES ('sneaky2', 'x')"))
    with pytest.raises(ProgrammingError, match="only global admins delete"), app_db.session(tenant.id) as s:
        s.execute(text("DELETE FROM tenants WHERE id = :t"), {"t": tenant.id})
    with app_db.session(tenant.id) as session:
        assert (
            session.execute(text("DELETE FROM tenants WHERE id = :t"), {"t": other_tenant.id}).rowcount == 0
        )  # type: ignore[attr-defined]

"""/api/tenants: CRUD by global admins, the validated tenant_config, and /current for tenant users."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.models.user import Role
from tests.support.factories import MadeTenant, unique
from tests.support.fixtures import Party, UserFactory

AsRole = Callable[[MadeTenant | None, Role], Party]

DEFAULT_CONFIG = {
    "max_concurrent_renders": 3,
    "render_engines_allowed": ["cycles"],
    "max_order_size": 500,
    "fallback_material": "SCHAEFFLER_059999_FailedMaterial",
    "notifications_enabled": True,
    "invoice_prefix": "INV",
    "currency": "EUR",
    "unmatched_part_material": "fallback",
    "billing_mode": "monthly",
    "tax_rate_percent": 19.0,
    "billing_address": "",
    "dedicated_render_queue": False,
    "dedicated_processing_queue": False,
}


def error_code(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


@pytest.fixture
def ga(as_role: AsRole) -> dict[str, str]:
    return as_role(None, Role.GLOBAL_ADMIN).headers


def create(client: TestClient, headers: dict[str, str], **body: Any) -> httpx.Response:
    body.setdefault("slug", unique("t"))
    body.setdefault("name", "Some Tenant")
    return client.post("/api/tenants", json=body, headers=headers)


def created(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    """The new tenant as ``GET /api/tenants/{id}`` shows it (without the first admin's fields)."""
    response = create(client, headers, **body)
    assert response.status_code == 201, response.text
    made = dict(response.json())
    assert made.pop("first_admin") is None and made.pop("temporary_password") is None
    return made


def count(admin_engine: Engine, sql: str, **params: Any) -> int:
    with admin_engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


# --- create and read ---------------------------------------------------------------------------


def test_create_fills_the_config_defaults(client: TestClient, ga: dict[str, str]) -> None:
    slug = unique("acme")
    body = created(client, ga, slug=slug, name="Acme Corp")
    assert body["slug"] == slug
    assert body["name"] == "Acme Corp"
    assert body["is_active"] is True
    assert body["tenant_config"] == DEFAULT_CONFIG
    assert client.get(f"/api/tenants/{body['id']}", headers=ga).json() == body


def test_create_keeps_given_config_and_defaults_the_rest(client: TestClient, ga: dict[str, str]) -> None:
    given = {
        "max_concurrent_renders": 8,
        "render_engines_allowed": ["cycles", "eevee"],
        "invoice_prefix": "AC-1",
    }
    assert created(client, ga, tenant_config=given)["tenant_config"] == {**DEFAULT_CONFIG, **given}


@pytest.mark.parametrize(
    "config",
    [
        {"max_concurrent_renders": 0},
        {"max_concurrent_renders": "three"},
        {"render_engines_allowed": []},
        {"render_engines_allowed": ["octane"]},
        {"max_order_size": -1},
        {"fallback_material": "Magenta"},
        {"notifications_enabled": "sometimes"},
        {"invoice_prefix": "inv lower"},
    ],
)
def test_create_refuses_an_invalid_config(
    client: TestClient, ga: dict[str, str], config: dict[str, Any]
) -> None:
    slug = unique("bad")
    assert error_code(create(client, ga, slug=slug, tenant_config=config), 422) == "validation_error"
    assert slug not in {t["slug"] for t in client.get("/api/tenants?limit=500", headers=ga).json()}


def test_create_refuses_an_unknown_config_key(client: TestClient, ga: dict[str, str]) -> None:
    assert error_code(create(client, ga, tenant_config={"max_gpus": 2}), 422) == "unknown_field"


@pytest.mark.parametrize("slug", ["Upper", "with space", "-leading", "trailing-", "", "x" * 64])
def test_create_refuses_a_bad_slug(client: TestClient, ga: dict[str, str], slug: str) -> None:
    assert error_code(create(client, ga, slug=slug), 422) == "validation_error"


def test_duplicate_slug_is_a_conflict(client: TestClient, ga: dict[str, str], tenant: MadeTenant) -> None:
    assert error_code(create(client, ga, slug=tenant.slug), 409) == "slug_taken"


def test_list_includes_new_tenants(client: TestClient, ga: dict[str, str], tenant: MadeTenant) -> None:
    """Paged by slug: the whole test session makes hundreds of tenants, so walk the pages."""
    slugs: list[str] = []
    while True:
        response = client.get("/api/tenants", params={"limit": 500, "offset": len(slugs)}, headers=ga)
        assert response.status_code == 200, response.text
        page = [t["slug"] for t in response.json()]
        slugs += page
        if len(page) < 500:
            break
    assert tenant.slug in slugs
    assert slugs == sorted(slugs)


def test_unknown_tenant_is_a_404(client: TestClient, ga: dict[str, str]) -> None:
    missing = uuid.uuid4()
    assert error_code(client.get(f"/api/tenants/{missing}", headers=ga), 404) == "not_found"
    assert (
        error_code(client.patch(f"/api/tenants/{missing}", json={"name": "x"}, headers=ga), 404)
        == "not_found"
    )
    assert error_code(client.delete(f"/api/tenants/{missing}?confirm=x", headers=ga), 404) == "not_found"


def test_create_is_audited(client: TestClient, ga: dict[str, str], admin_engine: Engine) -> None:
    tenant_id = created(client, ga)["id"]
    sql = "SELECT count(*) FROM audit_log WHERE action = 'tenant.create' AND target_id = :id"
    assert count(admin_engine, sql, id=tenant_id) == 1


# --- update ------------------------------------------------------------------------------------


def patch(client: TestClient, headers: dict[str, str], tenant_id: Any, **body: Any) -> httpx.Response:
    return client.patch(f"/api/tenants/{tenant_id}", json=body, headers=headers)


def test_patch_merges_the_config(client: TestClient, ga: dict[str, str]) -> None:
    tenant = created(client, ga, tenant_config={"max_order_size": 42})
    response = patch(client, ga, tenant["id"], name="Renamed", tenant_config={"invoice_prefix": "ACME"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Renamed"
    assert body["slug"] == tenant["slug"]
    assert body["tenant_config"] == {**DEFAULT_CONFIG, "max_order_size": 42, "invoice_prefix": "ACME"}
    assert (
        client.get(f"/api/tenants/{tenant['id']}", headers=ga).json()["tenant_config"]
        == body["tenant_config"]
    )


def test_a_tenant_opts_in_to_cad_colours_for_unmatched_parts(client: TestClient, ga: dict[str, str]) -> None:
    tenant = created(client, ga)
    response = patch(client, ga, tenant["id"], tenant_config={"unmatched_part_material": "cad_colour"})
    assert response.status_code == 200, response.text
    assert response.json()["tenant_config"] == {**DEFAULT_CONFIG, "unmatched_part_material": "cad_colour"}
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TenantConfig"]
    help_text = schema["properties"]["unmatched_part_material"]["description"]
    assert "'cad_colour': the colour the STEP file gives the part" in help_text


@pytest.mark.parametrize(
    ("config", "code"),
    [
        ({"max_concurrent_renders": 0}, "validation_error"),  # the schema carries the bounds
        ({"max_order_size": 100_001}, "validation_error"),
        ({"invoice_prefix": "no good"}, "invalid_tenant_config"),
        ({"fallback_material": "Magenta"}, "invalid_tenant_config"),
        ({"render_engines_allowed": []}, "invalid_tenant_config"),
        ({"render_engines_allowed": ["octane"]}, "validation_error"),
        ({"notifications_enabled": "sometimes"}, "validation_error"),
        ({"unmatched_part_material": "magenta"}, "validation_error"),
        ({"currency": "euro"}, "validation_error"),
    ],
)
def test_patch_refuses_an_invalid_config_and_changes_nothing(
    client: TestClient, ga: dict[str, str], config: dict[str, Any], code: str
) -> None:
    tenant = created(client, ga)
    assert error_code(patch(client, ga, tenant["id"], tenant_config=config, name="Changed"), 422) == code
    assert client.get(f"/api/tenants/{tenant['id']}", headers=ga).json() == tenant


def test_patch_refuses_an_unknown_config_key(
    client: TestClient, ga: dict[str, str], tenant: MadeTenant
) -> None:
    assert error_code(patch(client, ga, tenant.id, tenant_config={"max_gpus": 2}), 422) == "unknown_field"


def test_patch_is_audited_with_the_changes(
    client: TestClient, ga: dict[str, str], admin_engine: Engine
) -> None:
    tenant_id = created(client, ga)["id"]
    assert patch(client, ga, tenant_id, name="Audited").status_code == 200
    sql = (
        "SELECT count(*) FROM audit_log WHERE action = 'tenant.update' AND target_id = :id"
        " AND detail -> 'changes' ->> 'name' = 'Audited'"
    )
    assert count(admin_engine, sql, id=tenant_id) == 1


# --- delete ------------------------------------------------------------------------------------


def test_delete_needs_the_slug_as_confirmation(
    client: TestClient, ga: dict[str, str], tenant: MadeTenant
) -> None:
    url = f"/api/tenants/{tenant.id}"
    assert error_code(client.delete(url, headers=ga), 409) == "confirmation_required"
    assert error_code(client.delete(f"{url}?confirm=wrong-slug", headers=ga), 409) == "confirmation_required"
    assert client.get(url, headers=ga).status_code == 200


def test_delete_removes_the_tenant_and_its_users(
    client: TestClient,
    ga: dict[str, str],
    tenant: MadeTenant,
    user_factory: UserFactory,
    admin_engine: Engine,
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    override = client.put(
        "/api/settings/max_upload_mb", json={"value": 5, "tenant_id": str(tenant.id)}, headers=ga
    )
    assert override.status_code == 204, override.text
    response = client.delete(f"/api/tenants/{tenant.id}?confirm={tenant.slug}", headers=ga)
    assert response.status_code == 204, response.text
    assert error_code(client.get(f"/api/tenants/{tenant.id}", headers=ga), 404) == "not_found"
    for table in ("users", "tenant_settings", "audit_log"):
        assert count(admin_engine, f"SELECT count(*) FROM {table} WHERE tenant_id = :t", t=tenant.id) == 0  # noqa: S608
    login = client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert error_code(login, 401) == "invalid_credentials"
    sql = "SELECT count(*) FROM audit_log WHERE action = 'tenant.delete' AND target_id = :id"
    assert count(admin_engine, sql, id=str(tenant.id)) == 1


def test_delete_leaves_other_tenants_alone(
    client: TestClient,
    ga: dict[str, str],
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    user_factory: UserFactory,
) -> None:
    bystander = user_factory(other_tenant, Role.CLIENT)
    assert client.delete(f"/api/tenants/{tenant.id}?confirm={tenant.slug}", headers=ga).status_code == 204
    assert client.get(f"/api/tenants/{other_tenant.id}", headers=ga).status_code == 200
    assert (
        client.post(
            "/api/auth/login", json={"email": bystander.email, "password": bystander.password}
        ).status_code
        == 200
    )


# --- who may do it -----------------------------------------------------------------------------


def tenant_calls(tenant: MadeTenant) -> list[tuple[str, str, dict[str, Any] | None]]:
    url = f"/api/tenants/{tenant.id}"
    return [
        ("GET", "/api/tenants", None),
        ("POST", "/api/tenants", {"slug": unique("nope"), "name": "Nope"}),
        ("GET", url, None),
        ("PATCH", url, {"name": "Taken over"}),
        ("DELETE", f"{url}?confirm={tenant.slug}", None),
    ]


@pytest.mark.parametrize("role", [Role.TENANT_ADMIN, Role.PROJECT_MANAGER, Role.CLIENT])
def test_only_global_admins_manage_tenants(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ga: dict[str, str], role: Role
) -> None:
    party = as_role(tenant, role)
    for method, url, body in tenant_calls(tenant):
        response = client.request(method, url, json=body, headers=party.headers)
        assert error_code(response, 403) == "insufficient_role", (method, url)
    unchanged = client.get(f"/api/tenants/{tenant.id}", headers=ga).json()
    assert unchanged["name"] == tenant.slug.title()


def test_anonymous_callers_are_not_authenticated(client: TestClient, tenant: MadeTenant) -> None:
    for method, url, body in tenant_calls(tenant):
        assert error_code(client.request(method, url, json=body), 401) == "not_authenticated", (method, url)


# --- /current ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TENANT_ADMIN, Role.PROJECT_MANAGER, Role.CLIENT])
def test_current_is_the_callers_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, role: Role
) -> None:
    response = client.get("/api/tenants/current", headers=as_role(tenant, role).headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == str(tenant.id)
    assert body["slug"] == tenant.slug
    assert body["tenant_config"] == DEFAULT_CONFIG


def test_global_admins_have_no_current_tenant(client: TestClient, ga: dict[str, str]) -> None:
    assert error_code(client.get("/api/tenants/current", headers=ga), 404) == "not_found"


def test_current_needs_a_login(client: TestClient) -> None:
    assert error_code(client.get("/api/tenants/current"), 401) == "not_authenticated"

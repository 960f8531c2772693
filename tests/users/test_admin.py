"""The Users screen's rules: the paged list with search, temporary passwords that must be changed,
password resets, and the last tenant admin of a tenant who cannot be removed."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi.testclient import TestClient

from automat.models.user import Role
from tests.support.factories import MadeTenant, unique
from tests.support.fixtures import UserFactory
from tests.users.test_endpoints import AsRole, create, error_code, log_in, patch


def bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def page(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    response = client.get("/api/users", params=query, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


# --- the list ----------------------------------------------------------------------------------


def test_the_list_pages_by_email_with_a_total(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    for _ in range(4):
        user_factory(tenant, Role.CLIENT)
    seen: list[str] = []
    cursor = None
    while True:
        query: dict[str, Any] = {"page_size": 2}
        if cursor:
            query["cursor"] = cursor
        body = page(client, ta.headers, **query)
        assert body["total"] == 5
        assert len(body["items"]) <= 2
        seen += [u["email"] for u in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 == len(set(seen))
    assert seen == sorted(seen)
    bad = client.get("/api/users", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=ta.headers)
    assert error_code(bad, 422) == "invalid_cursor"


def test_the_list_searches_email_and_name(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    word = unique("zebra")
    by_mail = create(client, ta, email=f"{word}@example.test").json()
    by_name = create(client, ta, full_name=f"Anna {word.upper()} Berg").json()
    user_factory(tenant, Role.CLIENT)
    found = page(client, ta.headers, q=word)
    assert {u["id"] for u in found["items"]} == {by_mail["id"], by_name["id"]}
    assert found["total"] == 2
    # % and _ are letters here, not wildcards.
    assert page(client, ta.headers, q="%")["total"] == 0


def test_global_admin_lists_across_tenants_with_the_tenant_of_each(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    user_factory: UserFactory,
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    word = unique("both")
    a = user_factory(tenant, Role.CLIENT, email=f"{word}-a@example.test")
    b = user_factory(other_tenant, Role.CLIENT, email=f"{word}-b@example.test")
    everyone = page(client, ga.headers, q=word)["items"]
    assert [(u["id"], u["tenant_id"]) for u in everyone] == [
        (str(a.id), str(tenant.id)),
        (str(b.id), str(other_tenant.id)),
    ]
    one = page(client, ga.headers, q=word, tenant_id=str(other_tenant.id))["items"]
    assert [u["id"] for u in one] == [str(b.id)]


# --- temporary passwords -----------------------------------------------------------------------


def test_a_new_user_must_change_the_temporary_password_first(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    made = create(client, ta, role="project_manager")
    assert made.status_code == 201, made.text
    email, temporary = made.json()["email"], made.json()["temporary_password"]
    assert len(temporary) >= 12
    # Shown once: no later answer carries it.
    again = client.get(f"/api/users/{made.json()['id']}", headers=ta.headers)
    assert "temporary_password" not in again.json()

    login = log_in(client, email, temporary)
    assert login.json()["must_change_password"] is True
    headers = bearer(login)
    me = client.get("/api/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    for url in ("/api/orders", "/api/products", f"/api/users/{made.json()['id']}", "/api/tenants/current"):
        assert error_code(client.get(url, headers=headers), 403) == "password_change_required", url

    same = {"current_password": temporary, "new_password": temporary}
    refused = client.post("/api/auth/password", json=same, headers=headers)
    assert error_code(refused, 422) == "password_unchanged"
    changed = client.post(
        "/api/auth/password",
        json={"current_password": temporary, "new_password": "my very own password"},
        headers=headers,
    )
    assert changed.json()["must_change_password"] is False
    fresh = bearer(changed)
    assert client.get("/api/products", headers=fresh).status_code == 200
    assert client.get("/api/auth/me", headers=fresh).json()["must_change_password"] is False
    assert error_code(log_in(client, email, temporary), 401) == "invalid_credentials"
    assert log_in(client, email, "my very own password").json()["must_change_password"] is False


def test_a_reset_gives_a_new_temporary_password_and_ends_sessions(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    ta, victim = as_role(tenant, Role.TENANT_ADMIN), as_role(tenant, Role.PROJECT_MANAGER)
    reset = client.post(f"/api/users/{victim.user.id}/password-reset", headers=ta.headers)
    temporary = reset.json()["temporary_password"]
    assert error_code(client.get("/api/products", headers=victim.headers), 401) == "token_revoked"
    headers = bearer(log_in(client, victim.user.email, temporary))
    assert error_code(client.get("/api/products", headers=headers), 403) == "password_change_required"
    listed = page(client, ta.headers, q=victim.user.email)["items"]
    assert [u["must_change_password"] for u in listed] == [True]


def test_nobody_resets_their_own_password_through_the_admin_route(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    for party in (as_role(tenant, Role.TENANT_ADMIN), as_role(None, Role.GLOBAL_ADMIN)):
        response = client.post(f"/api/users/{party.user.id}/password-reset", headers=party.headers)
        assert error_code(response, 409) == "cannot_reset_own_password"
        assert log_in(client, party.user.email, party.user.password).json()["must_change_password"] is False


def test_project_managers_cannot_reset_passwords(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    pm, other = as_role(tenant, Role.PROJECT_MANAGER), user_factory(tenant, Role.CLIENT)
    response = client.post(f"/api/users/{other.id}/password-reset", headers=pm.headers)
    assert error_code(response, 403) == "insufficient_role"
    assert log_in(client, other.email, other.password).status_code == 200


def test_a_tenant_admin_cannot_promote_to_global_admin_nor_reach_global_admins(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    ta, ga = as_role(tenant, Role.TENANT_ADMIN), as_role(None, Role.GLOBAL_ADMIN)
    pm = user_factory(tenant, Role.PROJECT_MANAGER)
    assert error_code(patch(client, ta, pm.id, role="global_admin"), 403) == "role_escalation"
    assert error_code(create(client, ta, role="global_admin"), 403) == "role_escalation"
    reset = client.post(f"/api/users/{ga.user.id}/password-reset", headers=ta.headers)
    assert error_code(reset, 404) == "not_found"
    assert error_code(patch(client, ta, ga.user.id, is_active=False), 404) == "not_found"


# --- the last tenant admin ---------------------------------------------------------------------


def test_the_last_active_tenant_admin_stays(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    only = as_role(tenant, Role.TENANT_ADMIN)
    user_factory(tenant, Role.TENANT_ADMIN, active=False)  # an inactive one does not count
    assert error_code(patch(client, ga, only.user.id, is_active=False), 409) == "last_tenant_admin"
    assert error_code(patch(client, ga, only.user.id, role="project_manager"), 409) == "last_tenant_admin"
    gone = client.delete(f"/api/users/{only.user.id}", headers=ga.headers)
    assert error_code(gone, 409) == "last_tenant_admin"
    assert client.get("/api/auth/me", headers=only.headers).status_code == 200

    # With a second admin, the first may go; then the second is the last.
    second = create(client, only, role="tenant_admin").json()
    assert patch(client, ga, only.user.id, is_active=False).status_code == 200
    assert error_code(client.get("/api/auth/me", headers=only.headers), 401) == "token_revoked"
    assert error_code(patch(client, ga, second["id"], role="client"), 409) == "last_tenant_admin"
    # Reactivated, the first counts again.
    assert patch(client, ga, only.user.id, is_active=True).status_code == 200
    assert patch(client, ga, second["id"], role="client").status_code == 200


def test_the_last_admin_rule_is_per_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    here = as_role(tenant, Role.TENANT_ADMIN)
    as_role(other_tenant, Role.TENANT_ADMIN)
    assert error_code(patch(client, ga, here.user.id, is_active=False), 409) == "last_tenant_admin"


def test_unknown_ids_are_404(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    response = client.post(f"/api/users/{uuid.uuid4()}/password-reset", headers=ta.headers)
    assert error_code(response, 404) == "not_found"

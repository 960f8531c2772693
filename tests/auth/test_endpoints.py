"""/api/auth: login (with rate limiting), token claims, refresh, me, password change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.config import Settings
from automat.models.user import Role
from tests.support.factories import MadeTenant, MadeUser, unique
from tests.support.fixtures import Party, UserFactory

AsRole = Callable[[MadeTenant | None, Role], Party]
NEW_PASSWORD = "a brand new passphrase"


def error_code(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def attempt(client: TestClient, email: str, password: str) -> httpx.Response:
    return client.post("/api/auth/login", json={"email": email, "password": password})


def tokens(client: TestClient, user: MadeUser, password: str | None = None) -> dict[str, Any]:
    response = attempt(client, user.email, password or user.password)
    assert response.status_code == 200, response.text
    return dict(response.json())


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def me(client: TestClient, headers: dict[str, str]) -> httpx.Response:
    return client.get("/api/auth/me", headers=headers)


def deactivate(client: TestClient, url: str, admin: Party) -> None:
    """Deactivate the user or tenant at ``url`` as ``admin``."""
    response = client.patch(url, json={"is_active": False}, headers=admin.headers)
    assert response.status_code == 200, response.text


# --- login -------------------------------------------------------------------------------------


def test_login_returns_a_bearer_token_pair(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.PROJECT_MANAGER)
    body = tokens(client, user)
    assert body["token_type"] == "bearer"
    assert body["access_token"] != body["refresh_token"]
    assert me(client, bearer(body["access_token"])).json()["email"] == user.email


def test_login_ignores_the_case_of_the_email(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    assert attempt(client, f"  {user.email.upper()} ", user.password).status_code == 200


def test_login_records_last_login(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, admin_engine: Engine
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    tokens(client, user)
    with admin_engine.connect() as conn:
        last = conn.execute(text("SELECT last_login_at FROM users WHERE id = :id"), {"id": user.id}).scalar()
    assert last is not None


def test_wrong_password_and_unknown_email_look_the_same(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    wrong = attempt(client, user.email, "not the password")
    unknown = attempt(client, f"{unique('nobody')}@example.test", "not the password")
    assert error_code(wrong, 401) == error_code(unknown, 401) == "invalid_credentials"
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]
    assert wrong.headers["WWW-Authenticate"] == "Bearer"


def test_failed_login_is_audited_as_an_alert(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, admin_engine: Engine
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    attempt(client, user.email, "not the password")
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT channel FROM audit_log WHERE action = 'auth.login_failed' AND target_id = :id"),
            {"id": str(user.id)},
        ).all()
    assert [r.channel for r in rows] == ["alert"]


def test_deactivated_user_cannot_log_in(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.PROJECT_MANAGER, active=False)
    assert error_code(attempt(client, user.email, user.password), 401) == "account_inactive"
    # Without the right password nobody learns that the account exists but is inactive.
    assert error_code(attempt(client, user.email, "not the password"), 401) == "invalid_credentials"


def test_users_of_a_deactivated_tenant_cannot_log_in(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, as_role: AsRole
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    admin = as_role(None, Role.GLOBAL_ADMIN)
    deactivate(client, f"/api/tenants/{tenant.id}", admin)
    assert error_code(attempt(client, user.email, user.password), 401) == "account_inactive"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "x@example.test"},
        {"email": "x@example.test", "password": ""},
        {"email": 5, "password": "x"},
    ],
)
def test_login_with_an_incomplete_body_is_a_validation_error(
    client: TestClient, body: dict[str, Any]
) -> None:
    assert error_code(client.post("/api/auth/login", json=body), 422) == "validation_error"


# --- rate limiting -----------------------------------------------------------------------------


def fail_times(client: TestClient, email: str, n: int) -> None:
    for _ in range(n):
        assert error_code(attempt(client, email, "not the password"), 401) == "invalid_credentials"


def assert_throttled(response: httpx.Response, settings: Settings) -> None:
    assert error_code(response, 429) == "too_many_attempts"
    assert 0 < int(response.headers["Retry-After"]) <= settings.login_failure_window_s


def test_repeated_failures_for_one_account_from_one_address_are_throttled(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, settings: Settings
) -> None:
    user, bystander = user_factory(tenant, Role.CLIENT), user_factory(tenant, Role.CLIENT)
    fail_times(client, user.email, settings.login_max_failures_per_email)
    assert_throttled(attempt(client, user.email, "not the password"), settings)
    # Even the right password is refused from this address while it has to wait ...
    assert_throttled(attempt(client, user.email, user.password), settings)
    # ... in any spelling of the e-mail, while other accounts are unaffected (tests/auth/
    # test_throttling.py: and so is this account from other addresses).
    assert_throttled(attempt(client, user.email.upper(), user.password), settings)
    assert attempt(client, bystander.email, bystander.password).status_code == 200


def test_a_successful_login_clears_the_email_counter(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, settings: Settings
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    below_limit = settings.login_max_failures_per_email - 1
    fail_times(client, user.email, below_limit)
    tokens(client, user)
    fail_times(client, user.email, below_limit)
    assert attempt(client, user.email, user.password).status_code == 200


def test_repeated_failures_from_one_address_are_throttled(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, settings: Settings
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    for _ in range(settings.login_max_failures_per_address):
        # A different e-mail each time: no single e-mail reaches its own limit.
        fail_times(client, f"{unique('spray')}@example.test", 1)
    assert_throttled(attempt(client, f"{unique('fresh')}@example.test", "whatever"), settings)
    assert_throttled(attempt(client, user.email, user.password), settings)


# --- token claims ------------------------------------------------------------------------------


def test_access_token_claims(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, settings: Settings
) -> None:
    user = user_factory(tenant, Role.PROJECT_MANAGER)
    first, second = tokens(client, user), tokens(client, user)
    claims = claims_of(first["access_token"])
    assert {"sub", "role", "tenant_id", "exp", "iat", "jti"} <= claims.keys()
    assert claims["sub"] == str(user.id)
    assert claims["role"] == "project_manager"
    assert claims["tenant_id"] == str(tenant.id)
    assert claims["exp"] - claims["iat"] == settings.access_token_minutes * 60
    assert first["expires_in"] == settings.access_token_minutes * 60
    assert jwt.get_unverified_header(first["access_token"])["alg"] == "HS256"
    assert claims["jti"] != claims_of(second["access_token"])["jti"]


def test_global_admin_token_names_no_tenant(client: TestClient, user_factory: UserFactory) -> None:
    claims = claims_of(tokens(client, user_factory(None, Role.GLOBAL_ADMIN))["access_token"])
    assert claims["role"] == "global_admin"
    assert claims["tenant_id"] is None


# --- refresh -----------------------------------------------------------------------------------


def refresh(client: TestClient, refresh_token: str) -> httpx.Response:
    return client.post("/api/auth/refresh", json={"refresh_token": refresh_token})


def test_refresh_token_works_exactly_once(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    pair = tokens(client, user)
    renewed = refresh(client, pair["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    assert me(client, bearer(renewed.json()["access_token"])).json()["id"] == str(user.id)
    assert error_code(refresh(client, pair["refresh_token"]), 401) == "token_reused"
    # The refresh token handed out by the refresh is itself good for one more round.
    assert refresh(client, renewed.json()["refresh_token"]).status_code == 200


def test_refresh_refuses_an_access_token(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    pair = tokens(client, user_factory(tenant, Role.CLIENT))
    assert error_code(refresh(client, pair["access_token"]), 401) == "token_invalid"


def test_refresh_refuses_garbage(client: TestClient) -> None:
    assert error_code(refresh(client, "not-a-jwt-at-all"), 401) == "token_invalid"


def test_access_endpoints_refuse_a_refresh_token(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    pair = tokens(client, user_factory(tenant, Role.CLIENT))
    assert error_code(me(client, bearer(pair["refresh_token"])), 401) == "token_invalid"


def test_refresh_after_deactivation_is_revoked(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, as_role: AsRole
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    pair = tokens(client, user)
    admin = as_role(tenant, Role.TENANT_ADMIN)
    deactivate(client, f"/api/users/{user.id}", admin)
    assert error_code(refresh(client, pair["refresh_token"]), 401) == "token_revoked"


def test_deactivating_a_tenant_logs_its_users_out(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory, as_role: AsRole
) -> None:
    pair = tokens(client, user_factory(tenant, Role.PROJECT_MANAGER))
    admin = as_role(None, Role.GLOBAL_ADMIN)
    deactivate(client, f"/api/tenants/{tenant.id}", admin)
    assert error_code(me(client, bearer(pair["access_token"])), 401) == "token_revoked"
    assert error_code(refresh(client, pair["refresh_token"]), 401) == "token_revoked"


# --- me ----------------------------------------------------------------------------------------

CLIENT_PERMISSIONS = {"create_own_orders", "view_own_orders"}
PM_PERMISSIONS = CLIENT_PERMISSIONS | {
    "trigger_renders",
    "view_tenant_orders",
    "reject_orders",
    "delete_renders",
    "view_analytics",
    "manage_products",
    "manage_cad_files",
    "view_materials",
    "view_render_templates",
    "view_workflows",
    "view_activity",
    "view_invoices",
}
TA_PERMISSIONS = PM_PERMISSIONS | {
    "manage_tenant_users",
    "manage_settings",
    "manage_materials",
    "manage_output_types",
    "manage_workflows",
    "view_alerts",
    "view_audit_log",
    "run_admin_actions",
    "manage_invoices",
}
GA_PERMISSIONS = TA_PERMISSIONS | {
    "manage_tenants",
    "manage_all_users",
    "read_dev_mailbox",
    "manage_system_settings",
    "manage_workers",
}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CLIENT, CLIENT_PERMISSIONS),
        (Role.PROJECT_MANAGER, PM_PERMISSIONS),
        (Role.TENANT_ADMIN, TA_PERMISSIONS),
    ],
)
def test_me_describes_a_tenant_user(
    client: TestClient, tenant: MadeTenant, as_role: AsRole, role: Role, expected: set[str]
) -> None:
    party = as_role(tenant, role)
    response = me(client, party.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == str(party.user.id)
    assert body["email"] == party.user.email
    assert body["role"] == role.value
    assert body["tenant"]["id"] == str(tenant.id)
    assert body["tenant"]["slug"] == tenant.slug
    assert set(body["permissions"]) == expected


def test_me_describes_a_global_admin(client: TestClient, as_role: AsRole) -> None:
    body = me(client, as_role(None, Role.GLOBAL_ADMIN).headers).json()
    assert body["role"] == "global_admin"
    assert body["tenant"] is None
    assert set(body["permissions"]) == GA_PERMISSIONS


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer x.y.z"},
    ],
)
def test_me_refuses_a_malformed_authorization(client: TestClient, headers: dict[str, str]) -> None:
    assert error_code(me(client, headers), 401) == "token_invalid"


def test_me_without_a_token_is_not_authenticated(client: TestClient) -> None:
    response = me(client, {})
    assert error_code(response, 401) == "not_authenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"


# --- password change ---------------------------------------------------------------------------


def change_password(client: TestClient, headers: dict[str, str], current: str, new: str) -> httpx.Response:
    return client.post(
        "/api/auth/password", json={"current_password": current, "new_password": new}, headers=headers
    )


def test_password_change_retires_old_tokens_and_issues_new_ones(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.PROJECT_MANAGER)
    old = tokens(client, user)
    response = change_password(client, bearer(old["access_token"]), user.password, NEW_PASSWORD)
    assert response.status_code == 200, response.text
    new = response.json()
    assert error_code(me(client, bearer(old["access_token"])), 401) == "token_revoked"
    assert error_code(refresh(client, old["refresh_token"]), 401) == "token_revoked"
    assert me(client, bearer(new["access_token"])).status_code == 200
    assert refresh(client, new["refresh_token"]).status_code == 200
    assert error_code(attempt(client, user.email, user.password), 401) == "invalid_credentials"
    assert attempt(client, user.email, NEW_PASSWORD).status_code == 200


def test_password_change_is_audited(
    client: TestClient, tenant: MadeTenant, as_role: AsRole, admin_engine: Engine
) -> None:
    party = as_role(tenant, Role.CLIENT)
    assert change_password(client, party.headers, party.user.password, NEW_PASSWORD).status_code == 200
    with admin_engine.connect() as conn:
        actors = (
            conn.execute(
                text(
                    "SELECT actor_id FROM audit_log WHERE action = 'auth.password_change' AND target_id = :id"
                ),
                {"id": str(party.user.id)},
            )
            .scalars()
            .all()
        )
    assert actors == [party.user.id]


def test_password_change_needs_the_current_password(
    client: TestClient, tenant: MadeTenant, as_role: AsRole
) -> None:
    party = as_role(tenant, Role.CLIENT)
    response = change_password(client, party.headers, "not the password", NEW_PASSWORD)
    assert error_code(response, 401) == "invalid_credentials"
    # Nothing changed: the token still works and so does the old password.
    assert me(client, party.headers).status_code == 200
    assert attempt(client, party.user.email, party.user.password).status_code == 200


def test_password_change_refuses_a_short_password(
    client: TestClient, tenant: MadeTenant, as_role: AsRole
) -> None:
    party = as_role(tenant, Role.CLIENT)
    assert (
        error_code(change_password(client, party.headers, party.user.password, "short"), 422)
        == "validation_error"
    )
    assert attempt(client, party.user.email, party.user.password).status_code == 200


def test_password_change_needs_a_login(client: TestClient) -> None:
    assert error_code(change_password(client, {}, "whatever", NEW_PASSWORD), 401) == "not_authenticated"


def test_a_token_for_a_deleted_user_is_refused(
    client: TestClient, tenant: MadeTenant, as_role: AsRole, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    pair = tokens(client, user)
    admin = as_role(tenant, Role.TENANT_ADMIN)
    assert client.delete(f"/api/users/{user.id}", headers=admin.headers).status_code == 204
    assert error_code(me(client, bearer(pair["access_token"])), 401) == "token_revoked"
    assert error_code(refresh(client, pair["refresh_token"]), 401) == "token_revoked"


# --- the user's language (issue 15) -------------------------------------------------------------


def test_me_says_the_users_language_once_chosen_and_it_outlives_the_session(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.PROJECT_MANAGER)
    headers = bearer(tokens(client, user)["access_token"])
    assert me(client, headers).json()["locale"] is None, "not chosen yet: the browser's language applies"
    chosen = client.put("/api/notification-preferences", json={"locale": "de"}, headers=headers)
    assert chosen.status_code == 200, chosen.text
    again = bearer(tokens(client, user)["access_token"])  # the next login
    assert me(client, again).json()["locale"] == "de"
    refused = client.put("/api/notification-preferences", json={"locale": "fr"}, headers=again)
    assert error_code(refused, 422) == "validation_error"
    assert me(client, again).json()["locale"] == "de"


def test_a_global_admin_chooses_a_language_too(client: TestClient, as_role: AsRole) -> None:
    admin = as_role(None, Role.GLOBAL_ADMIN)
    chosen = client.put("/api/notification-preferences", json={"locale": "de"}, headers=admin.headers)
    assert chosen.status_code == 200, chosen.text
    assert me(client, admin.headers).json()["locale"] == "de"

"""/api/users: who may see and manage whom, token revocation, conflicts, and the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.models.user import Role
from tests.support.factories import MadeTenant, MadeUser, unique
from tests.support.fixtures import Party, UserFactory

AsRole = Callable[[MadeTenant | None, Role], Party]
PASSWORD = "a long enough password"


def error_code(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def new_email() -> str:
    return f"{unique('new')}@example.test"


def jsonable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in body.items()}


def create(client: TestClient, party: Party, **body: Any) -> httpx.Response:
    body = {"email": new_email(), "role": "client", **body}
    return client.post("/api/users", json=jsonable(body), headers=party.headers)


def patch(client: TestClient, party: Party, user_id: Any, **body: Any) -> httpx.Response:
    return client.patch(f"/api/users/{user_id}", json=jsonable(body), headers=party.headers)


def log_in(client: TestClient, email: str, password: str) -> httpx.Response:
    return client.post("/api/auth/login", json={"email": email, "password": password})


def listed_ids(client: TestClient, party: Party, query: str = "") -> set[str]:
    response = client.get(f"/api/users?page_size=200{query}", headers=party.headers)
    assert response.status_code == 200, response.text
    return {u["id"] for u in response.json()["items"]}


def audit_actions(
    admin_engine: Engine, target_id: Any
) -> list[tuple[str, uuid.UUID | None, uuid.UUID | None]]:
    """(action, actor_id, tenant_id) of every audit row about ``target_id``, oldest first."""
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT action, actor_id, tenant_id FROM audit_log WHERE target_id = :id ORDER BY id"),
            {"id": str(target_id)},
        ).all()
    return [(r.action, r.actor_id, r.tenant_id) for r in rows]


def me_code(client: TestClient, party: Party) -> int:
    return client.get("/api/auth/me", headers=party.headers).status_code


# --- global admins -----------------------------------------------------------------------------


def test_global_admin_creates_a_user_in_any_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    email = new_email()
    response = create(client, ga, email=email, role="project_manager", tenant_id=tenant.id, full_name="Pat M")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == email
    assert body["role"] == "project_manager"
    assert body["tenant_id"] == str(tenant.id)
    assert body["full_name"] == "Pat M"
    assert body["is_active"] is True
    assert "password_hash" not in body
    assert body["must_change_password"] is True
    assert log_in(client, email, body["temporary_password"]).status_code == 200


def test_global_admin_lists_all_tenants_or_one(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    user_factory: UserFactory,
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    mine, theirs = user_factory(tenant, Role.CLIENT), user_factory(other_tenant, Role.CLIENT)
    assert {str(mine.id), str(theirs.id)} <= listed_ids(client, ga)
    assert listed_ids(client, ga, f"&tenant_id={tenant.id}") == {str(mine.id)}


def test_global_admin_manages_users_of_any_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    user = user_factory(tenant, Role.CLIENT)
    assert client.get(f"/api/users/{user.id}", headers=ga.headers).json()["email"] == user.email
    updated = patch(client, ga, user.id, role="project_manager", full_name="Promoted")
    assert updated.status_code == 200, updated.text
    assert (updated.json()["role"], updated.json()["full_name"]) == ("project_manager", "Promoted")
    assert client.delete(f"/api/users/{user.id}", headers=ga.headers).status_code == 204
    assert error_code(client.get(f"/api/users/{user.id}", headers=ga.headers), 404) == "not_found"


def test_global_admin_creates_another_global_admin(client: TestClient, as_role: AsRole) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    response = create(client, ga, role="global_admin")
    assert response.status_code == 201, response.text
    assert response.json()["tenant_id"] is None


def test_a_global_admin_cannot_be_given_a_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    response = create(client, ga, role="global_admin", tenant_id=tenant.id)
    assert error_code(response, 422) == "global_admin_has_no_tenant"


def test_a_tenant_user_needs_a_tenant(client: TestClient, as_role: AsRole) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    assert error_code(create(client, ga, role="client"), 422) == "tenant_required"
    assert error_code(create(client, ga, role="client", tenant_id=uuid.uuid4()), 404) == "not_found"


def test_a_tenant_user_cannot_become_a_global_admin(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    user = user_factory(tenant, Role.TENANT_ADMIN)
    assert error_code(patch(client, ga, user.id, role="global_admin"), 422) == "role_scope"


# --- tenant admins -----------------------------------------------------------------------------


def test_tenant_admin_creates_users_in_their_own_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    for role in ("client", "project_manager", "tenant_admin"):
        response = create(client, ta, role=role)
        assert response.status_code == 201, response.text
        assert response.json()["tenant_id"] == str(tenant.id)
    assert create(client, ta, tenant_id=tenant.id).status_code == 201


def test_tenant_admin_cannot_create_users_in_another_tenant(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    user_factory: UserFactory,
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    email = new_email()
    assert error_code(create(client, ta, email=email, tenant_id=other_tenant.id), 404) == "not_found"
    assert error_code(log_in(client, email, PASSWORD), 401) == "invalid_credentials"


def test_tenant_admin_sees_only_their_tenant(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    user_factory: UserFactory,
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    mine, theirs = user_factory(tenant, Role.CLIENT), user_factory(other_tenant, Role.CLIENT)
    assert listed_ids(client, ta) == {str(ta.user.id), str(mine.id)}
    assert str(theirs.id) not in listed_ids(client, ta)
    response = client.get(f"/api/users?tenant_id={other_tenant.id}", headers=ta.headers)
    assert error_code(response, 404) == "not_found"


def test_other_tenants_users_are_404_for_a_tenant_admin(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    user_factory: UserFactory,
    admin_engine: Engine,
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    victim = user_factory(other_tenant, Role.CLIENT)
    url = f"/api/users/{victim.id}"
    assert error_code(client.get(url, headers=ta.headers), 404) == "not_found"
    assert error_code(patch(client, ta, victim.id, is_active=False), 404) == "not_found"
    reset = client.post(f"{url}/password-reset", headers=ta.headers)
    assert error_code(reset, 404) == "not_found"
    assert error_code(client.delete(url, headers=ta.headers), 404) == "not_found"
    # The same answer as for an id that does not exist at all: nothing leaks.
    unknown = client.get(f"/api/users/{uuid.uuid4()}", headers=ta.headers)
    assert client.get(url, headers=ta.headers).json() == unknown.json()
    assert log_in(client, victim.email, victim.password).status_code == 200
    assert audit_actions(admin_engine, victim.id) == [("auth.login", None, other_tenant.id)]


def test_tenant_admin_cannot_create_a_global_admin(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    email = new_email()
    assert error_code(create(client, ta, email=email, role="global_admin"), 403) == "role_escalation"
    assert error_code(log_in(client, email, PASSWORD), 401) == "invalid_credentials"


@pytest.mark.parametrize("target_is_self", [False, True])
def test_tenant_admin_cannot_escalate_to_global_admin(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory, target_is_self: bool
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    target = ta.user if target_is_self else user_factory(tenant, Role.PROJECT_MANAGER)
    assert error_code(patch(client, ta, target.id, role="global_admin"), 403) == "role_escalation"
    assert client.get(f"/api/users/{target.id}", headers=ta.headers).json()["role"] == target.role.value


def test_tenant_admin_changes_roles_and_names_in_their_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    user = user_factory(tenant, Role.CLIENT)
    response = patch(client, ta, user.id, role="project_manager", full_name="Now a PM")
    assert response.status_code == 200, response.text
    stored = client.get(f"/api/users/{user.id}", headers=ta.headers).json()
    assert (stored["role"], stored["full_name"]) == ("project_manager", "Now a PM")


def test_nobody_changes_their_own_role(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    assert error_code(patch(client, ta, ta.user.id, role="client"), 409) == "cannot_change_own_role"


# --- project managers and clients --------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.CLIENT])
def test_pm_and_client_cannot_write_users(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory, role: Role
) -> None:
    party = as_role(tenant, role)
    other = user_factory(tenant, Role.CLIENT)
    email = new_email()
    assert error_code(create(client, party, email=email), 403) == "insufficient_role"
    assert error_code(patch(client, party, other.id, full_name="x"), 403) == "insufficient_role"
    assert error_code(patch(client, party, party.user.id, role="tenant_admin"), 403) == "insufficient_role"
    assert (
        error_code(client.delete(f"/api/users/{other.id}", headers=party.headers), 403) == "insufficient_role"
    )
    assert error_code(log_in(client, email, PASSWORD), 401) == "invalid_credentials"
    assert log_in(client, other.email, other.password).status_code == 200


def test_project_manager_reads_their_tenants_users_but_not_the_list(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    user_factory: UserFactory,
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    mine, theirs = user_factory(tenant, Role.CLIENT), user_factory(other_tenant, Role.CLIENT)
    listing = client.get("/api/users", headers=pm.headers)
    assert error_code(listing, 403) == "insufficient_role"
    assert client.get(f"/api/users/{mine.id}", headers=pm.headers).status_code == 200
    assert error_code(client.get(f"/api/users/{theirs.id}", headers=pm.headers), 404) == "not_found"


def test_client_sees_only_themselves(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    me = as_role(tenant, Role.CLIENT)
    colleague = user_factory(tenant, Role.PROJECT_MANAGER)
    assert error_code(client.get("/api/users", headers=me.headers), 403) == "insufficient_role"
    assert client.get(f"/api/users/{me.user.id}", headers=me.headers).json()["email"] == me.user.email
    assert error_code(client.get(f"/api/users/{colleague.id}", headers=me.headers), 404) == "not_found"


def test_anonymous_callers_are_not_authenticated(client: TestClient, tenant: MadeTenant) -> None:
    assert error_code(client.get("/api/users"), 401) == "not_authenticated"
    body = {"email": new_email(), "tenant_id": str(tenant.id)}
    assert error_code(client.post("/api/users", json=body), 401) == "not_authenticated"


# --- revocation --------------------------------------------------------------------------------


def test_deactivation_revokes_tokens_and_blocks_login(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    ta, victim = as_role(tenant, Role.TENANT_ADMIN), as_role(tenant, Role.PROJECT_MANAGER)
    response = patch(client, ta, victim.user.id, is_active=False)
    assert response.status_code == 200, response.text
    assert response.json()["is_active"] is False
    assert error_code(client.get("/api/auth/me", headers=victim.headers), 401) == "token_revoked"
    assert error_code(log_in(client, victim.user.email, victim.user.password), 401) == "account_inactive"
    # Reactivated, the user logs in again; the old token stays dead.
    assert patch(client, ta, victim.user.id, is_active=True).status_code == 200
    assert log_in(client, victim.user.email, victim.user.password).status_code == 200
    assert error_code(client.get("/api/auth/me", headers=victim.headers), 401) == "token_revoked"


def test_password_reset_by_an_admin_revokes_tokens(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    ta, victim = as_role(tenant, Role.TENANT_ADMIN), as_role(tenant, Role.CLIENT)
    response = client.post(f"/api/users/{victim.user.id}/password-reset", headers=ta.headers)
    assert response.status_code == 200, response.text
    temporary = response.json()["temporary_password"]
    assert error_code(client.get("/api/auth/me", headers=victim.headers), 401) == "token_revoked"
    assert error_code(log_in(client, victim.user.email, victim.user.password), 401) == "invalid_credentials"
    login = log_in(client, victim.user.email, temporary)
    assert login.status_code == 200
    assert login.json()["must_change_password"] is True


def test_role_change_revokes_tokens(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    ta, victim = as_role(tenant, Role.TENANT_ADMIN), as_role(tenant, Role.PROJECT_MANAGER)
    assert patch(client, ta, victim.user.id, role="client").status_code == 200
    assert error_code(client.get("/api/auth/me", headers=victim.headers), 401) == "token_revoked"


def test_a_name_change_keeps_tokens(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    ta, user = as_role(tenant, Role.TENANT_ADMIN), as_role(tenant, Role.CLIENT)
    assert patch(client, ta, user.user.id, full_name="Renamed").status_code == 200
    assert me_code(client, user) == 200


# --- conflicts and bad input -------------------------------------------------------------------


def test_nobody_deletes_or_deactivates_themselves(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    for party in (as_role(tenant, Role.TENANT_ADMIN), as_role(None, Role.GLOBAL_ADMIN)):
        url = f"/api/users/{party.user.id}"
        assert error_code(client.delete(url, headers=party.headers), 409) == "cannot_delete_self"
        assert (
            error_code(patch(client, party, party.user.id, is_active=False), 409) == "cannot_deactivate_self"
        )
        assert me_code(client, party) == 200


@pytest.mark.parametrize("same_tenant", [True, False], ids=["same-tenant", "other-tenant"])
def test_duplicate_email_is_a_conflict(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    user_factory: UserFactory,
    same_tenant: bool,
) -> None:
    """E-mails are unique in the whole installation (they are the login), also across tenants."""
    existing = user_factory(tenant if same_tenant else other_tenant, Role.CLIENT)
    ta = as_role(tenant, Role.TENANT_ADMIN)
    assert error_code(create(client, ta, email=existing.email), 409) == "email_taken"
    assert error_code(create(client, ta, email=existing.email.upper()), 409) == "email_taken"
    assert log_in(client, existing.email, existing.password).status_code == 200


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"email": "not-an-email"}, "validation_error"),
        ({"password": "admins do not choose it"}, "unknown_field"),
        ({"role": "superuser"}, "validation_error"),
        ({"is_admin": True}, "unknown_field"),
    ],
)
def test_bad_user_input_is_refused(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, body: dict[str, Any], code: str
) -> None:
    assert error_code(create(client, as_role(tenant, Role.TENANT_ADMIN), **body), 422) == code


# --- audit -------------------------------------------------------------------------------------


def test_every_user_write_is_audited(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    ta = as_role(tenant, Role.TENANT_ADMIN)
    user_id = create(client, ta).json()["id"]
    assert patch(client, ta, user_id, full_name="Renamed").status_code == 200
    assert client.post(f"/api/users/{user_id}/password-reset", headers=ta.headers).status_code == 200
    assert client.delete(f"/api/users/{user_id}", headers=ta.headers).status_code == 204
    response = client.get("/api/audit?page_size=200", headers=ta.headers)
    assert response.status_code == 200, response.text
    entries = [e for e in response.json()["items"] if e["target_id"] == user_id]
    assert [e["action"] for e in reversed(entries)] == [
        "user.create",
        "user.update",
        "user.reset_password",
        "user.delete",
    ]
    assert {(e["actor_id"], e["actor_role"], e["tenant_id"]) for e in entries} == {
        (str(ta.user.id), "tenant_admin", str(tenant.id))
    }
    update = next(e for e in entries if e["action"] == "user.update")
    assert update["detail"]["changes"] == {"full_name": "Renamed"}
    assert "temporary_password" not in response.text


def test_global_admin_writes_are_audited_with_the_users_tenant(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, admin_engine: Engine
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    user_id = uuid.UUID(create(client, ga, tenant_id=tenant.id).json()["id"])
    assert patch(client, ga, user_id, is_active=False).status_code == 200
    assert audit_actions(admin_engine, user_id) == [
        ("user.create", ga.user.id, tenant.id),
        ("user.update", ga.user.id, tenant.id),
    ]


def test_refused_writes_leave_no_audit_row(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, user_factory: UserFactory, admin_engine: Engine
) -> None:
    target: MadeUser = user_factory(tenant, Role.CLIENT)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    patch(client, pm, target.id, full_name="x")
    client.delete(f"/api/users/{target.id}", headers=pm.headers)
    assert audit_actions(admin_engine, target.id) == []

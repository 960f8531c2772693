"""Tenant isolation through the API: ids of another tenant look like unknown ids (404),
roles cannot be escalated (403), and tampered tokens are refused (401)."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from automat.config import Settings
from automat.core.security import issue_token
from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


@pytest.fixture
def a_admin(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


@pytest.fixture
def b_pm(as_role: AsRole, other_tenant: MadeTenant) -> Party:
    return as_role(other_tenant, Role.PROJECT_MANAGER)


def _error_code(response: object) -> str:
    return response.json()["error"]["code"]  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_other_tenants_user_is_not_found(
    client: TestClient, a_admin: Party, b_pm: Party, method: str
) -> None:
    kwargs = {"json": {"full_name": "pwned"}} if method == "PATCH" else {}
    response = client.request(method, f"/api/users/{b_pm.user.id}", headers=a_admin.headers, **kwargs)
    assert response.status_code == 404
    assert _error_code(response) == "not_found"
    # And B's user is untouched.
    me = client.get("/api/auth/me", headers=b_pm.headers)
    assert me.status_code == 200
    assert me.json()["full_name"] != "pwned"


def test_unknown_and_foreign_ids_answer_alike(client: TestClient, a_admin: Party, b_pm: Party) -> None:
    foreign = client.get(f"/api/users/{b_pm.user.id}", headers=a_admin.headers)
    unknown = client.get(f"/api/users/{uuid.uuid4()}", headers=a_admin.headers)
    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())


def test_user_list_holds_only_own_tenant(client: TestClient, a_admin: Party, b_pm: Party) -> None:
    response = client.get("/api/users", headers=a_admin.headers)
    assert response.status_code == 200
    tenants = {u["tenant_id"] for u in response.json()["items"]}
    assert tenants == {str(a_admin.user.tenant_id)}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/users?tenant_id={b}"),
        ("GET", "/api/settings?tenant_id={b}"),
        ("GET", "/api/audit?tenant_id={b}"),
    ],
)
def test_naming_another_tenant_in_a_query_is_not_found(
    client: TestClient, a_admin: Party, b_pm: Party, method: str, path: str
) -> None:
    response = client.request(method, path.format(b=b_pm.user.tenant_id), headers=a_admin.headers)
    assert response.status_code == 404


def test_setting_another_tenants_override_is_not_found(
    client: TestClient, a_admin: Party, b_pm: Party
) -> None:
    response = client.put(
        "/api/settings/max_upload_mb",
        json={"value": 1, "tenant_id": str(b_pm.user.tenant_id)},
        headers=a_admin.headers,
    )
    assert response.status_code == 404


def test_audit_trail_shows_only_own_tenant(
    client: TestClient, a_admin: Party, b_pm: Party, as_role: AsRole
) -> None:
    b_admin = as_role(MadeTenant(b_pm.user.tenant_id, "b"), Role.TENANT_ADMIN)  # type: ignore[arg-type]
    client.patch(f"/api/users/{b_pm.user.id}", json={"full_name": "B renamed"}, headers=b_admin.headers)
    entries = client.get("/api/audit", headers=a_admin.headers).json()["items"]
    assert {e["tenant_id"] for e in entries} <= {str(a_admin.user.tenant_id)}


def test_client_sees_only_themselves(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    customer = as_role(tenant, Role.CLIENT)
    assert client.get("/api/users", headers=customer.headers).status_code == 403
    assert client.get(f"/api/users/{customer.user.id}", headers=customer.headers).status_code == 200
    assert client.get(f"/api/users/{pm.user.id}", headers=customer.headers).status_code == 404


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        (
            Role.PROJECT_MANAGER,
            "POST",
            "/api/users",
            {"email": "x@example.test"},
        ),
        (Role.CLIENT, "POST", "/api/users", {"email": "y@example.test"}),
        (Role.TENANT_ADMIN, "GET", "/api/tenants", None),
        (Role.TENANT_ADMIN, "POST", "/api/tenants", {"slug": "mine", "name": "Mine"}),
        (Role.PROJECT_MANAGER, "PUT", "/api/settings/max_upload_mb", {"value": 10}),
        (Role.CLIENT, "GET", "/api/settings", None),
        (
            Role.TENANT_ADMIN,
            "POST",
            "/api/users",
            {"email": "ga@example.test", "role": "global_admin"},
        ),
    ],
)
def test_role_escalation_is_forbidden(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, role: Role, method: str, path: str, body: object
) -> None:
    party = as_role(tenant, role)
    response = client.request(method, path, json=body, headers=party.headers)
    assert response.status_code == 403, response.text


def test_tenant_admin_cannot_promote_anyone_to_global_admin(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    admin = as_role(tenant, Role.TENANT_ADMIN)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    response = client.patch(f"/api/users/{pm.user.id}", json={"role": "global_admin"}, headers=admin.headers)
    assert response.status_code == 403
    assert _error_code(response) == "role_escalation"


def test_global_admin_sees_every_tenant(
    client: TestClient, as_role: AsRole, a_admin: Party, b_pm: Party
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    for party in (a_admin, b_pm):
        assert client.get(f"/api/users/{party.user.id}", headers=ga.headers).status_code == 200


# -- token tampering ---------------------------------------------------------------------------


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forge(settings: Settings, party: Party, kind: str) -> str:
    user = party.user
    common = {"user_id": user.id, "role": user.role, "token_version": 1, "typ": "access"}
    if kind == "expired":
        return issue_token(
            secret=settings.secret("secret_key"),
            tenant_id=user.tenant_id,
            lifetime=timedelta(seconds=-5),
            **common,  # type: ignore[arg-type]
        )
    if kind == "bad_signature":
        return issue_token(
            secret="a-different-key-of-the-proper-length-000",
            tenant_id=user.tenant_id,
            lifetime=timedelta(minutes=5),
            **common,  # type: ignore[arg-type]
        )
    if kind == "missing_tenant":
        return issue_token(
            secret=settings.secret("secret_key"),
            tenant_id=None,
            lifetime=timedelta(minutes=5),
            **common,  # type: ignore[arg-type]
        )
    header, payload, signature = party.headers["Authorization"].removeprefix("Bearer ").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    if kind == "alg_none":
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    if kind == "role_swapped":
        return f"{header}.{_b64({**claims, 'role': 'global_admin', 'tenant_id': None})}.{signature}"
    if kind == "tenant_swapped":
        return f"{header}.{_b64({**claims, 'tenant_id': str(uuid.uuid4())})}.{signature}"
    if kind == "garbage":
        return "not.a.token"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("expired", "token_expired"),
        ("bad_signature", "token_invalid"),
        ("alg_none", "token_invalid"),
        ("missing_tenant", "token_missing_tenant"),
        ("role_swapped", "token_invalid"),
        ("tenant_swapped", "token_invalid"),
        ("garbage", "token_invalid"),
    ],
)
def test_tampered_tokens_are_refused(
    client: TestClient, settings: Settings, a_admin: Party, kind: str, code: str
) -> None:
    token = _forge(settings, a_admin, kind)
    response = client.get("/api/users", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert _error_code(response) == code


def test_no_token_is_401(client: TestClient) -> None:
    response = client.get("/api/users")
    assert response.status_code == 401
    assert _error_code(response) == "not_authenticated"

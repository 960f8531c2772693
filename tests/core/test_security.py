"""automat.core.security: argon2 password hashing and JWT issue/decode with stable error codes."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from automat.config import Settings
from automat.core.security import (
    decode_token,
    hash_password,
    issue_token,
    verify_password,
)
from automat.kit.errors import Unauthorized
from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import UserFactory

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"
TENANT = uuid.uuid4()
USER = uuid.uuid4()


def token(
    *,
    secret: str = SECRET,
    role: Role = Role.PROJECT_MANAGER,
    tenant_id: uuid.UUID | None = TENANT,
    typ: Any = "access",
    lifetime: timedelta = timedelta(minutes=5),
    user_id: uuid.UUID = USER,
    version: int = 1,
) -> str:
    return issue_token(
        secret=secret,
        user_id=user_id,
        role=role,
        tenant_id=tenant_id,
        token_version=version,
        typ=typ,
        lifetime=lifetime,
    )


def refused_code(raw: str, **kw: Any) -> str:
    with pytest.raises(Unauthorized) as caught:
        decode_token(raw, secret=SECRET, **kw)
    assert caught.value.status_code == 401
    return caught.value.code


def payload(**changes: Any) -> dict[str, Any]:
    """The claims of a good token, then ``changes`` (a value of None drops the claim)."""
    claims = jwt.decode(token(), SECRET, algorithms=["HS256"])
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# --- passwords ---------------------------------------------------------------------------------


def test_password_hash_is_salted_argon2() -> None:
    first, second = hash_password("s3cret pass"), hash_password("s3cret pass")
    assert first.startswith("$argon2id$")
    assert "s3cret pass" not in first
    assert first != second


def test_verify_password_accepts_only_the_right_password() -> None:
    hashed = hash_password("s3cret pass")
    assert verify_password(hashed, "s3cret pass") is True
    assert verify_password(hashed, "s3cret pasS") is False
    assert verify_password(hashed, "") is False


@pytest.mark.parametrize("stored", [None, "", "not-an-argon2-hash", "$argon2id$v=19$broken"])
def test_verify_password_is_false_for_a_missing_or_broken_hash(stored: str | None) -> None:
    assert verify_password(stored, "automat-timing-equaliser") is False


# --- tokens that are accepted -----------------------------------------------------------------


def test_a_good_access_token_decodes_to_its_claims() -> None:
    claims = decode_token(token(version=7), secret=SECRET)
    assert claims.user_id == USER
    assert claims.role is Role.PROJECT_MANAGER
    assert claims.tenant_id == TENANT
    assert claims.token_version == 7
    assert claims.typ == "access"
    assert claims.jti
    assert not claims.is_global_admin


def test_a_global_admin_token_has_no_tenant() -> None:
    claims = decode_token(token(role=Role.GLOBAL_ADMIN, tenant_id=None), secret=SECRET)
    assert claims.is_global_admin
    assert claims.tenant_id is None


def test_every_token_gets_its_own_jti() -> None:
    assert decode_token(token(), secret=SECRET).jti != decode_token(token(), secret=SECRET).jti


def test_a_refresh_token_decodes_as_refresh() -> None:
    assert decode_token(token(typ="refresh"), secret=SECRET, expected="refresh").typ == "refresh"


# --- tokens that are refused ------------------------------------------------------------------


def test_an_expired_token_is_refused() -> None:
    assert refused_code(token(lifetime=timedelta(seconds=-5))) == "token_expired"


def test_a_token_signed_with_another_key_is_refused() -> None:
    assert refused_code(token(secret="another-secret-that-is-also-long-enough-x")) == "token_invalid"


def test_a_token_with_a_changed_payload_is_refused() -> None:
    header, _, signature = token().split(".")
    forged = ".".join([header, b64(payload(role="global_admin", tenant_id=None)), signature])
    assert refused_code(forged) == "token_invalid"


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_an_unsigned_alg_none_token_is_refused(alg: str) -> None:
    unsigned = f"{b64({'alg': alg, 'typ': 'JWT'})}.{b64(payload())}."
    assert refused_code(unsigned) == "token_invalid"


def test_a_token_with_another_algorithm_is_refused() -> None:
    assert refused_code(jwt.encode(payload(), SECRET, algorithm="HS512")) == "token_invalid"


def test_a_non_global_role_without_tenant_is_refused() -> None:
    assert refused_code(token(role=Role.CLIENT, tenant_id=None)) == "token_missing_tenant"


def test_a_global_admin_token_naming_a_tenant_is_refused() -> None:
    assert refused_code(token(role=Role.GLOBAL_ADMIN, tenant_id=TENANT)) == "token_invalid"


def test_a_refresh_token_is_not_an_access_token() -> None:
    assert refused_code(token(typ="refresh")) == "token_invalid"


def test_an_access_token_is_not_a_refresh_token() -> None:
    assert refused_code(token(), expected="refresh") == "token_invalid"


@pytest.mark.parametrize("claim", ["sub", "role", "exp", "iat", "jti", "typ", "ver"])
def test_a_token_missing_a_required_claim_is_refused(claim: str) -> None:
    assert refused_code(jwt.encode(payload(**{claim: None}), SECRET, algorithm="HS256")) == "token_invalid"


@pytest.mark.parametrize(
    "changes",
    [{"role": "superuser"}, {"sub": "not-a-uuid"}, {"tenant_id": "not-a-uuid"}, {"ver": "one"}],
)
def test_a_token_with_a_malformed_claim_is_refused(changes: dict[str, Any]) -> None:
    assert refused_code(jwt.encode(payload(**changes), SECRET, algorithm="HS256")) == "token_invalid"


@pytest.mark.parametrize("raw", ["", "abc", "a.b.c", "....."])
def test_garbage_is_refused(raw: str) -> None:
    assert refused_code(raw) == "token_invalid"


# --- the same refusals through the API (middleware + error handler) ---------------------------


BAD_API_TOKENS: dict[str, tuple[dict[str, Any], str]] = {
    "expired": ({"lifetime": timedelta(seconds=-5)}, "token_expired"),
    "foreign-key": ({"secret": "another-secret-that-is-also-long-enough-x"}, "token_invalid"),
    "no-tenant": ({"tenant_id": None}, "token_missing_tenant"),
    "refresh-as-access": ({"typ": "refresh"}, "token_invalid"),
}


def call_me(client: TestClient, raw: str) -> Any:
    return client.get("/api/auth/me", headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize("kind", BAD_API_TOKENS)
def test_the_api_answers_bad_tokens_with_401_and_the_code(
    client: TestClient, settings: Settings, tenant: MadeTenant, user_factory: UserFactory, kind: str
) -> None:
    changes, code = BAD_API_TOKENS[kind]
    user = user_factory(tenant, Role.PROJECT_MANAGER)
    kw: dict[str, Any] = {"secret": settings.secret("secret_key"), "user_id": user.id, "tenant_id": tenant.id}
    response = call_me(client, token(**{**kw, **changes}))
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == code
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_the_api_refuses_an_alg_none_token(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.PROJECT_MANAGER)
    unsigned = (
        f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload(sub=str(user.id), tenant_id=str(tenant.id)))}."
    )
    response = call_me(client, unsigned)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "token_invalid"


def test_the_api_accepts_a_token_it_signed(
    client: TestClient, settings: Settings, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    user = user_factory(tenant, Role.PROJECT_MANAGER)
    response = call_me(
        client, token(secret=settings.secret("secret_key"), user_id=user.id, tenant_id=tenant.id)
    )
    assert response.status_code == 200, response.text
    assert response.json()["id"] == str(user.id)

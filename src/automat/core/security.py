"""Passwords (argon2) and tokens (JWT, HS256).

Access tokens carry ``sub, role, tenant_id, exp, iat, jti`` plus ``typ`` and ``ver`` (the user's
token version: bumping it on a password change or deactivation retires every older token).
Anything else — expired, badly signed, ``alg: none``, missing claims, a non-global role without
``tenant_id`` — is refused with a stable error code.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from automat.kit.errors import Unauthorized
from automat.kit.time import utcnow
from automat.models.user import Role

ALGORITHM = "HS256"
TokenType = Literal["access", "refresh"]
_REQUIRED = ["sub", "role", "exp", "iat", "jti", "typ", "ver"]

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("automat-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Claims:
    user_id: uuid.UUID
    role: Role
    tenant_id: uuid.UUID | None
    token_version: int
    jti: str
    typ: TokenType
    exp: int

    @property
    def is_global_admin(self) -> bool:
        return self.role is Role.GLOBAL_ADMIN


def issue_token(
    *,
    secret: str,
    user_id: uuid.UUID,
    role: Role,
    tenant_id: uuid.UUID | None,
    token_version: int,
    typ: TokenType,
    lifetime: timedelta,
) -> str:
    now = utcnow()
    payload: dict[str, Any] = {
        "sub": str(user_id),
        "role": role.value,
        "tenant_id": str(tenant_id) if tenant_id else None,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
        "typ": typ,
        "ver": token_version,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_token(token: str, *, secret: str, expected: TokenType = "access") -> Claims:
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": _REQUIRED})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The token has expired.", code="token_expired") from exc
    except jwt.InvalidSignatureError as exc:
        raise Unauthorized("The token signature is not valid.", code="token_invalid") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The token is not valid.", code="token_invalid") from exc
    if payload.get("typ") != expected:
        raise Unauthorized(f"An {expected} token is required.", code="token_invalid")
    try:
        role = Role(payload["role"])
        user_id = uuid.UUID(str(payload["sub"]))
        raw_tenant = payload.get("tenant_id")
        tenant_id = uuid.UUID(str(raw_tenant)) if raw_tenant else None
        version = int(payload["ver"])
    except (ValueError, TypeError) as exc:
        raise Unauthorized("The token is not valid.", code="token_invalid") from exc
    if role is not Role.GLOBAL_ADMIN and tenant_id is None:
        raise Unauthorized("The token names no tenant.", code="token_missing_tenant")
    if role is Role.GLOBAL_ADMIN and tenant_id is not None:
        raise Unauthorized("The token is not valid.", code="token_invalid")
    return Claims(
        user_id=user_id,
        role=role,
        tenant_id=tenant_id,
        token_version=version,
        jti=str(payload["jti"]),
        typ=expected,
        exp=int(payload["exp"]),
    )


# No look-alikes (0/O, 1/l/I): an administrator reads the temporary password out or types it.
_TEMPORARY_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password(length: int = 16) -> str:
    """A one-time password an administrator hands over; its owner must change it at next login."""
    return "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(length))

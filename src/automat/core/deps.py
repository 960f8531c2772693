"""Request dependencies: the tenant-scoped session, the current user, and permission guards.

``get_db`` opens the request's transaction with ``app.current_tenant_id`` taken from the token
(``bypass`` for global admins, nothing for anonymous requests) and commits it when the endpoint
returns, before the response is sent: the request owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from automat.config import get_settings
from automat.core.db import BYPASS, AsyncDatabase, TenantScope
from automat.core.permissions import Permission, allows
from automat.core.security import Claims
from automat.kit import proxies
from automat.kit.errors import Forbidden, NotFound, Unauthorized, Unprocessable
from automat.models.user import Role, User


@dataclass(frozen=True)
class Actor:
    """The authenticated user a request acts for."""

    user_id: uuid.UUID
    email: str
    role: Role
    tenant_id: uuid.UUID | None
    client_address: str | None = None

    @property
    def is_global_admin(self) -> bool:
        return self.role is Role.GLOBAL_ADMIN

    def at_least(self, role: Role) -> bool:
        return self.role.at_least(role)

    def scope_tenant(self, requested: uuid.UUID | None) -> uuid.UUID | None:
        """The tenant an operation applies to: global admins choose; everyone else gets their own.

        Naming another tenant's id is answered like an unknown id (no existence leak).
        """
        if self.is_global_admin:
            return requested
        if requested is not None and requested != self.tenant_id:
            raise NotFound("Tenant not found.")
        return self.tenant_id

    def require_tenant(self, requested: uuid.UUID | None) -> uuid.UUID:
        tenant_id = self.scope_tenant(requested)
        if tenant_id is None:
            raise Unprocessable("tenant_id is required for this operation.", code="tenant_required")
        return tenant_id


def client_address(connection: HTTPConnection) -> str | None:
    """The client's address: the peer, or behind a proxy in AUTOMAT_TRUSTED_PROXIES its X-Forwarded-For.

    Every reader of the client address (login throttling, the audit log) asks here. uvicorn's
    own proxy-header handling is off (``automat up`` / ``automat api``), so the peer is the peer.
    """
    peer = connection.client.host if connection.client else None
    trusted = proxies.parse_networks(get_settings().trusted_proxies)
    return proxies.client_address(peer, connection.headers.getlist("x-forwarded-for"), trusted)


def ensure_token_current(user: User | None, claims: Claims) -> User:
    """401 ``token_revoked`` unless the token still speaks for an active user as they are now.

    A deactivated or deleted user, a token older than the user's last password change, role
    change or tenant deactivation (they bump ``token_version``) are all refused.
    """
    if user is None or not user.is_active:
        raise Unauthorized("This account is no longer active.", code="token_revoked")
    if user.token_version != claims.token_version:
        raise Unauthorized("This token has been revoked; log in again.", code="token_revoked")
    if user.role != claims.role.value or user.tenant_id != claims.tenant_id:
        raise Unauthorized("This token no longer matches the account; log in again.", code="token_revoked")
    return user


def database(request: Request) -> AsyncDatabase:
    db: AsyncDatabase = request.app.state.db
    return db


def claims_of(request: Request) -> Claims | None:
    error = getattr(request.state, "auth_error", None)
    if error is not None:
        raise error
    claims: Claims | None = getattr(request.state, "claims", None)
    return claims


def scope_of(claims: Claims | None) -> TenantScope:
    if claims is None:
        return None
    return BYPASS if claims.is_global_admin else claims.tenant_id


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    claims = getattr(request.state, "claims", None)
    async with database(request).session(scope_of(claims)) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_db, scope="function")]


# What a user with a temporary password may call: who they are, and the change of password.
PASSWORD_CHANGE_PATHS = frozenset({"/api/auth/me", "/api/auth/password"})


async def current_actor(request: Request, session: SessionDep) -> Actor:
    """The user behind the access token, re-checked against the database on every request.

    A deactivated user, or a token older than the user's last password change, gets 401; a user
    who still has a temporary password gets 403 ``password_change_required`` for everything but
    ``PASSWORD_CHANGE_PATHS``.
    """
    claims = claims_of(request)
    if claims is None:
        raise Unauthorized("Log in to continue.")
    # By primary key in the request's own (fresh) session; core sits below the users package.
    user = ensure_token_current(await session.get(User, claims.user_id), claims)
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise Forbidden("Set a new password first.", code="password_change_required")
    return Actor(
        user_id=user.id,
        email=user.email,
        role=Role(user.role),
        tenant_id=user.tenant_id,
        client_address=client_address(request),
    )


CurrentActor = Annotated[Actor, Depends(current_actor)]


# --- what a route needs ------------------------------------------------------------------------
# Every route declares one of: ``require(Permission.X)`` (the matrix of core/permissions.py),
# ``Authenticated`` (any logged-in user; the service narrows what they see) or ``PUBLIC``.
# The guards carry their declaration in ``__automat_access__`` so the permission-matrix test can
# read it off the route's dependency tree: a route that declares nothing fails that test.

ACCESS_ATTR = "__automat_access__"


@cache
def _permission_guard(permission: Permission) -> Callable[..., Awaitable[Actor]]:
    async def guard(actor: CurrentActor) -> Actor:
        if not allows(actor.role, permission):
            raise Forbidden(
                f"Your role may not do this (it needs the {permission.value} permission).",
                code="insufficient_role",
                details={"permission": permission.value},
            )
        return actor

    guard.__name__ = f"require_{permission.value}"
    setattr(guard, ACCESS_ATTR, permission)
    return guard


def require(permission: Permission | str) -> Any:
    """The dependency for a route that needs ``permission``: ``Annotated[Actor, require(...)]``."""
    return Depends(_permission_guard(Permission(permission)))


async def any_user(actor: CurrentActor) -> Actor:
    """Any logged-in user (the service decides what of the tenant they see)."""
    return actor


async def public_route() -> None:
    """No login needed (health, login, token refresh)."""


setattr(any_user, ACCESS_ATTR, "authenticated")
setattr(public_route, ACCESS_ATTR, "public")

Authenticated = Annotated[Actor, Depends(any_user)]
PUBLIC = Depends(public_route)


# --- deprecated role-level guards -----------------------------------------------------------------
# Kept so that code written against them still imports; they declare no permission, so a route
# that uses one fails tests/auth/test_permission_matrix.py. Use ``require(Permission.X)``.


def _require_role(role: Role, what: str) -> Callable[..., Awaitable[Actor]]:
    async def guard(actor: CurrentActor) -> Actor:
        if not actor.at_least(role):
            raise Forbidden(f"This needs the {what} role or above.", code="insufficient_role")
        return actor

    return guard


GlobalAdmin = Annotated[Actor, Depends(_require_role(Role.GLOBAL_ADMIN, "global admin"))]
TenantAdminOrAbove = Annotated[Actor, Depends(_require_role(Role.TENANT_ADMIN, "tenant admin"))]
PmOrAbove = Annotated[Actor, Depends(_require_role(Role.PROJECT_MANAGER, "project manager"))]

"""Login, token refresh and password change."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.auth.ratelimit import LoginLimiter
from automat.auth.schemas import Me, TenantBrief, TokenPair
from automat.config import Settings
from automat.core import revocations
from automat.core.db import BYPASS, AsyncDatabase
from automat.core.deps import Actor
from automat.core.permissions import permissions_of
from automat.core.security import TokenType, decode_token, hash_password, issue_token, verify_password
from automat.kit.errors import Unauthorized, Unprocessable
from automat.kit.time import utcnow
from automat.models.audit import AuditChannel
from automat.models.user import Role, User
from automat.tenants import repository as tenants
from automat.users import repository as users

USED_REFRESH_PREFIX = "automat:refresh-used:"


def issue_pair(settings: Settings, user: User) -> TokenPair:
    def token(typ: TokenType, lifetime: timedelta) -> str:
        return issue_token(
            secret=settings.secret("secret_key"),
            user_id=user.id,
            role=Role(user.role),
            tenant_id=user.tenant_id,
            token_version=user.token_version,
            typ=typ,
            lifetime=lifetime,
        )

    access_lifetime = timedelta(minutes=settings.access_token_minutes)
    return TokenPair(
        access_token=token("access", access_lifetime),
        refresh_token=token("refresh", timedelta(days=settings.refresh_token_days)),
        expires_in=int(access_lifetime.total_seconds()),
        must_change_password=user.must_change_password,
    )


async def login(
    db: AsyncDatabase, *, settings: Settings, limiter: LoginLimiter, email: str, password: str, address: str
) -> TokenPair:
    """Check the credentials, throttled per account-and-address and per address; record the outcome.

    The attempt is counted before the password is checked (so parallel guesses cannot overtake
    the limit) and given back when the login succeeds or fails for a reason other than the
    credentials.
    """
    await limiter.reserve(email, address)
    try:
        pair = await _check_credentials(
            db, settings=settings, email=email, password=password, address=address
        )
    except Unauthorized:
        raise  # a failed guess: it stays counted
    except Exception:
        await limiter.release(email, address)
        raise
    await limiter.release(email, address)
    return pair


async def _check_credentials(
    db: AsyncDatabase, *, settings: Settings, email: str, password: str, address: str
) -> TokenPair:
    # Nobody is logged in yet, so the lookup by e-mail runs with `bypass`; it reads one row.
    async with db.session(BYPASS) as session:
        user = await users.get_by_email(session, email)
        # argon2 takes tens of milliseconds of CPU: off the event loop, so live connections flow.
        password_ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, password)
        tenant_ok = True
        if user is not None and user.tenant_id is not None:
            tenant = await tenants.get(session, user.tenant_id)
            tenant_ok = tenant is not None and tenant.is_active
        ok = user is not None and password_ok and user.is_active and tenant_ok
        if ok and user is not None:
            user.last_login_at = utcnow()
            pair = issue_pair(settings, user)
        await audit.record(
            session,
            actor=None,
            action="auth.login" if ok else "auth.login_failed",
            tenant_id=user.tenant_id if user else None,
            target_type="user",
            target_id=user.id if user else None,
            detail={"email": email.strip().lower()},
            channel=AuditChannel.ACTIVITY if ok else AuditChannel.ALERT,
            client_address=address,
        )
    if not ok:
        if user is not None and password_ok:
            raise Unauthorized("This account is deactivated.", code="account_inactive")
        raise Unauthorized("E-mail or password is wrong.", code="invalid_credentials")
    return pair


async def refresh(
    db: AsyncDatabase, *, settings: Settings, redis: aioredis.Redis, refresh_token: str
) -> TokenPair:
    """Trade a refresh token for a new pair. Each refresh token works once."""
    claims = decode_token(refresh_token, secret=settings.secret("secret_key"), expected="refresh")
    ttl = max(1, claims.exp - int(utcnow().timestamp()))
    first_use = await redis.set(USED_REFRESH_PREFIX + claims.jti, "1", nx=True, ex=ttl)
    if not first_use:
        raise Unauthorized("This refresh token has been used already.", code="token_reused")
    scope = BYPASS if claims.is_global_admin else claims.tenant_id
    async with db.session(scope) as session:
        user = await users.get(session, claims.user_id)
        if user is None or not user.is_active or user.token_version != claims.token_version:
            raise Unauthorized("This token has been revoked; log in again.", code="token_revoked")
        return issue_pair(settings, user)


async def me(session: AsyncSession, *, actor: Actor) -> Me:
    user = await users.get(session, actor.user_id)
    if user is None:
        raise Unauthorized("This account is no longer active.", code="token_revoked")
    tenant = await tenants.get(session, actor.tenant_id) if actor.tenant_id else None
    return Me(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=actor.role,
        tenant=TenantBrief(id=tenant.id, slug=tenant.slug, name=tenant.name) if tenant else None,
        permissions=permissions_of(actor.role),
        must_change_password=user.must_change_password,
        locale=user.locale if user.locale in ("en", "de") else None,
    )


async def change_password(
    session: AsyncSession, *, settings: Settings, actor: Actor, current: str, new: str
) -> TokenPair:
    """Set a new password; every token issued before stops working. Returns fresh tokens.

    It must differ from the current one (a temporary password is replaced, not kept).
    """
    user = await users.get(session, actor.user_id)
    if user is None or not verify_password(user.password_hash, current):
        raise Unauthorized("The current password is wrong.", code="invalid_credentials")
    if new == current:
        raise Unprocessable("The new password must differ from the current one.", code="password_unchanged")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    revocations.retire_tokens(session, user)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="auth.password_change",
        tenant_id=user.tenant_id,
        target_type="user",
        target_id=user.id,
    )
    return issue_pair(settings, user)

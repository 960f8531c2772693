"""The preferences through the API: a user's own (GET/PUT/DELETE), the tenant's defaults (tenant
admins), and the unsubscribe link of an e-mail (no login: the signed token says whose and what)."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.audit import service as audit
from automat.core.db import AsyncDatabase
from automat.core.deps import Actor
from automat.kit.errors import Conflict, NotFound, Unprocessable
from automat.models.user import Role, User
from automat.notifications import mail, preferences
from automat.notifications.registry import BY_KEY, EVENT_TYPES, Channel, Frequency
from automat.notifications.schemas import (
    EventTypeRead,
    PreferenceRead,
    PreferencesRead,
    PreferencesUpdate,
    TenantDefaultRead,
    TenantDefaultsUpdate,
)


class InvalidPreference(Unprocessable):
    """This preference cannot be stored."""

    code = "invalid_preference"


class NoTenant(Conflict):
    """Global admins belong to no tenant: their notifications follow the role's defaults."""

    code = "no_tenant"


def event_types() -> list[EventTypeRead]:
    return [
        EventTypeRead(key=e.key, label=e.label, help=e.help, channels=[c.value for c in e.channels])
        for e in EVENT_TYPES
    ]


def _read(sync: Session, user: User) -> PreferencesRead:
    chosen = preferences.choices(sync, tenant_id=user.tenant_id, role=Role(user.role), user_id=user.id)
    items = [
        PreferenceRead(
            event_type=c.event_type.key,
            label=c.event_type.label,
            help=c.event_type.help,
            channel=c.channel.value,
            frequency=c.frequency.value,
            source=c.source,
            default=c.default.value,
        )
        for c in chosen
    ]
    return PreferencesRead(locale=(user.locale or "en"), timezone=user.timezone or "UTC", items=items)


async def _user(session: AsyncSession, actor: Actor) -> User:
    user = await session.get(User, actor.user_id)
    if user is None:
        raise NotFound("User not found.")
    return user


async def mine(session: AsyncSession, *, actor: Actor) -> PreferencesRead:
    user = await _user(session, actor)
    return await session.run_sync(lambda sync: _read(sync, user))


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidPreference(f"{name!r} is not a time zone (e.g. Europe/Berlin, UTC).") from None
    return name


async def update_mine(session: AsyncSession, *, actor: Actor, data: PreferencesUpdate) -> PreferencesRead:
    user = await _user(session, actor)
    if data.items and user.tenant_id is None:
        raise NoTenant()
    if data.locale is not None:
        user.locale = data.locale
    if data.timezone is not None:
        user.timezone = _zone(data.timezone)
    changes = [(c.event_type, c.channel, c.frequency) for c in data.items]
    tenant_id = user.tenant_id

    def store(sync: Session) -> PreferencesRead:
        if changes and tenant_id is not None:
            try:
                preferences.save(
                    sync,
                    tenant_id=tenant_id,
                    role=Role(user.role),
                    user_id=user.id,
                    changes=changes,
                    by=actor.user_id,
                )
            except preferences.PreferenceError as exc:
                raise InvalidPreference(str(exc)) from None
        sync.flush()
        return _read(sync, user)

    result = await session.run_sync(store)
    await audit.record(
        session, actor=actor, action="notification_preferences.update", tenant_id=tenant_id,
        target_type="user", target_id=user.id,
        detail={"changes": [list(c) for c in changes], "locale": data.locale, "timezone": data.timezone},
    )  # fmt: skip
    return result


async def reset_mine(session: AsyncSession, *, actor: Actor) -> PreferencesRead:
    user = await _user(session, actor)
    tenant_id = user.tenant_id

    def forget(sync: Session) -> PreferencesRead:
        if tenant_id is not None:
            preferences.reset(sync, tenant_id=tenant_id, user_id=user.id)
        sync.flush()
        return _read(sync, user)

    return await session.run_sync(forget)


def _tenant_defaults(sync: Session, tenant_id: uuid.UUID) -> list[TenantDefaultRead]:
    stored = preferences.tenant_defaults(sync, tenant_id)
    roles = [Role.CLIENT, Role.PROJECT_MANAGER, Role.TENANT_ADMIN]
    return [
        TenantDefaultRead(
            event_type=e.key,
            label=e.label,
            help=e.help,
            channel=c.value,
            frequency=stored[(e.key, c)].value if (e.key, c) in stored else None,
            role_defaults={r.value: e.default(r, c).value for r in roles if e.for_role(r)},
        )
        for e in EVENT_TYPES
        for c in e.channels
    ]


async def tenant_defaults(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[TenantDefaultRead]:
    return await session.run_sync(lambda sync: _tenant_defaults(sync, tenant_id))


async def update_tenant_defaults(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID, data: TenantDefaultsUpdate
) -> list[TenantDefaultRead]:
    def store(sync: Session) -> list[TenantDefaultRead]:
        try:
            preferences.save_tenant_defaults(
                sync, tenant_id=tenant_id, by=actor.user_id,
                changes=[(c.event_type, c.channel, c.frequency) for c in data.items],
            )  # fmt: skip
        except preferences.PreferenceError as exc:
            raise InvalidPreference(str(exc)) from None
        sync.flush()
        return _tenant_defaults(sync, tenant_id)

    result = await session.run_sync(store)
    await audit.record(
        session, actor=actor, action="notification_preferences.tenant_defaults", tenant_id=tenant_id,
        target_type="tenant", target_id=tenant_id,
        detail={"changes": [[c.event_type, c.channel, c.frequency] for c in data.items]},
    )  # fmt: skip
    return result


async def unsubscribe(db: AsyncDatabase, token: str) -> str:
    """Turn off e-mails of the token's event type for its user (only that); returns the label.
    No one is logged in: the session is scoped to the tenant the signed token names."""
    claim = mail.read_unsubscribe_token(token)
    event_type = BY_KEY.get(claim.event_type)
    if event_type is None:
        raise NotFound("This kind of notification no longer exists.")

    def store(sync: Session) -> None:
        user = sync.get(User, claim.user_id)
        if user is None or user.tenant_id != claim.tenant_id:
            raise NotFound("This account no longer exists.")
        preferences.save(
            sync, tenant_id=claim.tenant_id, role=None, user_id=user.id,
            changes=[(event_type.key, Channel.EMAIL.value, Frequency.NEVER.value)], by=user.id,
        )  # fmt: skip

    async with db.session(claim.tenant_id) as session:
        await session.run_sync(store)
    return event_type.label

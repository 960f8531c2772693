"""A user's effective notification preferences: their own choice, else the tenant's default,
else the role's default from the registry (sync; the API calls it through ``run_sync``).

``hidden_actions`` is what the in-app list leaves out for the user: the actions of event types
they chose not to see one by one (``never``, or collected into an hourly/daily digest).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from automat.models.notification import NotificationPreference
from automat.models.user import Role, User
from automat.notifications.registry import BY_KEY, EVENT_TYPES, Channel, EventType, Frequency

Key = tuple[str, Channel]  # (event type, channel)


@dataclass(frozen=True)
class Choice:
    event_type: EventType
    channel: Channel
    frequency: Frequency
    source: str  # "user", "tenant" or "role": where the frequency comes from
    default: Frequency  # what applies without the user's own choice (the tenant's, else the role's)


def applicable(role: Role) -> list[EventType]:
    return [e for e in EVENT_TYPES if e.for_role(role)]


def _stored(
    session: Session, tenant_id: uuid.UUID, user_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID | None, dict[Key, Frequency]]:
    """The tenant's defaults (key None) and these users' own choices, in one query."""
    scope: ColumnElement[bool] = NotificationPreference.user_id.is_(None)
    if user_ids:
        scope = or_(scope, NotificationPreference.user_id.in_(list(user_ids)))
    rows = session.scalars(
        select(NotificationPreference).where(NotificationPreference.tenant_id == tenant_id, scope)
    ).all()
    found: dict[uuid.UUID | None, dict[Key, Frequency]] = {}
    for row in rows:
        if row.event_type in BY_KEY:  # a type that no longer exists is ignored
            found.setdefault(row.user_id, {})[(row.event_type, Channel(row.channel))] = Frequency(
                row.frequency
            )
    return found


def _resolve(role: Role, tenant: dict[Key, Frequency], own: dict[Key, Frequency]) -> list[Choice]:
    result = []
    for event_type in applicable(role):
        for channel in event_type.channels:
            key = (event_type.key, channel)
            default = tenant.get(key, event_type.default(role, channel))
            if key in own:
                result.append(Choice(event_type, channel, own[key], "user", default))
            elif key in tenant:
                result.append(Choice(event_type, channel, tenant[key], "tenant", default))
            else:
                result.append(Choice(event_type, channel, default, "role", default))
    return result


def choices(
    session: Session, *, tenant_id: uuid.UUID | None, role: Role, user_id: uuid.UUID | None
) -> list[Choice]:
    """Every event type, channel the role can get, with the frequency that applies and why
    (``user_id`` None: the tenant's defaults for that role; ``tenant_id`` None, a global admin:
    the role's defaults)."""
    if tenant_id is None:
        return _resolve(role, {}, {})
    stored = _stored(session, tenant_id, [user_id] if user_id is not None else [])
    own = stored.get(user_id, {}) if user_id is not None else {}
    return _resolve(role, stored.get(None, {}), own)


def effective_many(session: Session, users: Sequence[User]) -> dict[uuid.UUID, dict[Key, Frequency]]:
    """What applies to each of these users, one query per tenant among them (the notification of
    a role's whole audience, a tenant's digests: not a query per person)."""
    result: dict[uuid.UUID, dict[Key, Frequency]] = {}
    by_tenant: dict[uuid.UUID | None, list[User]] = {}
    for user in users:
        by_tenant.setdefault(user.tenant_id, []).append(user)
    for tenant_id, members in by_tenant.items():
        stored = _stored(session, tenant_id, [u.id for u in members]) if tenant_id is not None else {}
        for user in members:  # a global admin (no tenant): the role's defaults
            chosen = _resolve(Role(user.role), stored.get(None, {}), stored.get(user.id, {}))
            result[user.id] = {(c.event_type.key, c.channel): c.frequency for c in chosen}
    return result


def effective(session: Session, user: User) -> dict[Key, Frequency]:
    return effective_many(session, [user])[user.id]


def hidden_actions(preferences: dict[Key, Frequency]) -> tuple[str, ...]:
    """Notification actions the user does not see one by one in the app."""
    hidden: list[str] = []
    for (key, channel), frequency in preferences.items():
        if channel is Channel.IN_APP and frequency is not Frequency.IMMEDIATE:
            hidden.extend(BY_KEY[key].actions)
    return tuple(sorted(hidden))


class PreferenceError(ValueError):
    pass


def save(
    session: Session,
    *,
    tenant_id: uuid.UUID,
    role: Role | None,
    user_id: uuid.UUID | None,
    changes: Iterable[tuple[str, str, str]],
    by: uuid.UUID | None,
) -> None:
    """Store (event type, channel, frequency) choices for the user (``user_id`` None: the tenant's
    defaults). ``role``: the user's, to refuse event types the role cannot get. A choice equal to
    what would apply anyway is stored too (a later change of the tenant default does not move it)."""
    for event_key, channel_name, frequency_name in changes:
        event_type = BY_KEY.get(event_key)
        if event_type is None:
            raise PreferenceError(f"unknown event type {event_key!r}")
        if role is not None and not event_type.for_role(role):
            raise PreferenceError(f"{event_type.label} is not sent to a {role.value.replace('_', ' ')}")
        try:
            channel, frequency = Channel(channel_name), Frequency(frequency_name)
        except ValueError as exc:
            raise PreferenceError(str(exc)) from None
        if channel not in event_type.channels:
            raise PreferenceError(f"{event_type.label} is not sent by {channel.value}")
        stmt = insert(NotificationPreference).values(
            tenant_id=tenant_id, user_id=user_id, event_type=event_key, channel=channel.value,
            frequency=frequency.value, updated_by=by,
        )  # fmt: skip
        session.execute(
            stmt.on_conflict_do_update(
                constraint="uq_notification_preferences_scope",
                set_={
                    "frequency": stmt.excluded.frequency,
                    "updated_by": by,
                    "updated_at": stmt.excluded.updated_at,
                },
            )
        )


def reset(session: Session, *, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Forget the user's own choices: the tenant's defaults apply again."""
    session.execute(
        delete(NotificationPreference).where(
            NotificationPreference.tenant_id == tenant_id, NotificationPreference.user_id == user_id
        )
    )


def tenant_defaults(session: Session, tenant_id: uuid.UUID) -> dict[Key, Frequency]:
    return _stored(session, tenant_id, []).get(None, {})


def save_tenant_defaults(
    session: Session,
    *,
    tenant_id: uuid.UUID,
    changes: Iterable[tuple[str, str, str | None]],
    by: uuid.UUID | None,
) -> None:
    """Set (or, with frequency None, remove) the tenant's defaults."""
    keep: list[tuple[str, str, str]] = []
    for event_key, channel, frequency in changes:
        if frequency is not None:
            keep.append((event_key, channel, frequency))
            continue
        session.execute(
            delete(NotificationPreference).where(
                NotificationPreference.tenant_id == tenant_id,
                NotificationPreference.user_id.is_(None),
                NotificationPreference.event_type == event_key,
                NotificationPreference.channel == channel,
            )
        )
    save(session, tenant_id=tenant_id, role=None, user_id=None, changes=keep, by=by)

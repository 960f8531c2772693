"""The one way to write to the user-facing channels, from workers (sync) and the API (async).

- ``notify`` / ``notify_sync``: the notification channel, for one user (``recipient_id``), for
  every user of the tenant with at least the role ``audience``, or (both None) for everybody in
  the tenant; a role-wide or tenant-wide one is not shown to its ``actor_id`` (nobody is told of
  their own action). A ``dedupe_key`` makes it exactly-once per tenant (a unique partial index decides,
  so two workers racing still write one row). Nothing is written when the tenant has
  ``notifications_enabled: false``. After commit an event ``{"type": "notification", ...}`` goes
  to the tenant's live channel so the web UI can show it at once.
- ``alert`` / ``alert_sync``: the alert channel (stalled renders, render host crashes, GPU probe
  failures), read by tenant admins and above.
- ``activity`` / ``activity_sync``: the activity feed (per-line completions and failures).

The text goes to ``detail["message"]`` on every channel. Services never commit: the entry joins
the caller's transaction and disappears with it.

The read side (``list_notifications`` and friends) serves ``/api/notifications``,
``/api/activity`` and ``/api/alerts``.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.core import events
from automat.core.redis import sync_client
from automat.kit.errors import NotFound
from automat.kit.pagination import decode_cursor, page_of
from automat.kit.transaction import on_commit
from automat.models.audit import AuditChannel, AuditLog
from automat.models.user import Role, User
from automat.notifications import outbox, preferences, repository
from automat.notifications.repository import Viewer

if TYPE_CHECKING:
    from automat.core.deps import Actor

log = logging.getLogger(__name__)
EVENT_TYPE = "notification"


def _values(
    *,
    channel: AuditChannel,
    tenant_id: uuid.UUID | None,
    action: str,
    message: str,
    detail: dict[str, Any] | None,
    target_type: str | None,
    target_id: str | uuid.UUID | None,
    actor_id: uuid.UUID | None = None,
    recipient_id: uuid.UUID | None = None,
    audience: Role | None = None,
    dedupe_key: str | None = None,
) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id,
        "channel": channel.value,
        "actor_id": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": str(target_id) if target_id is not None else None,
        "detail": {**(detail or {}), "message": message},
        "recipient_id": recipient_id,
        "audience": Role(audience).value if audience is not None else None,
        "dedupe_key": dedupe_key,
    }


def _enabled(config: dict[str, Any] | None, tenant_id: uuid.UUID) -> bool:
    if config is None:  # no such tenant, or a session not scoped to it
        log.warning(
            "notification for tenant %s dropped: the tenant is not visible to this session", tenant_id
        )
        return False
    return bool(config.get("notifications_enabled", True))


def _publish_after_commit(
    session: Session | AsyncSession, values: dict[str, Any], entry_id: int, created_at: datetime
) -> None:
    event = {
        "type": EVENT_TYPE,
        "id": entry_id,
        "action": values["action"],
        "message": values["detail"]["message"],
        "recipient_id": str(values["recipient_id"]) if values["recipient_id"] else None,
        "actor_id": str(values["actor_id"]) if values["actor_id"] else None,
        "audience": values["audience"],
        "target_type": values["target_type"],
        "target_id": values["target_id"],
        "at": created_at.isoformat(),
    }
    tenant_id = values["tenant_id"]

    def send() -> None:
        try:
            events.publish(sync_client(), tenant_id, event)
        except Exception:  # the notification is stored; the live toast is a bonus
            log.warning("could not publish notification %s", entry_id, exc_info=True)

    on_commit(session, send)


def notify_sync(
    session: Session,
    *,
    tenant_id: uuid.UUID,
    action: str,
    message: str,
    recipient_id: uuid.UUID | None = None,
    audience: Role | None = None,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    actor_id: uuid.UUID | None = None,
) -> bool:
    """Write a notification; False if the tenant has them switched off or the key exists."""
    if not _enabled(repository.tenant_config_sync(session, tenant_id), tenant_id):
        return False
    values = _values(
        channel=AuditChannel.NOTIFICATION, tenant_id=tenant_id, action=action, message=message,
        detail=detail, target_type=target_type, target_id=target_id, actor_id=actor_id,
        recipient_id=recipient_id, audience=audience, dedupe_key=dedupe_key,
    )  # fmt: skip
    added = repository.add_entry_sync(session, values)
    if added is None:
        return False
    _publish_after_commit(session, values, *added)
    outbox.queue_for_entry(session, values, added[0])
    return True


async def notify(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    action: str,
    message: str,
    recipient_id: uuid.UUID | None = None,
    audience: Role | None = None,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    actor_id: uuid.UUID | None = None,
) -> bool:
    """``notify_sync`` for the API's async session."""
    if not _enabled(await repository.tenant_config(session, tenant_id), tenant_id):
        return False
    values = _values(
        channel=AuditChannel.NOTIFICATION, tenant_id=tenant_id, action=action, message=message,
        detail=detail, target_type=target_type, target_id=target_id, actor_id=actor_id,
        recipient_id=recipient_id, audience=audience, dedupe_key=dedupe_key,
    )  # fmt: skip
    added = await repository.add_entry(session, values)
    if added is None:
        return False
    _publish_after_commit(session, values, *added)
    entry_id = added[0]
    await session.run_sync(lambda sync: outbox.queue_for_entry(sync, values, entry_id))
    return True


def alert_sync(
    session: Session,
    *,
    tenant_id: uuid.UUID | None,
    action: str,
    message: str,
    detail: dict[str, Any] | None = None,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
) -> None:
    """Record an operational alert (stalled render, host crash, GPU probe failure); ``tenant_id``
    None: an installation-wide one (a process of ``automat up`` died), seen by global admins.
    Tenant admins who want alerts e-mailed at once get an e-mail."""
    values = _values(
        channel=AuditChannel.ALERT, tenant_id=tenant_id, action=action, message=message,
        detail=detail, target_type=target_type, target_id=target_id,
    )  # fmt: skip
    added = repository.add_entry_sync(session, values)
    if added is not None and action != "email.undeliverable":  # never e-mail that e-mail fails
        outbox.queue_for_entry(session, values, added[0])


async def alert(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    action: str,
    message: str,
    detail: dict[str, Any] | None = None,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
) -> None:
    """``alert_sync`` for the API's async session."""
    values = _values(
        channel=AuditChannel.ALERT, tenant_id=tenant_id, action=action, message=message,
        detail=detail, target_type=target_type, target_id=target_id,
    )  # fmt: skip
    added = await repository.add_entry(session, values)
    if added is not None:
        entry_id = added[0]
        await session.run_sync(lambda sync: outbox.queue_for_entry(sync, values, entry_id))


def activity_sync(
    session: Session,
    *,
    tenant_id: uuid.UUID,
    action: str,
    message: str,
    actor_id: uuid.UUID | None = None,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record an entry of the tenant's activity feed (a line completed or failed, ...)."""
    repository.add_entry_sync(
        session,
        _values(
            channel=AuditChannel.ACTIVITY, tenant_id=tenant_id, action=action, message=message,
            detail=detail, target_type=target_type, target_id=target_id, actor_id=actor_id,
        ),
    )  # fmt: skip


async def activity(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    action: str,
    message: str,
    actor_id: uuid.UUID | None = None,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """``activity_sync`` for the API's async session."""
    await repository.add_entry(
        session,
        _values(
            channel=AuditChannel.ACTIVITY, tenant_id=tenant_id, action=action, message=message,
            detail=detail, target_type=target_type, target_id=target_id, actor_id=actor_id,
        ),
    )  # fmt: skip


def event_visible_to(
    event: dict[str, Any], *, user_id: uuid.UUID, role: Role, hidden: tuple[str, ...] = ()
) -> bool:
    """Whether a live event may go to this user: an event with a ``recipient_id`` (a notification
    for one user, a bulk download's progress) only to that user; other notification events only
    to their audience (a role-wide one not to the user who caused it); none of an action the user
    chose not to see one by one (``hidden``); every other event is tenant-wide. For the WebSocket
    forwarder."""
    if event.get("type") == EVENT_TYPE and event.get("action") in hidden:
        return False
    recipient = event.get("recipient_id")
    if recipient is not None:
        return str(recipient) == str(user_id)
    if event.get("type") != EVENT_TYPE:
        return True
    if event.get("actor_id") is not None and str(event["actor_id"]) == str(user_id):
        return False
    audience = event.get("audience")
    return audience is None or role.at_least(Role(audience))


# -- read side ----------------------------------------------------------------------------------


def viewer_of(actor: Actor, tenant_id: uuid.UUID | None = None, hidden: tuple[str, ...] = ()) -> Viewer:
    """Tenant users see their tenant's notifications for them or their role; global admins see
    those addressed to them, plus a tenant's role-wide ones when they name the tenant. ``hidden``:
    the actions the user's preferences keep out of the list (``hidden_for``)."""
    scope = actor.scope_tenant(tenant_id)
    return Viewer(
        user_id=actor.user_id,
        roles=tuple(r.value for r in Role if actor.at_least(r)),
        tenant_id=scope,
        broadcast=scope is not None,
        hidden=hidden,
    )


async def hidden_for(session: AsyncSession, user_id: uuid.UUID) -> tuple[str, ...]:
    """The notification actions a user does not see one by one (``never``, or in a digest)."""

    def read(sync: Session) -> tuple[str, ...]:
        user = sync.get(User, user_id)
        return preferences.hidden_actions(preferences.effective(sync, user)) if user is not None else ()

    return await session.run_sync(read)


async def _viewer(session: AsyncSession, actor: Actor, tenant_id: uuid.UUID | None) -> Viewer:
    return viewer_of(actor, tenant_id, await hidden_for(session, actor.user_id))


@dataclass(frozen=True)
class NotificationPage:
    items: list[tuple[AuditLog, datetime | None]]
    next_cursor: str | None
    count: int  # up to COUNT_CAP + 1
    unread_count: int


# The feeds' cursor: the last entry's (created_at, id).
FEED_KEY = (datetime, int)


def _key(entry: AuditLog) -> tuple[datetime, int]:
    return entry.created_at, entry.id


async def list_notifications(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, cursor: str | None, page_size: int
) -> NotificationPage:
    after = decode_cursor(cursor, FEED_KEY)
    viewer = await _viewer(session, actor, tenant_id)
    rows = await repository.list_notifications(session, viewer, after=after, limit=page_size + 1)
    items, next_cursor = page_of(rows, page_size, key=lambda row: _key(row[0]))
    return NotificationPage(
        items=items,
        next_cursor=next_cursor,
        count=await repository.count_notifications(session, viewer),
        unread_count=await repository.unread_count(session, viewer),
    )


async def unread_count(session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None) -> int:
    return await repository.unread_count(session, await _viewer(session, actor, tenant_id))


async def mark_read(
    session: AsyncSession, *, actor: Actor, entry_id: int, tenant_id: uuid.UUID | None
) -> tuple[AuditLog, datetime | None]:
    """Mark one notification read (again: no change); 404 for one the caller cannot see.
    Returns the entry and when the caller first read it."""
    viewer = viewer_of(actor, tenant_id)
    if await repository.get_notification(session, viewer, entry_id) is None:
        raise NotFound("Notification not found.")
    await repository.mark_read(session, viewer, entry_id=entry_id)
    found = await repository.get_notification(session, viewer, entry_id)
    assert found is not None
    return found


async def mark_all_read(session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None) -> int:
    """Mark every notification the caller can see read; returns how many were unread."""
    return await repository.mark_read(session, await _viewer(session, actor, tenant_id), entry_id=None)


async def list_activity(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    target_type: str | None,
    target_id: str | None,
    cursor: str | None,
    page_size: int,
) -> tuple[list[AuditLog], str | None, int]:
    """A page of the activity feed, newest first, its next cursor and its count (capped)."""
    rows, count = await repository.list_channel(
        session, channel=AuditChannel.ACTIVITY, tenant_id=actor.scope_tenant(tenant_id),
        target_type=target_type, target_id=target_id,
        after=decode_cursor(cursor, FEED_KEY), limit=page_size + 1,
    )  # fmt: skip
    items, next_cursor = page_of(rows, page_size, key=_key)
    return items, next_cursor, count


async def list_alerts(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, cursor: str | None, page_size: int
) -> tuple[list[AuditLog], str | None, int]:
    rows, count = await repository.list_channel(
        session, channel=AuditChannel.ALERT, tenant_id=actor.scope_tenant(tenant_id),
        after=decode_cursor(cursor, FEED_KEY), limit=page_size + 1,
    )  # fmt: skip
    items, next_cursor = page_of(rows, page_size, key=_key)
    return items, next_cursor, count

"""Hourly and daily digests (the beat's ``send_digests``, every minute).

For each active user with an hourly or daily preference on a channel, the period that ended
last (hourly: the last full hour, UTC; daily: the 24 hours up to the last 08:00 in the user's
time zone) is handled once: a ``notification_digests`` row marks it (unique; a second beat run
finds it and does nothing), and if the period had entries of those event types for the user,
one in-app digest notification or one e-mail says them all, with links.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from automat.models.audit import AuditChannel, AuditLog
from automat.models.notification import NotificationDigest
from automat.models.tenant import Tenant
from automat.models.user import Role, User
from automat.notifications import mail, outbox, preferences, repository
from automat.notifications.registry import BY_KEY, DIGESTS, Channel, EventType, Frequency
from automat.notifications.repository import Viewer

DAILY_AT = time(8, 0)
DIGEST_ACTION = "notification.digest"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def last_period(frequency: Frequency, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """(start, end) of the latest period of ``frequency`` that has ended by ``now``."""
    if frequency is Frequency.HOURLY:
        end = now.replace(minute=0, second=0, microsecond=0)
        return end - timedelta(hours=1), end
    local = now.astimezone(tz)
    end_local = datetime.combine(local.date(), DAILY_AT, tzinfo=tz)
    if end_local > local:
        end_local -= timedelta(days=1)
    end = end_local.astimezone(ZoneInfo("UTC"))
    return end - timedelta(days=1), end


@dataclass(frozen=True)
class Entry:
    event_type: EventType
    message: str
    link: str


def _entries(
    session: Session, user: User, types: list[EventType], start: datetime, end: datetime
) -> list[Entry]:
    """The user's entries of these event types in [start, end), oldest first."""
    assert user.tenant_id is not None
    role = Role(user.role)
    viewer = Viewer(
        user_id=user.id, roles=tuple(r.value for r in Role if role.at_least(r)),
        tenant_id=user.tenant_id, broadcast=True,
    )  # fmt: skip
    conditions = []
    notified = [a for t in types for a in t.actions]
    if notified:
        conditions.append(and_(repository.visible_to(viewer), AuditLog.action.in_(notified)))
    if any(t.source == AuditChannel.ALERT for t in types):
        conditions.append(
            and_(AuditLog.channel == AuditChannel.ALERT.value, AuditLog.tenant_id == user.tenant_id)
        )
    if not conditions:
        return []
    rows = session.scalars(
        select(AuditLog)
        .where(or_(*conditions), AuditLog.created_at >= start, AuditLog.created_at < end)
        .order_by(AuditLog.created_at, AuditLog.id)
    ).all()
    found = []
    by_action = {a: t for t in types for a in t.actions}
    for row in rows:
        event_type = BY_KEY["alerts"] if row.channel == AuditChannel.ALERT else by_action[row.action]
        message = str(row.detail.get("message") or row.action)
        found.append(Entry(event_type, message, mail.link_for(row.target_type, row.target_id, row.detail)))
    return found


def _in_app(session: Session, user: User, entries: list[Entry], frequency: Frequency, end: datetime) -> None:
    from automat.notifications.service import notify_sync  # service imports outbox, which this uses

    assert user.tenant_id is not None
    counts = Counter(e.event_type.label for e in entries)
    period = "hour" if frequency is Frequency.HOURLY else "day"
    summary = ", ".join(f"{label}: {n}" for label, n in counts.items())
    notify_sync(
        session, tenant_id=user.tenant_id, action=DIGEST_ACTION, recipient_id=user.id,
        message=f"Your {frequency.value} digest: {summary}",
        detail={
            "frequency": frequency.value, "period": period, "period_end": end.isoformat(),
            "counts": dict(counts),
            "items": [{"message": e.message, "link": e.link} for e in entries[: mail.DIGEST_ITEMS]],
        },
        dedupe_key=f"digest:{user.id}:{frequency.value}:{end.isoformat()}",
    )  # fmt: skip


def _email(
    session: Session, user: User, tenant: str, entries: list[Entry], frequency: Frequency, end: datetime
) -> None:
    assert user.tenant_id is not None
    tenant_id: uuid.UUID = user.tenant_id
    kinds = {e.event_type.key: e.event_type for e in entries}
    words = mail.words(user.locale)
    unsubscribe = {
        (t.label_de if words is mail.words("de") else t.label): mail.unsubscribe_url(
            user.id, tenant_id, t.key
        )
        for t in kinds.values()
    }
    letter = mail.digest_letter(
        tenant=tenant, name=user.full_name or user.email,
        items=[mail.DigestItem(e.event_type, e.message, e.link) for e in entries],
        frequency=frequency, locale=user.locale, unsubscribe=unsubscribe,
    )  # fmt: skip
    outbox.queue_digest(
        session, tenant_id=tenant_id, user=user, key=f"digest:{user.id}:{frequency.value}:{end.isoformat()}",
        event_type=next(iter(kinds.values())), letter=letter,
    )  # fmt: skip


def run_for_tenant(session: Session, tenant: Tenant, now: datetime) -> dict[str, int]:
    """Handle every due digest of the tenant's users (in the caller's transaction)."""
    done = {"periods": 0, "in_app": 0, "email": 0}
    users = session.scalars(
        select(User).where(User.tenant_id == tenant.id, User.is_active.is_(True)).order_by(User.id)
    ).all()
    chosen = preferences.effective_many(session, users)  # one query for the tenant's users
    for user in users:
        wanted: dict[tuple[Channel, Frequency], list[EventType]] = {}
        for (key, channel), frequency in chosen[user.id].items():
            if frequency in DIGESTS:
                wanted.setdefault((channel, frequency), []).append(BY_KEY[key])
        for (channel, frequency), types in wanted.items():
            start, end = last_period(frequency, now, zone(user.timezone))
            marked = session.scalar(
                insert(NotificationDigest)
                .values(
                    tenant_id=tenant.id, user_id=user.id, channel=channel.value,
                    frequency=frequency.value, period_start=start, period_end=end,
                )
                .on_conflict_do_nothing(constraint="uq_notification_digests_period")
                .returning(NotificationDigest.id)
            )  # fmt: skip
            if marked is None:
                continue  # handled already
            done["periods"] += 1
            entries = _entries(session, user, types, start, end)
            if not entries:
                continue
            session.get(NotificationDigest, marked).entries = len(entries)  # type: ignore[union-attr]
            if channel is Channel.IN_APP:
                _in_app(session, user, entries, frequency, end)
                done["in_app"] += 1
            else:
                _email(session, user, tenant.name, entries, frequency, end)
                done["email"] += 1
    return done

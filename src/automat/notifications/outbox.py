"""The e-mail outbox: messages are written in the transaction that had something to say, and
sent after it by a worker (``deliver``), so a rolled-back change e-mails nobody and a crashed
worker loses nothing.

- ``queue_for_entry``: a notification or alert was written; each person it is for whose
  preference for that event type's e-mail is ``immediate`` gets a row (key
  ``entry:<id>:<user>``: once, however often it is called).
- ``queue_digest``: one row per user, frequency, period (key ``digest:…``).
- ``deliver``: sends due rows one at a time, each in its own transaction with its row locked
  (``SKIP LOCKED``: two workers never send the same row). A temporary failure (4xx, server
  away) tries again with backoff (1, 2, 4 … minutes, at most an hour); after
  ``mail_alert_after_attempts`` the tenant's admins get an alert, once, and it is still tried; a
  permanent failure (5xx) stops it with an alert.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from automat.config import get_settings
from automat.kit.time import utcnow
from automat.kit.transaction import on_commit
from automat.models.audit import AuditChannel
from automat.models.notification import EmailOutbox, MailStatus
from automat.models.tenant import Tenant
from automat.models.user import Role, User
from automat.notifications import mail, preferences
from automat.notifications.registry import Channel, EventType, Frequency, event_type_of
from automat.worker.queues import STEP_QUEUE, declare_task

log = logging.getLogger(__name__)
DELIVER_TASK = declare_task("automat.notifications.tasks.deliver_emails", queue=STEP_QUEUE)
BATCH = 50
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def recipients(session: Session, values: dict[str, Any]) -> list[User]:
    """The active users of the tenant an entry is for (its recipient; else its audience or, for an
    alert, the tenant's admins), without the person who caused it."""
    tenant_id = values["tenant_id"]
    stmt = select(User).where(User.tenant_id == tenant_id, User.is_active.is_(True))
    if values.get("recipient_id") is not None:
        return list(session.scalars(stmt.where(User.id == values["recipient_id"])))
    if values["channel"] == AuditChannel.ALERT:
        least = Role.TENANT_ADMIN
    else:
        least = Role(values["audience"]) if values.get("audience") else Role.CLIENT
    roles = [r.value for r in Role if r.at_least(least)]
    found = session.scalars(stmt.where(User.role.in_(roles)).order_by(User.created_at)).all()
    return [u for u in found if values.get("actor_id") is None or u.id != values["actor_id"]]


def _tenant_name(session: Session, tenant_id: uuid.UUID) -> str:
    return session.scalar(select(Tenant.name).where(Tenant.id == tenant_id)) or "Automat"


def _add(session: Session, *, tenant_id: uuid.UUID, user: User, key: str, event_type: EventType,
         letter: mail.Letter) -> int | None:  # fmt: skip
    stmt = (
        insert(EmailOutbox)
        .values(
            tenant_id=tenant_id, user_id=user.id, idempotency_key=key, event_type=event_type.key,
            to_address=user.email, subject=letter.subject[:300], text_body=letter.text,
            html_body=letter.html, headers=letter.headers,
        )
        .on_conflict_do_nothing(constraint="uq_email_outbox_key")
        .returning(EmailOutbox.id)
    )  # fmt: skip
    return session.scalar(stmt)


def _send_after_commit(session: Session, ids: list[int]) -> None:
    if not ids:
        return

    def send() -> None:
        from automat.worker.celery_app import celery_app

        try:
            celery_app.send_task(DELIVER_TASK, kwargs={"ids": ids})
        except Exception:  # the beat's sweep sends them within a minute
            log.warning("could not queue e-mails %s; the beat sends them", ids, exc_info=True)

    on_commit(session, send)


def queue_for_entry(session: Session, values: dict[str, Any], entry_id: int) -> list[int]:
    """E-mails for the people who want this entry's event type at once."""
    event_type = event_type_of(values["channel"], values["action"])
    if event_type is None or Channel.EMAIL not in event_type.channels or values.get("tenant_id") is None:
        return []
    tenant_id: uuid.UUID = values["tenant_id"]
    message = str(values["detail"].get("message") or values["action"])
    link = mail.link_for(values.get("target_type"), values.get("target_id"), values["detail"])
    ids: list[int] = []
    tenant: str | None = None
    people = [u for u in recipients(session, values) if event_type.for_role(Role(u.role))]
    wanted = preferences.effective_many(session, people)  # one query, however many people
    for user in people:
        if wanted[user.id].get((event_type.key, Channel.EMAIL)) is not Frequency.IMMEDIATE:
            continue
        tenant = tenant or _tenant_name(session, tenant_id)
        letter = mail.notification_letter(
            tenant=tenant, name=user.full_name or user.email, event_type=event_type, message=message,
            link=link, unsubscribe=mail.unsubscribe_url(user.id, tenant_id, event_type.key),
            locale=user.locale,
        )  # fmt: skip
        added = _add(session, tenant_id=tenant_id, user=user, key=f"entry:{entry_id}:{user.id}",
                     event_type=event_type, letter=letter)  # fmt: skip
        if added is not None:
            ids.append(added)
    _send_after_commit(session, ids)
    return ids


def queue_digest(session: Session, *, tenant_id: uuid.UUID, user: User, key: str, event_type: EventType,
                 letter: mail.Letter) -> int | None:  # fmt: skip
    added = _add(session, tenant_id=tenant_id, user=user, key=key, event_type=event_type, letter=letter)
    _send_after_commit(session, [added] if added is not None else [])
    return added


# -- sending -------------------------------------------------------------------------------------

Sessions = Callable[[], AbstractContextManager[Session]]


def _due(session: Session, now: datetime, ids: list[int] | None) -> EmailOutbox | None:
    stmt = select(EmailOutbox).where(
        EmailOutbox.status == MailStatus.PENDING, EmailOutbox.next_attempt_at <= now
    )
    if ids is not None:
        stmt = stmt.where(EmailOutbox.id.in_(ids))
    return session.scalars(
        stmt.order_by(EmailOutbox.next_attempt_at, EmailOutbox.id).limit(1).with_for_update(skip_locked=True)
    ).first()


def _alert(session: Session, row: EmailOutbox, message: str) -> None:
    from automat.notifications.service import alert_sync  # service imports this module

    alert_sync(
        session, tenant_id=row.tenant_id, action="email.undeliverable", message=message,
        detail={"outbox_id": row.id, "to": row.to_address, "attempts": row.attempts, "error": row.last_error},
        target_type="email", target_id=str(row.id),
    )  # fmt: skip


def deliver(
    sessions: Sessions,
    transport: mail.Transport,
    *,
    ids: list[int] | None = None,
    now: datetime | None = None,
    limit: int = BATCH,
) -> dict[str, int]:
    """Send up to ``limit`` due messages (``ids``: only those); counts per outcome."""
    settings = get_settings()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for _ in range(limit):
        with sessions() as session:
            moment = now or utcnow()
            row = _due(session, moment, ids)
            if row is None:
                break
            message = mail.build_message(
                mail_from=settings.mail_from, to=row.to_address, subject=row.subject, text=row.text_body,
                html_body=row.html_body, headers=row.headers, key=row.idempotency_key, sent_at=moment,
            )  # fmt: skip
            row.attempts += 1
            try:
                transport.send(message)
            except mail.TemporaryFailure as exc:
                row.last_error = str(exc)[:2000]
                row.next_attempt_at = moment + backoff(row.attempts)
                counts["retry"] += 1
                if row.attempts >= settings.mail_alert_after_attempts and not row.alerted:
                    row.alerted = True
                    _alert(session, row, f"E-mail to {row.to_address} not delivered after {row.attempts} "
                                         f"attempts ({row.last_error}); Automat keeps trying.")  # fmt: skip
                continue
            except mail.PermanentFailure as exc:
                row.status, row.last_error = MailStatus.FAILED, str(exc)[:2000]
                counts["failed"] += 1
                _alert(session, row, f"E-mail to {row.to_address} refused: {row.last_error}")
                continue
            row.status, row.sent_at, row.last_error = MailStatus.SENT, moment, None
            counts["sent"] += 1
    return counts

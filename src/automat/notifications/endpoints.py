"""/api/notifications (everyone: their own and their role's), /api/activity (project managers
and above) and /api/alerts (tenant admins and above). Pages are newest first, in the one
page shape (``kit.pagination``): pass a page's ``next_cursor`` as ``?cursor=`` for the next one.

/api/notification-preferences: each user's own (how often, by which channel), the tenant's
defaults (tenant admins), and the unsubscribe link of e-mails (no login). /api/dev/mailbox: the
messages of the embedded default's maildir, for global admins, when no SMTP server is set."""

from __future__ import annotations

import email
import email.policy
import mailbox
import uuid
from html import escape
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from automat.config import get_settings
from automat.core.deps import PUBLIC, Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.bounds import BigintId
from automat.kit.errors import NotFound
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize, capped
from automat.models.audit import AuditLog
from automat.notifications import mail, preferences_service, service
from automat.notifications.registry import BY_KEY
from automat.notifications.schemas import (
    EventTypeRead,
    FeedEntry,
    FeedPage,
    MailboxMessage,
    MarkedRead,
    NotificationItem,
    NotificationPage,
    PreferencesRead,
    PreferencesUpdate,
    TenantDefaultRead,
    TenantDefaultsUpdate,
    UnreadCount,
)
from automat.users import repository as users

notifications_router = APIRouter(prefix="/api/notifications", tags=["notifications"])
activity_router = APIRouter(prefix="/api/activity", tags=["notifications"])
alerts_router = APIRouter(prefix="/api/alerts", tags=["notifications"])
preferences_router = APIRouter(prefix="/api/notification-preferences", tags=["notifications"])
mailbox_router = APIRouter(prefix="/api/dev/mailbox", tags=["notifications"])

ViewActivity = Annotated[Actor, require(Permission.VIEW_ACTIVITY)]
ViewAlerts = Annotated[Actor, require(Permission.VIEW_ALERTS)]
ManageSettings = Annotated[Actor, require(Permission.MANAGE_SETTINGS)]
ReadDevMailbox = Annotated[Actor, require(Permission.READ_DEV_MAILBOX)]

TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to look at")]
Limit = Annotated[int, Query(ge=1, le=200)]


async def _feed(
    session: AsyncSession, entries: list[AuditLog], next_cursor: str | None, count: int
) -> FeedPage:
    """A page of the feed, each entry with the name of who did it."""
    names = await users.names(session, [e.actor_id for e in entries])
    total, estimate = capped(count)
    return FeedPage(
        items=[FeedEntry.of(e, names) for e in entries],
        next_cursor=next_cursor,
        total=total,
        total_is_estimate=estimate,
    )


@notifications_router.get("", response_model=NotificationPage)
async def list_notifications(
    session: SessionDep,
    actor: Authenticated,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    tenant_id: TenantQuery = None,
) -> NotificationPage:
    """The caller's notifications (addressed to them, or to their role or above), with read marks."""
    page = await service.list_notifications(
        session, actor=actor, tenant_id=tenant_id, cursor=cursor, page_size=page_size
    )
    total, estimate = capped(page.count)
    return NotificationPage(
        items=[NotificationItem.of(entry, read_at) for entry, read_at in page.items],
        next_cursor=page.next_cursor,
        total=total,
        total_is_estimate=estimate,
        unread_count=page.unread_count,
    )


@notifications_router.get("/unread-count", response_model=UnreadCount)
async def unread_count(
    session: SessionDep, actor: Authenticated, tenant_id: TenantQuery = None
) -> UnreadCount:
    return UnreadCount(unread_count=await service.unread_count(session, actor=actor, tenant_id=tenant_id))


@notifications_router.post("/read-all", response_model=MarkedRead)
async def mark_all_read(
    session: SessionDep, actor: Authenticated, tenant_id: TenantQuery = None
) -> MarkedRead:
    marked = await service.mark_all_read(session, actor=actor, tenant_id=tenant_id)
    return MarkedRead(
        marked=marked, unread_count=await service.unread_count(session, actor=actor, tenant_id=tenant_id)
    )


@notifications_router.post("/{entry_id}/read", response_model=NotificationItem)
async def mark_read(
    entry_id: BigintId, session: SessionDep, actor: Authenticated, tenant_id: TenantQuery = None
) -> NotificationItem:
    """Mark one notification read (idempotent); 404 ``not_found`` for one the caller cannot see."""
    entry, read_at = await service.mark_read(session, actor=actor, entry_id=entry_id, tenant_id=tenant_id)
    return NotificationItem.of(entry, read_at)


@activity_router.get("", response_model=FeedPage)
async def list_activity(
    session: SessionDep,
    actor: ViewActivity,
    target_type: Annotated[str | None, Query(max_length=50)] = None,
    target_id: Annotated[str | None, Query(max_length=100)] = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    tenant_id: TenantQuery = None,
) -> FeedPage:
    """The tenant's activity feed (global admins: one tenant with ``tenant_id``, or all)."""
    entries, next_cursor, count = await service.list_activity(
        session, actor=actor, tenant_id=tenant_id, target_type=target_type, target_id=target_id,
        cursor=cursor, page_size=page_size,
    )  # fmt: skip
    return await _feed(session, entries, next_cursor, count)


@alerts_router.get("", response_model=FeedPage)
async def list_alerts(
    session: SessionDep,
    actor: ViewAlerts,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    tenant_id: TenantQuery = None,
) -> FeedPage:
    """Operational alerts of the tenant (global admins: one tenant with ``tenant_id``, or all)."""
    entries, next_cursor, count = await service.list_alerts(
        session, actor=actor, tenant_id=tenant_id, cursor=cursor, page_size=page_size
    )
    return await _feed(session, entries, next_cursor, count)


# -- preferences -----------------------------------------------------------------------------


@preferences_router.get("/event-types", response_model=list[EventTypeRead])
async def event_types(_actor: Authenticated) -> list[EventTypeRead]:
    """What a user can be told about, with help and the channels each goes by."""
    return preferences_service.event_types()


@preferences_router.get("", response_model=PreferencesRead)
async def my_preferences(session: SessionDep, actor: Authenticated) -> PreferencesRead:
    """Every event type and channel the caller's role gets, the frequency that applies and
    where it comes from (their own choice, the tenant's default, the role's default); their
    language and time zone for e-mails and daily digests."""
    return await preferences_service.mine(session, actor=actor)


@preferences_router.put("", response_model=PreferencesRead)
async def update_my_preferences(
    body: PreferencesUpdate, session: SessionDep, actor: Authenticated
) -> PreferencesRead:
    """Change some of the caller's choices (the others stay); 422 ``invalid_preference`` for an
    event type the role does not get or a channel it does not go by."""
    return await preferences_service.update_mine(session, actor=actor, data=body)


@preferences_router.delete("", response_model=PreferencesRead)
async def reset_my_preferences(session: SessionDep, actor: Authenticated) -> PreferencesRead:
    """Forget the caller's own choices: the tenant's defaults apply again."""
    return await preferences_service.reset_mine(session, actor=actor)


@preferences_router.get("/tenant", response_model=list[TenantDefaultRead])
async def tenant_defaults(
    session: SessionDep, actor: ManageSettings, tenant_id: TenantQuery = None
) -> list[TenantDefaultRead]:
    """The tenant's defaults (null: each role's own default, listed beside)."""
    scope = actor.require_tenant(tenant_id)
    return await preferences_service.tenant_defaults(session, tenant_id=scope)


@preferences_router.put("/tenant", response_model=list[TenantDefaultRead])
async def update_tenant_defaults(
    body: TenantDefaultsUpdate, session: SessionDep, actor: ManageSettings, tenant_id: TenantQuery = None
) -> list[TenantDefaultRead]:
    """Set the tenant's defaults for everyone who has not chosen themselves."""
    scope = actor.require_tenant(tenant_id)
    return await preferences_service.update_tenant_defaults(session, actor=actor, tenant_id=scope, data=body)


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Automat</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;line-height:1.5">{body}</body></html>"""


@preferences_router.get(
    "/unsubscribe", response_class=HTMLResponse, include_in_schema=False, dependencies=[PUBLIC]
)
async def unsubscribe_page(token: Annotated[str, Query(max_length=2000)]) -> HTMLResponse:
    """The link in an e-mail: a page with one button (a mail scanner that follows links changes
    nothing; the button, or a one-click POST from the mail client, does)."""
    claim = mail.read_unsubscribe_token(token)  # 401 for a bad or expired one, before any page
    label = BY_KEY[claim.event_type].label if claim.event_type in BY_KEY else claim.event_type
    body = (
        f"<h1>Stop e-mails about “{escape(label)}”?</h1>"
        f'<form method="post"><input type="hidden" name="token" value="{escape(token)}">'
        '<button type="submit">Stop these e-mails</button></form>'
        "<p>Other notifications stay as they are; change them any time under Notifications → Settings.</p>"
    )
    return HTMLResponse(_PAGE.format(body=body))


@preferences_router.post(
    "/unsubscribe", response_class=HTMLResponse, include_in_schema=False, dependencies=[PUBLIC]
)
async def unsubscribe(
    request: Request,
    token: Annotated[str | None, Query(max_length=2000)] = None,
    form_token: Annotated[str | None, Form(alias="token", max_length=2000)] = None,
) -> HTMLResponse:
    """Turn off e-mails of one event type for one user (the token says which); RFC 8058 one-click
    clients POST to the link itself (token in the query)."""
    chosen = token or form_token
    if not chosen:
        raise NotFound("No unsubscribe token.")
    label = await preferences_service.unsubscribe(request.app.state.db, chosen)
    return HTMLResponse(
        _PAGE.format(body=f"<h1>Done</h1><p>You will get no more e-mails about “{escape(label)}”.</p>")
    )


# -- the embedded default's mailbox ----------------------------------------------------------------


@mailbox_router.get("", response_model=list[MailboxMessage])
async def dev_mailbox(_actor: ReadDevMailbox, limit: Limit = 50) -> list[MailboxMessage]:
    """The newest messages of the embedded default's maildir (written by the local debugging SMTP
    server ``automat up`` runs, or by the workers when no SMTP server is set at all); 404 when
    e-mail goes to a real SMTP server."""
    settings = get_settings()
    if settings.smtp_url and not settings.dev_mailbox:
        raise NotFound("Automat sends e-mail through an SMTP server; there is no local mailbox.")
    path = mail.maildir_path(settings)
    if not path.exists():
        return []
    box = mailbox.Maildir(path, factory=None, create=False)
    found = []
    for key in box.iterkeys():
        raw = box.get_bytes(key)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        found.append(
            MailboxMessage(
                key=key,
                to=str(message["To"] or ""),
                subject=str(message["Subject"] or ""),
                date=str(message["Date"]) if message["Date"] else None,
                headers={k: str(v) for k, v in message.items()},
                text=text.get_content() if text is not None else "",
                html=html.get_content() if html is not None else None,
            )
        )
    found.sort(key=lambda m: m.date or "", reverse=True)
    return found[:limit]

"""/api/notifications (everyone: their own and their role's), /api/activity (project managers
and above) and /api/alerts (tenant admins and above). Pages are newest first; pass the
response's ``next_before`` as ``?before=`` for the next one."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.bounds import BigintId
from automat.models.audit import AuditLog
from automat.notifications import service
from automat.notifications.schemas import (
    FeedEntry,
    FeedPage,
    MarkedRead,
    NotificationItem,
    NotificationPage,
    UnreadCount,
)
from automat.users import repository as users

notifications_router = APIRouter(prefix="/api/notifications", tags=["notifications"])
activity_router = APIRouter(prefix="/api/activity", tags=["notifications"])
alerts_router = APIRouter(prefix="/api/alerts", tags=["notifications"])

ViewActivity = Annotated[Actor, require(Permission.VIEW_ACTIVITY)]
ViewAlerts = Annotated[Actor, require(Permission.VIEW_ALERTS)]

TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to look at")]
Before = Annotated[BigintId | None, Query(description="an entry id: return older entries")]
Limit = Annotated[int, Query(ge=1, le=200)]


def _next(entries: list[AuditLog], limit: int) -> int | None:
    return entries[-1].id if len(entries) == limit else None


async def _feed(session: AsyncSession, entries: list[AuditLog], limit: int) -> FeedPage:
    """A page of the feed, each entry with the name of who did it."""
    names = await users.names(session, [e.actor_id for e in entries])
    return FeedPage(items=[FeedEntry.of(e, names) for e in entries], next_before=_next(entries, limit))


@notifications_router.get("", response_model=NotificationPage)
async def list_notifications(
    session: SessionDep,
    actor: Authenticated,
    before: Before = None,
    limit: Limit = 50,
    tenant_id: TenantQuery = None,
) -> NotificationPage:
    """The caller's notifications (addressed to them, or to their role or above), with read marks."""
    page = await service.list_notifications(
        session, actor=actor, tenant_id=tenant_id, before=before, limit=limit
    )
    return NotificationPage(
        items=[NotificationItem.of(entry, read_at) for entry, read_at in page.items],
        unread_count=page.unread_count,
        next_before=_next([entry for entry, _ in page.items], limit),
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
    before: Before = None,
    limit: Limit = 50,
    tenant_id: TenantQuery = None,
) -> FeedPage:
    """The tenant's activity feed (global admins: one tenant with ``tenant_id``, or all)."""
    entries = await service.list_activity(
        session, actor=actor, tenant_id=tenant_id, target_type=target_type, target_id=target_id,
        before=before, limit=limit,
    )  # fmt: skip
    return await _feed(session, entries, limit)


@alerts_router.get("", response_model=FeedPage)
async def list_alerts(
    session: SessionDep,
    actor: ViewAlerts,
    before: Before = None,
    limit: Limit = 50,
    tenant_id: TenantQuery = None,
) -> FeedPage:
    """Operational alerts of the tenant (global admins: one tenant with ``tenant_id``, or all)."""
    entries = await service.list_alerts(session, actor=actor, tenant_id=tenant_id, before=before, limit=limit)
    return await _feed(session, entries, limit)

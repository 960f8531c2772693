from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from automat.audit import repository
from automat.audit.schemas import AuditEntryRead, AuditPage
from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize, capped, decode_cursor, page_of
from automat.models.audit import AuditChannel

router = APIRouter(prefix="/api/audit", tags=["audit"])

ViewAuditLog = Annotated[Actor, require(Permission.VIEW_AUDIT_LOG)]


@router.get("", response_model=AuditPage)
async def list_audit(
    session: SessionDep,
    actor: ViewAuditLog,
    tenant_id: Annotated[uuid.UUID | None, Query()] = None,
    channel: AuditChannel | None = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
) -> AuditPage:
    """The audit entries of the caller's tenant (global admins: any tenant, or all), newest first,
    a page at a time."""
    rows, count = await repository.list_entries(
        session,
        tenant_id=actor.scope_tenant(tenant_id),
        channel=channel.value if channel else None,
        limit=page_size + 1,
        after=decode_cursor(cursor, (datetime, int)),
    )
    items, next_cursor = page_of(rows, page_size, key=lambda e: (e.created_at, e.id))
    total, estimate = capped(count)
    return AuditPage(
        items=[AuditEntryRead.model_validate(e) for e in items],
        next_cursor=next_cursor,
        total=total,
        total_is_estimate=estimate,
    )

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from automat.audit import repository
from automat.audit.schemas import AuditEntryRead, AuditPage
from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize, decode_cursor, page_of
from automat.models.audit import AuditChannel

router = APIRouter(prefix="/api/audit", tags=["audit"])

ViewAuditLog = Annotated[Actor, require(Permission.VIEW_AUDIT_LOG)]


@router.get("", response_model=AuditPage)
async def list_audit(
    session: SessionDep,
    actor: ViewAuditLog,
    tenant_id: Annotated[uuid.UUID | None, Query()] = None,
    channel: AuditChannel | None = None,
    target_type: Annotated[
        str | None, Query(pattern=r"^[a-z_]{1,50}$", description="setting, tenant_config …")
    ] = None,
    target_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.:-]{1,100}$")] = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
) -> AuditPage:
    """Audit entries of the caller's tenant, newest first (global admins: any tenant, or all)."""
    rows, total = await repository.list_entries(
        session,
        tenant_id=actor.scope_tenant(tenant_id),
        channel=channel.value if channel else None,
        target_type=target_type,
        target_id=target_id,
        after=decode_cursor(cursor, repository.CURSOR_TYPES),
        page_size=page_size,
    )
    page, next_cursor = page_of(rows, page_size, lambda row: (row[0].created_at, row[0].id))
    items = [
        AuditEntryRead.model_validate(entry).model_copy(update={"actor_email": email})
        for entry, email in page
    ]
    return AuditPage(items=items, next_cursor=next_cursor, total=total)

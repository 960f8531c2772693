from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from automat.audit import repository
from automat.audit.schemas import AuditEntryRead
from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.models.audit import AuditChannel

router = APIRouter(prefix="/api/audit", tags=["audit"])

ViewAuditLog = Annotated[Actor, require(Permission.VIEW_AUDIT_LOG)]


@router.get("", response_model=list[AuditEntryRead])
async def list_audit(
    session: SessionDep,
    actor: ViewAuditLog,
    tenant_id: Annotated[uuid.UUID | None, Query()] = None,
    channel: AuditChannel | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditEntryRead]:
    """Recent audit entries of the caller's tenant (global admins: any tenant, or all)."""
    entries = await repository.list_entries(
        session,
        tenant_id=actor.scope_tenant(tenant_id),
        channel=channel.value if channel else None,
        limit=limit,
    )
    return [AuditEntryRead.model_validate(e) for e in entries]

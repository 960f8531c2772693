"""The audit trail: every write records who did what, in the same transaction as the write."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import repository
from automat.models.audit import AuditChannel, AuditLog

if TYPE_CHECKING:
    from automat.core.deps import Actor


async def record(
    session: AsyncSession,
    *,
    actor: Actor | None,
    action: str,
    tenant_id: uuid.UUID | None,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
    channel: AuditChannel = AuditChannel.ACTIVITY,
    client_address: str | None = None,
) -> None:
    repository.add(
        session,
        AuditLog(
            tenant_id=tenant_id,
            channel=channel.value,
            actor_id=actor.user_id if actor else None,
            actor_role=actor.role.value if actor else None,
            action=action,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            detail=detail or {},
            client_address=client_address or (actor.client_address if actor else None),
        ),
    )

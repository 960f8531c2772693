"""Queries for the audit log."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from automat.models.audit import AuditLog


def add(session: AsyncSession, entry: AuditLog) -> None:
    session.add(entry)


async def list_entries(
    session: AsyncSession, *, tenant_id: uuid.UUID | None, channel: str | None, limit: int
) -> list[AuditLog]:
    stmt = select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(limit)
    if tenant_id is not None:
        stmt = stmt.where(AuditLog.tenant_id == tenant_id)
    if channel is not None:
        stmt = stmt.where(AuditLog.channel == channel)
    return list((await session.scalars(stmt)).all())

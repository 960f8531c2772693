"""Queries for the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from automat.kit.pagination import COUNT_CAP, KeyPart, after_key
from automat.models.audit import AuditLog


def add(session: AsyncSession, entry: AuditLog) -> None:
    session.add(entry)


def _entries(tenant_id: uuid.UUID | None, channel: str | None) -> Select[AuditLog]:
    stmt = select(AuditLog)
    if tenant_id is not None:
        stmt = stmt.where(AuditLog.tenant_id == tenant_id)
    if channel is not None:
        stmt = stmt.where(AuditLog.channel == channel)
    return stmt


async def list_entries(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    channel: str | None,
    limit: int,
    after: Sequence[KeyPart] | None = None,
) -> tuple[list[AuditLog], int]:
    """Up to ``limit`` entries newest first by (created_at, id) after the cursor's key (a range of
    ``ix_audit_log_tenant_created_id`` or ``ix_audit_log_tenant_channel_created_id``), and how
    many match, counted up to COUNT_CAP + 1."""
    stmt = _entries(tenant_id, channel)
    page = stmt.order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(limit)
    if after is not None:
        page = page.where(after_key((AuditLog.created_at, AuditLog.id), after, descending=True))
    limited = stmt.with_only_columns(AuditLog.id).limit(COUNT_CAP + 1).subquery()
    count = int(await session.scalar(select(func.count()).select_from(limited)) or 0)
    return list((await session.scalars(page)).all()), count

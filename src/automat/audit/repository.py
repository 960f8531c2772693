"""Queries for the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from automat.kit.pagination import KeyPart, KeyTypes
from automat.models.audit import AuditLog
from automat.models.user import User

# Newest first: (created_at, id) descending; the cursor is the last entry's pair.
CURSOR_TYPES: KeyTypes = (datetime, int)


def add(session: AsyncSession, entry: AuditLog) -> None:
    session.add(entry)


async def list_entries(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    channel: str | None,
    target_type: str | None,
    target_id: str | None,
    after: tuple[KeyPart, ...] | None,
    page_size: int,
) -> tuple[list[tuple[AuditLog, str | None]], int]:
    """``page_size + 1`` entries after ``after`` with the actor's e-mail (null where the caller
    may not see the user, e.g. a global admin for a tenant), and how many match in all."""
    filters = []
    if tenant_id is not None:
        filters.append(AuditLog.tenant_id == tenant_id)
    if channel is not None:
        filters.append(AuditLog.channel == channel)
    if target_type is not None:
        filters.append(AuditLog.target_type == target_type)
    if target_id is not None:
        filters.append(AuditLog.target_id == target_id)
    stmt = (
        select(AuditLog, User.email)
        .outerjoin(User, User.id == AuditLog.actor_id)
        .where(*filters)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(page_size + 1)
    )
    if after is not None:
        stmt = stmt.where(tuple_(AuditLog.created_at, AuditLog.id) < tuple_(*after))
    rows: list[tuple[AuditLog, str | None]] = [(e, m) for e, m in (await session.execute(stmt)).all()]
    total = int(await session.scalar(select(func.count()).select_from(AuditLog).where(*filters)) or 0)
    return rows, total

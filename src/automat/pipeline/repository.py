"""Queries for the pipeline log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.models.pipeline import PipelineEvent


def delete_events_before(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(PipelineEvent).where(PipelineEvent.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def list_events(
    session: AsyncSession, *, tenant_id: uuid.UUID | None, job_id: str | None, limit: int
) -> list[PipelineEvent]:
    stmt = (
        select(PipelineEvent).order_by(PipelineEvent.created_at.desc(), PipelineEvent.id.desc()).limit(limit)
    )
    if tenant_id is not None:
        stmt = stmt.where(PipelineEvent.tenant_id == tenant_id)
    if job_id is not None:
        stmt = stmt.where(PipelineEvent.job_id == job_id)
    return list((await session.scalars(stmt)).all())

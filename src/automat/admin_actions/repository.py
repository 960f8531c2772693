"""Queries of the admin actions: what each would touch now, measured durations, the jobs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.admin_actions.actions import MEASURED_SAMPLES, STALE_QUEUED_S, ActionName
from automat.kit.time import utcnow
from automat.models.admin_job import LIVE_STATES, AdminJob, AdminJobState
from automat.models.cad import CadFile, CadPart, CadStatus
from automat.models.media import MediaAsset
from automat.models.order import LineStatus, OrderLine
from automat.models.pipeline import PipelineEvent


def thumbnail_targets(
    tenant_id: uuid.UUID,
    *,
    cad_file_ids: Sequence[uuid.UUID] | None,
    only_fallback: bool,
    created_since: datetime | None,
) -> Select[Any]:
    """Ready CAD files of the tenant (with a GLB to render from), narrowed by the filters."""
    stmt = select(CadFile.id).where(
        CadFile.tenant_id == tenant_id,
        CadFile.status == CadStatus.READY.value,
        CadFile.production_glb_key.is_not(None),
    )
    if cad_file_ids is not None:
        stmt = stmt.where(CadFile.id.in_(list(cad_file_ids)))
    if only_fallback:
        stmt = stmt.where(
            exists().where(CadPart.cad_file_id == CadFile.id, CadPart.material_reason == "fallback")
        )
    if created_since is not None:
        stmt = stmt.where(CadFile.created_at >= created_since)
    return stmt.order_by(CadFile.created_at, CadFile.id)


def unprocessed_targets(tenant_id: uuid.UUID, now: datetime | None = None) -> Select[Any]:
    """Files never processed: still ``uploaded``, or queued long ago with no step ever started."""
    stale = (now or utcnow()) - timedelta(seconds=STALE_QUEUED_S)
    queued_and_lost = and_(
        CadFile.status == CadStatus.PROCESSING.value,
        CadFile.job_document["state"].astext == "queued",
        CadFile.updated_at < stale,
    )
    return (
        select(CadFile.id)
        .where(
            CadFile.tenant_id == tenant_id, or_(CadFile.status == CadStatus.UPLOADED.value, queued_and_lost)
        )
        .order_by(CadFile.created_at, CadFile.id)
    )


def failed_line_targets(tenant_id: uuid.UUID) -> Select[Any]:
    return (
        select(OrderLine.id)
        .where(OrderLine.tenant_id == tenant_id, OrderLine.render_status == LineStatus.FAILED.value)
        .order_by(OrderLine.id)
    )


async def target_ids(session: AsyncSession, stmt: Select[Any]) -> list[uuid.UUID]:
    return [uuid.UUID(str(i)) for i in (await session.scalars(stmt)).all()]


async def media_count(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    return int(await session.scalar(select(func.count()).where(MediaAsset.tenant_id == tenant_id)) or 0)


async def measured_median(
    session: AsyncSession, tenant_id: uuid.UUID, step: str, samples: int = MEASURED_SAMPLES
) -> tuple[float | None, int]:
    """The median duration of the tenant's last ``samples`` completed runs of a pipeline step, and
    how many there were."""
    last = (
        select(PipelineEvent.duration_s)
        .where(
            PipelineEvent.tenant_id == tenant_id,
            PipelineEvent.step_name == step,
            PipelineEvent.level == "info",
            PipelineEvent.duration_s.is_not(None),
            PipelineEvent.context["kind"].astext == "done",
        )
        .order_by(PipelineEvent.created_at.desc())
        .limit(samples)
        .subquery()
    )
    row = (
        await session.execute(
            select(func.percentile_cont(0.5).within_group(last.c.duration_s.asc()), func.count()).select_from(
                last
            )
        )
    ).one()
    return (float(row[0]) if row[0] is not None else None), int(row[1])


async def past_item_median(
    session: AsyncSession, tenant_id: uuid.UUID, action: ActionName, samples: int = 5
) -> tuple[float | None, int]:
    """Seconds per item of the action's last succeeded jobs (median), and how many jobs."""
    per_item = func.extract("epoch", AdminJob.finished_at - AdminJob.started_at) / func.greatest(
        AdminJob.done, 1
    )
    last = (
        select(per_item.label("s"))
        .where(
            AdminJob.tenant_id == tenant_id,
            AdminJob.action == action.value,
            AdminJob.state == AdminJobState.SUCCEEDED.value,
            AdminJob.done > 0,
            AdminJob.started_at.is_not(None),
            AdminJob.finished_at.is_not(None),
        )
        .order_by(AdminJob.finished_at.desc())
        .limit(samples)
        .subquery()
    )
    row = (
        await session.execute(
            select(func.percentile_cont(0.5).within_group(last.c.s.asc()), func.count()).select_from(last)
        )
    ).one()
    return (float(row[0]) if row[0] is not None else None), int(row[1])


# -- jobs -----------------------------------------------------------------------------------------


async def get(
    session: AsyncSession, job_id: uuid.UUID, *, tenant_id: uuid.UUID | None, lock: bool = False
) -> AdminJob | None:
    stmt = select(AdminJob).where(AdminJob.id == job_id)
    if tenant_id is not None:
        stmt = stmt.where(AdminJob.tenant_id == tenant_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def live_jobs(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, AdminJob]:
    stmt = select(AdminJob).where(AdminJob.tenant_id == tenant_id, AdminJob.state.in_(LIVE_STATES))
    return {job.action: job for job in (await session.scalars(stmt)).all()}


async def page(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    action: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> tuple[list[AdminJob], int]:
    """Newest first; ``limit`` + 1 rows after the cursor's key, and the count of all."""
    where = []
    if tenant_id is not None:
        where.append(AdminJob.tenant_id == tenant_id)
    if action is not None:
        where.append(AdminJob.action == action)
    total = await session.scalar(select(func.count()).select_from(AdminJob).where(*where))
    stmt = select(AdminJob).where(*where)
    if after is not None:
        stmt = stmt.where(tuple_(AdminJob.created_at, AdminJob.id) < tuple_(*after))
    rows = (
        await session.scalars(stmt.order_by(AdminJob.created_at.desc(), AdminJob.id.desc()).limit(limit + 1))
    ).all()
    return list(rows), int(total or 0)


# -- in the worker --------------------------------------------------------------------------------


def job_for_update(session: Session, job_id: uuid.UUID, tenant_id: uuid.UUID) -> AdminJob | None:
    return session.scalar(
        select(AdminJob).where(AdminJob.id == job_id, AdminJob.tenant_id == tenant_id).with_for_update()
    )


def media_batch(
    session: Session, tenant_id: uuid.UUID, after: uuid.UUID | None, size: int
) -> list[uuid.UUID]:
    stmt = select(MediaAsset.id).where(MediaAsset.tenant_id == tenant_id)
    if after is not None:
        stmt = stmt.where(MediaAsset.id > after)
    return list(session.scalars(stmt.order_by(MediaAsset.id).limit(size)).all())


def refill_media_copies(session: Session, ids: Sequence[uuid.UUID]) -> int:
    """Write the assets' search and filter copies again (migration 0014's fill trigger fires on the
    update of the two ids and reads the line, order and product of each)."""
    if not ids:
        return 0
    result = session.execute(
        text(
            "UPDATE media_assets SET order_line_id = order_line_id, product_id = product_id "
            "WHERE id = ANY(:ids)"
        ),
        {"ids": list(ids)},
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

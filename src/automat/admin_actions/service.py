"""Admin actions for the API: what each would touch and how long it would take, start (one at a
time per tenant and action, enforced by the database), cancel, read the jobs."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from automat.admin_actions import repository, stalls
from automat.admin_actions.actions import ACTIONS, Action, ActionName
from automat.admin_actions.schemas import ActionRead, Estimate, JobPage, JobRead, ThumbnailParams, job_event
from automat.audit import service as audit
from automat.core import events
from automat.core.deps import Actor
from automat.core.redis import sync_client
from automat.kit.errors import Conflict, NotFound
from automat.kit.pagination import decode_cursor, page_of
from automat.kit.repository import save_unique
from automat.kit.time import utcnow
from automat.kit.transaction import on_commit
from automat.models.admin_job import AdminJob, AdminJobState
from automat.orders import control
from automat.worker.dispatch import enqueue_for_tenant


class AdminActionRunning(Conflict):
    """This action is already queued or running for the tenant: wait for it, or cancel it."""

    code = "admin_action_running"


class JobFinished(Conflict):
    """The job has finished already; there is nothing to cancel."""

    code = "admin_job_finished"


async def _targets(
    session: AsyncSession, action: Action, tenant_id: uuid.UUID, params: BaseModel
) -> list[uuid.UUID]:
    if action.name == ActionName.REGENERATE_THUMBNAILS:
        assert isinstance(params, ThumbnailParams)
        stmt = repository.thumbnail_targets(
            tenant_id,
            cad_file_ids=params.cad_file_ids,
            only_fallback=params.only_fallback,
            created_since=params.created_since,
        )
    elif action.name == ActionName.PROCESS_UNPROCESSED_CAD_FILES:
        stmt = repository.unprocessed_targets(tenant_id)
    elif action.name == ActionName.REQUEUE_FAILED_LINES:
        stmt = repository.failed_line_targets(tenant_id)
    else:
        raise AssertionError(f"{action.name} is batched")
    return await repository.target_ids(session, stmt)


async def _count(session: AsyncSession, action: Action, tenant_id: uuid.UUID, params: BaseModel) -> int:
    if action.batched:
        return await repository.media_count(session, tenant_id)
    return len(await _targets(session, action, tenant_id, params))


async def per_item(session: AsyncSession, action: Action, tenant_id: uuid.UUID) -> tuple[float, str, int]:
    """Expected seconds per item, its basis and how many measurements: the summed medians of the
    last measured durations of the action's steps, else of its own past jobs, else a default."""
    if action.steps:
        medians = [await repository.measured_median(session, tenant_id, s.value) for s in action.steps]
        measured = [m for m in medians if m[0] is not None]
        if measured:
            return sum(m[0] for m in measured if m[0] is not None), "measured", min(n for _, n in measured)
    past, jobs = await repository.past_item_median(session, tenant_id, action.name)
    if past is not None:
        return past, "past_jobs", jobs
    return action.default_item_s, "default", 0


async def estimate(
    session: AsyncSession, action: Action, tenant_id: uuid.UUID, params: BaseModel
) -> Estimate:
    items = await _count(session, action, tenant_id, params)
    seconds, basis, samples = await per_item(session, action, tenant_id)
    return Estimate(
        items=items, unit=action.unit, per_item_s=round(seconds, 3), seconds=round(items * seconds, 1),
        basis=basis, samples=samples,
    )  # fmt: skip


async def list_actions(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None
) -> list[ActionRead]:
    tid = actor.require_tenant(tenant_id)
    await recover_stalled(session, tid)
    live = await repository.live_jobs(session, tid)
    found = []
    for action in ACTIONS.values():
        params: BaseModel = ThumbnailParams() if action.name == ActionName.REGENERATE_THUMBNAILS else _Empty()
        running = live.get(action.name.value)
        found.append(
            ActionRead(
                name=action.name,
                help_key=action.help_key,
                route=action.route,
                estimate=await estimate(session, action, tid, params),
                running_job=JobRead.of(running) if running is not None else None,
            )
        )
    return found


class _Empty(BaseModel):
    pass


async def recover_stalled(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """The tenant's running jobs whose worker was lost end failed as stalled now (what beat does
    every minute), so the page shows them so and a start is not refused for a dead job."""
    await session.run_sync(lambda sync: stalls.recover(sync, tenant_id=tenant_id))


def _publish_after_commit(session: AsyncSession, job: AdminJob) -> None:
    event, tenant_id = job_event(job), job.tenant_id
    on_commit(session, lambda: events.publish(sync_client(), tenant_id, event))


async def start(
    session: AsyncSession, *, actor: Actor, name: ActionName, params: BaseModel, tenant_id: uuid.UUID | None
) -> JobRead:
    """Queue a job of the action over what it touches now (fixed here). 409 ``admin_action_running``
    while one of this action is queued or running for the tenant (the partial unique index
    ``uq_admin_jobs_one_live`` decides, so two racing starts cannot both pass)."""
    action = ACTIONS[name]
    tid = actor.require_tenant(tenant_id)
    await recover_stalled(session, tid)
    est = await estimate(session, action, tid, params)
    items = [] if action.batched else [str(i) for i in await _targets(session, action, tid, params)]
    job = AdminJob(
        id=uuid.uuid4(), tenant_id=tid, action=name.value,
        params=params.model_dump(mode="json", exclude_none=True), state=AdminJobState.QUEUED.value,
        total=est.items, items=items, progress={}, expected_s=est.seconds, requested_by=actor.user_id,
        task_id=str(uuid.uuid4()),
    )  # fmt: skip
    job = await save_unique(
        session,
        job,
        constraint="uq_admin_jobs_one_live",
        conflict=AdminActionRunning(
            "This action is already running for the tenant: wait for it to finish, or cancel it.",
            details={"action": name.value},
        ),
    )
    await audit.record(
        session, actor=actor, action="admin_action.start", tenant_id=tid, target_type="admin_job",
        target_id=job.id, detail={"action": name.value, "items": job.total, "params": job.params},
    )  # fmt: skip
    await enqueue_for_tenant(session, action.task, tid, options={"task_id": job.task_id}, job_id=str(job.id))
    _publish_after_commit(session, job)
    return JobRead.of(job)


async def preview(
    session: AsyncSession, *, actor: Actor, name: ActionName, params: BaseModel, tenant_id: uuid.UUID | None
) -> Estimate:
    return await estimate(session, ACTIONS[name], actor.require_tenant(tenant_id), params)


def _scope(actor: Actor, tenant_id: uuid.UUID | None) -> uuid.UUID | None:
    return actor.scope_tenant(tenant_id)


async def get(session: AsyncSession, *, actor: Actor, job_id: uuid.UUID, lock: bool = False) -> AdminJob:
    job = await repository.get(
        session, job_id, tenant_id=None if actor.is_global_admin else actor.tenant_id, lock=lock
    )
    if job is None:
        raise NotFound("Admin job not found.", code="admin_job_not_found")
    return job


async def cancel(session: AsyncSession, *, actor: Actor, job_id: uuid.UUID) -> JobRead:
    """A queued job ends here (its task is revoked); a running one is told to stop, through the same
    Redis cancel key an order line's render watches: the worker kills its render host and ends the
    job cancelled. 409 ``admin_job_finished`` for a finished job."""
    job = await get(session, actor=actor, job_id=job_id, lock=True)
    if job.state not in (AdminJobState.QUEUED.value, AdminJobState.RUNNING.value):
        raise JobFinished("The job has finished already.", details={"state": job.state})
    job_key, task_id = job.id, job.task_id

    def send() -> None:
        from automat.worker.celery_app import celery_app

        control.request_cancel(sync_client(), [job_key])
        if task_id and state_was_queued:
            celery_app.control.revoke(task_id)

    state_was_queued = job.state == AdminJobState.QUEUED.value
    if state_was_queued:
        job.state = AdminJobState.CANCELLED.value
        job.finished_at = utcnow()
        job.error = "cancelled before it started"
    else:
        job.progress = {**(job.progress or {}), "cancel_requested": True}
    await session.flush()
    await session.refresh(job)
    await audit.record(
        session, actor=actor, action="admin_action.cancel", tenant_id=job.tenant_id, target_type="admin_job",
        target_id=job.id, detail={"action": job.action, "state": job.state},
    )  # fmt: skip
    on_commit(session, send)
    _publish_after_commit(session, job)
    return JobRead.of(job)


async def list_jobs(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    action: ActionName | None,
    cursor: str | None,
    page_size: int,
) -> JobPage:
    key = decode_cursor(cursor, (datetime, uuid.UUID))
    rows, total = await repository.page(
        session,
        tenant_id=_scope(actor, tenant_id),
        action=action.value if action else None,
        after=key,  # type: ignore[arg-type]
        limit=page_size,
    )
    items, next_cursor = page_of(rows, page_size, lambda j: (j.created_at, j.id))
    return JobPage(items=[JobRead.of(j) for j in items], next_cursor=next_cursor, total=total)

"""The admin jobs' worker side: one task runs a whole job, item by item.

The job's row says what to touch (``items``, fixed when it was started) and how far it got
(``done``/``failed``). After each item the counts and ``progress`` are written in a short
transaction of their own and an ``admin_job`` event goes to the tenant's live channel. A cancel
(``orders.control.request_cancel`` with the job's id, what ``POST /api/admin/jobs/{id}/cancel``
sends) is watched by ``orders.render.CancelWatch`` as an order line's: a thumbnail being rendered
has its render host killed, and the job ends ``cancelled`` after that item.

While it runs, a heartbeat thread touches the row every ``stalls.HEARTBEAT_S``; a job whose worker
was lost stops beating and ``recover_stalled_admin_jobs`` (beat, every minute) fails it as stalled.
A task that finds its job no longer running (recovered meanwhile: its worker was only cut off)
stops without writing anything more.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from automat.admin_actions import repository, stalls
from automat.admin_actions.actions import ACTIONS, MEDIA_BATCH, ActionName
from automat.admin_actions.dispatch import RENDER_JOB_TASK, STEP_JOB_TASK
from automat.admin_actions.schemas import job_event
from automat.cad import thumbnail
from automat.core import events
from automat.core.redis import sync_client
from automat.kit.time import utcnow
from automat.models.admin_job import AdminJob, AdminJobState
from automat.models.cad import CadFile, CadStatus
from automat.models.workflow import Workflow, WorkflowVersion
from automat.orders import control
from automat.orders.render import CancelWatch
from automat.pipeline import executor
from automat.pipeline.executor import NodeStatus, RunError
from automat.pipeline.job_document import JobState, RenderJobDocument
from automat.pipeline.task import StepTask
from automat.rendering.worker_host import worker_host
from automat.worker.base import SystemTask
from automat.worker.celery_app import celery_app
from automat.worker.queues import STEP_QUEUE, declare_task
from automat.workflows import repository as workflows

log = logging.getLogger(__name__)
PROGRESS_EVERY_S = 0.5  # at most this often an item's own progress (a render's phases) is published


class _Skip(Exception):
    """The item is no longer what the action is for (deleted, changed meanwhile): counted as failed."""


class _Superseded(Exception):
    """The job is no longer running (recovered as stalled meanwhile): this task writes nothing more."""


def _publish(tenant_id: uuid.UUID, job: AdminJob) -> None:
    try:
        events.publish(sync_client(), tenant_id, job_event(job))
    except Exception:
        log.warning("could not publish admin job %s", job.id, exc_info=True)


def _update(
    task: StepTask,
    tid: uuid.UUID,
    jid: uuid.UUID,
    change: Callable[[AdminJob], None],
    *,
    state: AdminJobState = AdminJobState.RUNNING,
) -> AdminJob | None:
    """Change the job's row if it is still in ``state`` (else ``_Superseded``) and tell the page."""
    with task.tenant_session(tid) as session:
        job = repository.job_for_update(session, jid, tid)
        if job is None:
            return None
        if job.state != state.value:
            raise _Superseded(job.state)
        change(job)
        session.flush()
        session.refresh(job)
        _publish(tid, job)
        return job


# -- one item of each action ------------------------------------------------------------------------


def _regenerate_thumbnail(
    task: StepTask,
    tid: uuid.UUID,
    item: str,
    cancel: threading.Event,
    report: Callable[[dict[str, Any]], None],
) -> None:
    def progress(event: dict[str, Any]) -> None:
        report({"message": event.get("message") or event.get("phase"), "fraction": event.get("fraction"),
                "host_pid": worker_host().pid})  # fmt: skip

    report({"message": "rendering", "fraction": 0.0, "host_pid": worker_host().pid})
    result = thumbnail.render_thumbnail(
        task, tid, uuid.UUID(item), rematerial=True, cancel=cancel, on_progress=progress
    )
    if result is None:
        raise _Skip("the file is no longer ready")
    if result.status != "completed":
        raise RuntimeError(result.error or result.status)


def _process_cad_file(session: Session, tid: uuid.UUID, item: str) -> None:
    cad = session.scalar(select(CadFile).where(CadFile.id == uuid.UUID(item)).with_for_update())
    if cad is None or cad.status not in (CadStatus.UPLOADED.value, CadStatus.PROCESSING.value):
        raise _Skip("the file was processed meanwhile")
    doc = RenderJobDocument(job_id=f"cad:{cad.id}")
    doc.set_state(JobState.QUEUED, reason="admin action: process unprocessed CAD files")
    cad.job_document = doc.to_json()
    cad.status = CadStatus.PROCESSING.value
    cad.error = cad.error_code = cad.error_detail = None
    workflow = session.get(Workflow, workflows.CAD_PROCESSING_ID)
    version = session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflows.CAD_PROCESSING_ID,
            WorkflowVersion.version == (workflow.latest_version if workflow else 0),
        )
    )
    if workflow is None or version is None:
        raise RuntimeError("the built-in CAD processing workflow is missing: run the migrations")
    executor.dispatch_workflow(session, workflow, version, tenant_id=tid, subject_id=cad.id)


def _requeue_line(session: Session, item: str, by: uuid.UUID | None) -> None:
    run = executor.latest_run(session, uuid.UUID(item))
    if run is None:
        raise _Skip("the line has no run to retry")
    failed = [n for n in executor.run_nodes(session, run.id) if n.status == NodeStatus.FAILED]
    if not failed:
        raise _Skip("the line's run has no failed step")
    executor.retry_node(session, run.id, min(failed, key=lambda n: n.position).node_id, by=by)


# -- the job ------------------------------------------------------------------------------------


def _begin(task: StepTask, tid: uuid.UUID, jid: uuid.UUID) -> AdminJob | None:
    def start(job: AdminJob) -> None:
        job.state = AdminJobState.RUNNING.value
        job.started_at = utcnow()
        job.progress = {}

    try:
        return _update(task, tid, jid, start, state=AdminJobState.QUEUED)
    except _Superseded:
        return None


def _finish(task: StepTask, tid: uuid.UUID, jid: uuid.UUID, state: AdminJobState, error: str | None) -> None:
    def end(job: AdminJob) -> None:
        job.state = state.value
        job.finished_at = utcnow()
        job.error = error
        job.progress = {}

    _update(task, tid, jid, end)
    control.clear_cancel(sync_client(), [jid])


def _item_done(
    task: StepTask, tid: uuid.UUID, jid: uuid.UUID, *, ok: int, bad: int, note: dict[str, Any]
) -> None:
    def count(job: AdminJob) -> None:
        job.done += ok
        job.failed += bad
        job.progress = note

    _update(task, tid, jid, count)


def _run(task: StepTask, tenant_id: str, job_id: str) -> str:
    tid, jid = uuid.UUID(tenant_id), uuid.UUID(job_id)
    job = _begin(task, tid, jid)
    if job is None:
        return "skipped"  # cancelled before it started, or a redelivery of a finished job
    action = ACTIONS[ActionName(job.action)]
    items, by, start_at = list(job.items), job.requested_by, job.done + job.failed
    errors: list[str] = []
    last_note = [0.0]

    def report(index: int, item: str) -> Callable[[dict[str, Any]], None]:
        def note(progress: dict[str, Any]) -> None:
            now = time.monotonic()
            if now - last_note[0] < PROGRESS_EVERY_S and progress.get("fraction") not in (0.0, 1.0):
                return
            last_note[0] = now

            def write(j: AdminJob) -> None:
                j.progress = {"item": item, "index": index, **progress}

            try:
                _update(task, tid, jid, write)
            except _Superseded:
                pass  # the next count ends the task
            except Exception:
                log.warning("could not record the progress of admin job %s", jid, exc_info=True)

        return note

    try:
        heartbeat = stalls.Heartbeat(lambda: task.tenant_session(tid), jid)
        with heartbeat, CancelWatch(sync_client(), tid, jid) as watch:
            if action.batched:
                cancelled = _run_batched(task, tid, jid, watch.event)
            else:
                cancelled = False
                for index, item in enumerate(items[start_at:], start=start_at):
                    if watch.event.is_set() or control.cancel_requested(sync_client(), jid):
                        cancelled = True
                        break
                    ok, error = _one(task, tid, action.name, item, by, watch.event, report(index, item))
                    if watch.event.is_set() and not ok:
                        cancelled = True
                        break
                    if error:
                        errors.append(f"{item}: {error}")
                    _item_done(
                        task, tid, jid, ok=int(ok), bad=int(not ok), note={"item": item, "index": index}
                    )
        if cancelled:
            _finish(task, tid, jid, AdminJobState.CANCELLED, "cancelled")
            return "cancelled"
        every_one_failed = bool(items) and len(errors) == len(items) - start_at
        summary = "; ".join(errors[:5]) + (f"; … {len(errors) - 5} more" if len(errors) > 5 else "") or None
        final = AdminJobState.FAILED if every_one_failed else AdminJobState.SUCCEEDED
        _finish(task, tid, jid, final, summary)
        return "failed" if every_one_failed else "succeeded"
    except _Superseded as exc:
        log.warning("admin job %s is %s meanwhile: this task stops", jid, exc)
        control.clear_cancel(sync_client(), [jid])
        return "superseded"
    except Exception as exc:
        log.exception("admin job %s failed", jid)
        try:
            _finish(task, tid, jid, AdminJobState.FAILED, str(exc) or repr(exc))
        except _Superseded:
            return "superseded"
        return "failed"


def _one(
    task: StepTask,
    tid: uuid.UUID,
    name: ActionName,
    item: str,
    by: uuid.UUID | None,
    cancel: threading.Event,
    report: Callable[[dict[str, Any]], None],
) -> tuple[bool, str | None]:
    """Run one item; (succeeded, why not)."""
    try:
        if name == ActionName.REGENERATE_THUMBNAILS:
            _regenerate_thumbnail(task, tid, item, cancel, report)
        elif name == ActionName.PROCESS_UNPROCESSED_CAD_FILES:
            with task.tenant_session(tid) as session:
                _process_cad_file(session, tid, item)
        elif name == ActionName.REQUEUE_FAILED_LINES:
            with task.tenant_session(tid) as session:
                _requeue_line(session, item, by)
        return True, None
    except (_Skip, RunError) as exc:
        return False, str(exc)
    except Exception as exc:
        log.warning("admin job item %s failed", item, exc_info=True)
        return False, str(exc) or repr(exc)


def _run_batched(task: StepTask, tid: uuid.UUID, jid: uuid.UUID, cancel: threading.Event) -> bool:
    """The media assets in batches by id; True when cancelled."""
    after: uuid.UUID | None = None
    while True:
        if cancel.is_set():
            return True
        with task.tenant_session(tid) as session:
            ids = repository.media_batch(session, tid, after, MEDIA_BATCH)
            repository.refill_media_copies(session, ids)
        if not ids:
            return False
        after = ids[-1]
        _item_done(task, tid, jid, ok=len(ids), bad=0, note={"after": str(after)})


@celery_app.task(base=StepTask, bind=True, name=RENDER_JOB_TASK)
def run_render_job(self: StepTask, *, tenant_id: str, job_id: str) -> str:
    """An admin job that renders (in this worker process's render host)."""
    return _run(self, tenant_id, job_id)


@celery_app.task(base=StepTask, bind=True, name=STEP_JOB_TASK)
def run_step_job(self: StepTask, *, tenant_id: str, job_id: str) -> str:
    """An admin job that queues or rewrites rows."""
    return _run(self, tenant_id, job_id)


@celery_app.task(
    base=SystemTask,
    bind=True,
    name=declare_task("automat.admin_actions.tasks.recover_stalled_admin_jobs", queue=STEP_QUEUE),
)
def recover_stalled_admin_jobs(self: SystemTask) -> dict[str, Any]:
    """Running admin jobs without a heartbeat for the tenant's ``admin_job_stall_timeout_minutes``
    (their worker was lost) end failed as stalled; their actions may be started again."""
    with self.system_session() as session:
        recovered = [str(job.id) for job in stalls.recover(session)]
    return {"recovered": recovered}

"""The order line render task (queue ``thumbnail_rendering``; one render host per worker process)."""

from __future__ import annotations

import shutil
import socket
import uuid
from pathlib import Path
from typing import Any

from automat.core.redis import sync_client
from automat.kit.storage import default_storage
from automat.kit.time import utcnow
from automat.kit.transaction import on_commit
from automat.notifications.service import alert_sync
from automat.orders import control
from automat.orders import lines as order_lines
from automat.orders import repository as order_repository
from automat.orders import runtime as order_runtime
from automat.orders.dispatch import RENDER_TASK
from automat.pipeline.job_document import JobResult, JobState, StepStatus
from automat.pipeline.steps import ProcessStep
from automat.rendering import order_render
from automat.rendering.progress import ProgressRecorder
from automat.rendering.spec import RenderJobResult
from automat.rendering.worker_host import worker_host
from automat.worker.base import TenantTask
from automat.worker.celery_app import celery_app

# -- order lines --------------------------------------------------------------------------------

SLOT_RETRY_S = 3


def _start_line(task: TenantTask, tid: uuid.UUID, lid: uuid.UUID, work: Path) -> order_render.Plan | str:
    """Lock the line and take a render slot: a ``Plan``, or ``skipped`` / ``wait`` / ``failed``."""
    host = worker_host()
    host.start()  # before the row lock: a cold start takes seconds
    client = sync_client()
    with task.tenant_session(tid) as session:
        line = order_repository.line_for_update(session, lid, tid)
        if line is None or order_lines.is_terminal(line):
            control.release_slot(client, tid, lid)
            return "skipped"
        doc = order_lines.document(line)
        checked = doc.step(ProcessStep.CHECK_CAD)
        if checked is None or checked.status is not StepStatus.COMPLETED:
            return "skipped"
        limit = order_render.tenant_config(session, tid).max_concurrent_renders
        if not control.acquire_slot(client, tid, lid, limit):
            note = f"waiting for a render slot ({limit} of {limit} in use)"
            if checked.message != note:
                checked.message = note
                order_lines.store(line, doc)
            return "wait"
        try:
            plan = order_render.plan(session, line, work, doc.job_id.replace(":", "-"))
        except order_render.PlanError as exc:
            order_lines.fail(line, str(exc), step=order_lines.render_step(_kind_of(session, line)))
            order_runtime.finished(session, line, what="failed")
            on_commit(session, lambda: control.release_slot(client, tid, lid))
            return "failed"
        order_render.begin(session, line, plan, task_id=task.request.id, host_pid=host.pid)
        return plan


def _kind_of(session: Any, line: Any) -> str:
    return order_repository.line_context(session, line)[1].kind


_gpu_alerted: set[tuple[int | None, uuid.UUID]] = set()  # (host pid, tenant) already told


def _alert_gpu_fallback(session: Any, tid: uuid.UUID, line: Any, result: RenderJobResult) -> None:
    """A GPU was asked for and the probe found none: tell the tenant's admins once per host."""
    info = result.gpu_info or {}
    if info.get("requested") != "gpu" or not info.get("fallback"):
        return
    pid = worker_host().pid
    if (pid, tid) in _gpu_alerted:
        return
    _gpu_alerted.add((pid, tid))
    alert_sync(
        session,
        tenant_id=tid,
        action="render.gpu_probe_failed",
        message=f"GPU probe failed on {socket.gethostname()} ({info.get('reason')}); rendering on the CPU",
        target_type="order_line",
        target_id=str(line.id),
        detail={"gpu_info": info, "host_pid": pid},
    )


def _end_line(
    task: TenantTask, tid: uuid.UUID, lid: uuid.UUID, plan: order_render.Plan, result: RenderJobResult
) -> str:
    with task.tenant_session(tid) as session:
        line = order_repository.line_for_update(session, lid, tid)
        if line is None or order_lines.is_terminal(line):
            return "superseded"  # cancelled or recovered meanwhile: the partial files are gone
        doc = order_lines.document(line)
        if doc.job_id.replace(":", "-") != plan.spec.job_id:
            return "superseded"  # the line was reset and submitted again: this render is not its job
        fields = {"engine": result.engine, "device": result.device, "gpu_info": result.gpu_info or None}
        _alert_gpu_fallback(session, tid, line, result)
        if result.status == "completed":
            outputs = order_render.stage(line, plan, result)
            doc.finish_step(plan.step, outputs=outputs, **fields)
            doc.result = JobResult(
                output_path=outputs["files"].get("main"),
                duration_s=round(sum(result.timings.values()), 3) if result.timings else None,
                engine_used=result.engine,
                gpu_info=result.gpu_info or None,
            )
            order_lines.store(line, doc)
            order_runtime.announce(session, line, step=plan.step.value)
            return "rendered"
        if result.status == "cancelled":
            order_lines.cancel(line, "cancelled")
            order_runtime.finished(session, line, what="cancelled")
            return "cancelled"
        error = result.error or "render failed"
        doc.fail_step(plan.step, error, **fields)
        doc.set_state(JobState.FAILED, reason=error)
        order_lines.store(line, doc)
        line.finished_at = utcnow()
        if "the render host" in error:
            alert_sync(
                session, tenant_id=tid, action="render.host_crash", message=f"Render host crashed: {error}",
                target_type="order_line", target_id=str(lid), detail={"order_id": str(line.order_id)},
            )  # fmt: skip
        order_runtime.finished(session, line, what="failed")
        return "failed"


class _RenderFailed(Exception):
    def __init__(self, result: RenderJobResult) -> None:
        super().__init__(result.error or "render failed")
        self.result = result


def _run_line(task: TenantTask, tid: uuid.UUID, lid: uuid.UUID, plan: order_render.Plan) -> RenderJobResult:
    """Run the plan in the render host; a cancel request for the line kills the host's group.

    The host's progress goes, throttled, onto the line (``render_progress``) and live to the
    browsers (``order_line_progress`` events): see ``rendering/progress.py``."""
    pl = task.pipeline_logger(tid, job_id=plan.spec.job_id)
    try:
        with (
            order_render.CancelWatch(sync_client(), tid, lid) as watch,
            pl.step(plan.step, "rendering") as handle,
        ):
            sink = order_render.progress_sink(task, tid, lid, plan, handle)
            recorder = ProgressRecorder(sink, job_id=plan.spec.job_id)
            try:
                result = worker_host().run(plan.spec, on_progress=recorder, cancel=watch.event)
            finally:
                if watch.event.is_set():  # cancelled: its progress no longer matters
                    recorder.stop()
                else:
                    recorder.flush()
            handle.context.update({"engine": result.engine, "device": result.device, "status": result.status})
            if result.status == "failed":
                raise _RenderFailed(result)
            return result
    except _RenderFailed as failed:
        return failed.result
    except Exception as exc:  # the line fails with the reason; the worker goes on
        return RenderJobResult(job_id=plan.spec.job_id, status="failed", error=str(exc) or repr(exc))


@celery_app.task(base=TenantTask, bind=True, name=RENDER_TASK, max_retries=None)
def render_order_line(self: TenantTask, *, tenant_id: str, line_id: str) -> str:
    """Render (or export) one order line in this worker's render host; cancellable for real."""
    tid, lid = uuid.UUID(tenant_id), uuid.UUID(line_id)
    work = default_storage().temp_dir("line")
    try:
        started = _start_line(self, tid, lid, work)
        if started == "wait":
            raise self.retry(countdown=SLOT_RETRY_S)
        if isinstance(started, str):
            return started
        try:
            result = _run_line(self, tid, lid, started)
            return _end_line(self, tid, lid, started, result)
        finally:
            control.release_slot(sync_client(), tid, lid)
    finally:
        shutil.rmtree(work, ignore_errors=True)

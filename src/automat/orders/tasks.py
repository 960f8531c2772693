"""Order line tasks: check the CAD file before rendering, render (or export) the line in the
worker's render host (queue ``thumbnail_rendering``), deliver the render as media assets, and
recover stalled renders (beat); the others run on ``step_processing``.

Each task locks its line, does nothing to a line that is already finished (cancelled, failed by
recovery, delivered before a redelivery), and leaves the order to ``runtime.settle``.
"""

from __future__ import annotations

import logging
import shutil
import socket
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from automat.core.redis import sync_client
from automat.core.storage import default_storage
from automat.kit.storage import LocalStorage
from automat.kit.time import utcnow
from automat.kit.transaction import on_commit
from automat.media.service import publish_file_sync
from automat.models.cad import CadStatus
from automat.models.order import LineStatus
from automat.notifications.service import alert_sync
from automat.orders import control, lines, render, repository, runtime
from automat.orders.dispatch import CHECK_CAD_TASK, DELIVER_TASK, RENDER_TASK
from automat.pipeline import executor, retry
from automat.pipeline.executor import NodeStatus
from automat.pipeline.job_document import JobResult, JobState, StepStatus
from automat.pipeline.node_task import NodeTask
from automat.pipeline.steps import ProcessStep
from automat.pipeline.task import StepTask
from automat.rendering.host_client import RenderHostError
from automat.rendering.measure import measured
from automat.rendering.process import kill_group
from automat.rendering.progress import ProgressRecorder
from automat.rendering.spec import RenderJobResult
from automat.rendering.worker_host import worker_host
from automat.settings.registry import SETTINGS
from automat.settings.service import read_tenant_value
from automat.worker.base import SystemTask
from automat.worker.celery_app import celery_app
from automat.worker.queues import STEP_QUEUE, declare_task

log = logging.getLogger(__name__)
CAD_WAIT_RETRY_S = 5
CAD_WAIT_LIMIT = timedelta(hours=2)


def _check(task: StepTask, tid: uuid.UUID, lid: uuid.UUID) -> str:
    """``ready``, ``wait`` (the CAD file is still being processed), ``failed`` or ``skipped``."""
    step = ProcessStep.CHECK_CAD
    with task.tenant_session(tid) as session:
        line = repository.line_for_update(session, lid, tid)
        if line is None or lines.is_terminal(line):
            return "skipped"
        product, _, cad = repository.line_context(session, line)
        doc = lines.document(line)
        record = doc.step(step)
        if record is not None and record.status is StepStatus.COMPLETED:
            return "ready"  # a redelivered message
        if record is None or record.status is not StepStatus.RUNNING:
            record = doc.begin_step(step)
        problem = None
        if cad is None:
            problem = f"Product {product.pim_id} has no CAD file; link one, then retry this step."
        elif cad.status == CadStatus.FAILED:
            problem = f"The CAD file {cad.original_name} of product {product.pim_id} failed: {cad.error}"
        elif cad.status != CadStatus.READY:
            if record.started_at and utcnow() - record.started_at > CAD_WAIT_LIMIT:
                problem = f"The CAD file {cad.original_name} was not ready after {CAD_WAIT_LIMIT}."
            else:
                record.message = f"waiting for {cad.original_name} to finish processing ({cad.status})"
                lines.store(line, doc)
                return "wait"
        if problem is not None:
            lines.store(line, doc)
            lines.fail(line, problem, step=step)
            executor.note_failure(problem)
            runtime.finished(session, line, what="failed")
            return "failed"
        assert cad is not None
        doc.finish_step(step, outputs={"cad_file_id": str(cad.id), "cad_file": cad.original_name})
        lines.store(line, doc)
        runtime.announce(session, line, step=step.value)
        return "ready"


@celery_app.task(base=NodeTask, bind=True, name=CHECK_CAD_TASK, max_retries=None)
def check_cad(self: StepTask, *, tenant_id: str, line_id: str) -> str:
    """The line's product has a ready CAD file (waits while it is being converted)."""
    outcome = _check(self, uuid.UUID(tenant_id), uuid.UUID(line_id))
    if outcome == "wait":
        raise self.retry(countdown=CAD_WAIT_RETRY_S)
    return outcome


# -- the render (queue thumbnail_rendering) ------------------------------------------------------

SLOT_RETRY_S = 3


def _start_line(task: StepTask, tid: uuid.UUID, lid: uuid.UUID, work: Path) -> render.Plan | str:
    """Lock the line and take a render slot: a ``Plan``, or ``skipped`` / ``wait`` / ``failed``."""
    host = worker_host()
    host.start()  # before the row lock: a cold start takes seconds
    client = sync_client()
    with task.tenant_session(tid) as session:
        line = repository.line_for_update(session, lid, tid)
        if line is None or lines.is_terminal(line):
            control.release_slot(client, tid, _slot(lid))
            return "skipped"
        doc = lines.document(line)
        checked = doc.step(ProcessStep.CHECK_CAD)
        if checked is None or checked.status is not StepStatus.COMPLETED:
            return "skipped"
        limit = render.tenant_config(session, tid).max_concurrent_renders
        if not control.acquire_slot(client, tid, _slot(lid), limit):
            note = f"waiting for a render slot ({limit} of {limit} in use)"
            if checked.message != note:
                checked.message = note
                lines.store(line, doc)
            return "wait"
        try:
            plan = render.plan(session, line, work, doc.job_id.replace(":", "-"))
        except render.PlanError as exc:
            lines.fail(line, str(exc), step=lines.render_step(_kind_of(session, line)))
            executor.note_failure(str(exc))
            runtime.finished(session, line, what="failed")
            on_commit(session, lambda: control.release_slot(client, tid, _slot(lid)))
            return "failed"
        render.begin(session, line, plan, task_id=task.request.id, host_pid=host.pid)
        return plan


def _slot(line_id: uuid.UUID) -> str:
    """The render slot's holder: the line, or the line's node where a workflow renders it more
    than once (each render holds a slot of the tenant's ``max_concurrent_renders``)."""
    node = executor.current_node()
    if node is None or node.node_id == "render":
        return str(line_id)
    return f"{line_id}/{node.node_id}"


def _kind_of(session: Any, line: Any) -> str:
    return repository.line_context(session, line)[1].kind


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
    task: StepTask, tid: uuid.UUID, lid: uuid.UUID, plan: render.Plan, result: RenderJobResult
) -> str:
    with task.tenant_session(tid) as session:
        line = repository.line_for_update(session, lid, tid)
        if line is None or lines.is_terminal(line):
            return "superseded"  # cancelled or recovered meanwhile: the partial files are gone
        doc = lines.document(line)
        if doc.job_id.replace(":", "-") != plan.spec.job_id:
            return "superseded"  # the line was reset and submitted again: this render is not its job
        fields = {"engine": result.engine, "device": result.device, "gpu_info": result.gpu_info or None}
        _alert_gpu_fallback(session, tid, line, result)
        if result.status == "completed":
            outputs = render.stage(line, plan, result)
            doc.finish_step(plan.step, outputs=outputs, node=plan.node, **fields)
            doc.result = JobResult(
                output_path=outputs["files"].get("main"),
                duration_s=round(sum(result.timings.values()), 3) if result.timings else None,
                engine_used=result.engine,
                gpu_info=result.gpu_info or None,
            )
            lines.store(line, doc)
            runtime.announce(session, line, step=plan.step.value)
            return "rendered"
        if result.status == "cancelled":
            lines.cancel(line, "cancelled")
            runtime.finished(session, line, what="cancelled")
            return "cancelled"
        error = result.error or "render failed"
        doc.fail_step(plan.step, error, node=plan.node, **fields)
        if result.host_crashed and (delay := _retry_delay(session, tid)) is not None:
            # This attempt is over (the step's record says how); the executor runs the node again.
            doc.error = None
            doc.set_state(JobState.QUEUED, reason=f"{error}; tried again in {delay:g} s")
            lines.store(line, doc)
            runtime.announce(session, line, step=plan.step.value)
            return RETRY
        executor.note_failure(error)
        doc.set_state(JobState.FAILED, reason=error)
        lines.store(line, doc)
        line.finished_at = utcnow()
        if "the render host" in error:
            alert_sync(
                session, tenant_id=tid, action="render.host_crash", message=f"Render host crashed: {error}",
                target_type="order_line", target_id=str(lid), detail={"order_id": str(line.order_id)},
            )  # fmt: skip
        runtime.finished(session, line, what="failed")
        return "failed"


RETRY = "retry"


def _retry_delay(session: Any, tid: uuid.UUID) -> float | None:
    """The wait before this render node's next attempt; None when it has had them all (or runs
    outside a workflow, where nothing would run it again)."""
    node = executor.current_node()
    return None if node is None else retry.policy(session, tid).delay_after(node.attempt)


class _RenderFailed(Exception):
    def __init__(self, result: RenderJobResult) -> None:
        super().__init__(result.error or "render failed")
        self.result = result


def _run_line(task: StepTask, tid: uuid.UUID, lid: uuid.UUID, plan: render.Plan) -> RenderJobResult:
    """Run the plan in the render host; a cancel request for the line kills the host's group.

    The host's progress goes, throttled, onto the line (``render_progress``) and live to the
    browsers (``order_line_progress`` events): see ``rendering/progress.py``."""
    pl = task.pipeline_logger(tid, job_id=plan.spec.job_id)
    try:
        with (
            render.CancelWatch(sync_client(), tid, lid, _slot(lid)) as watch,
            pl.step(plan.step, "rendering") as handle,
        ):
            sink = render.progress_sink(task, tid, lid, plan, handle)
            recorder = ProgressRecorder(sink, job_id=plan.spec.job_id)
            try:
                result = worker_host().run(plan.spec, on_progress=recorder, cancel=watch.event)
            finally:
                if watch.event.is_set():  # cancelled: its progress no longer matters
                    recorder.stop()
                else:
                    recorder.flush()
            handle.context.update({"engine": result.engine, "device": result.device, "status": result.status})
            measured(plan.step.value, result)
            if result.status == "failed":
                raise _RenderFailed(result)
            return result
    except _RenderFailed as failed:
        return failed.result
    except Exception as exc:  # the line fails with the reason; the worker goes on
        return RenderJobResult(
            job_id=plan.spec.job_id, status="failed", error=str(exc) or repr(exc),
            host_crashed=isinstance(exc, RenderHostError),  # it did not start: the next attempt may
        )  # fmt: skip


@celery_app.task(base=NodeTask, bind=True, name=RENDER_TASK, max_retries=None)
def render_order_line(self: StepTask, *, tenant_id: str, line_id: str) -> str:
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
            ended = _end_line(self, tid, lid, started, result)
            if ended == RETRY:  # recorded on the line; NodeTask queues the node again
                raise retry.TransientFailure(result.error or "the render host crashed")
            return ended
        finally:
            control.release_slot(sync_client(), tid, _slot(lid))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _remover(storage: LocalStorage, prefix: str) -> Callable[[], None]:
    return lambda: storage.delete_prefix(prefix)


def _to_deliver(doc: Any, kind: str) -> list[Any]:
    """The render records a deliver publishes: under a workflow node, those of its predecessors
    (and of every render node, where its predecessor is not a render: a fan-in after other steps);
    otherwise the line's one render of its kind."""
    node = executor.current_node()
    if node is None:
        record = doc.step(lines.render_step(kind))
        return [record] if record is not None else []
    renders = [s for s in doc.steps if s.name.value in lines.KIND_OF_STEP]
    own = [s for s in renders if s.node in node.predecessors]
    return own or renders


def _deliver(task: StepTask, tid: uuid.UUID, lid: uuid.UUID) -> str:
    step = ProcessStep.DELIVER
    storage = default_storage()
    node = executor.current_node()
    with task.tenant_session(tid) as session:
        line = repository.line_for_update(session, lid, tid)
        if line is None:
            return "skipped"
        doc = lines.document(line)
        if lines.is_terminal(line):
            # Cancelled (or failed) after its render was staged: nobody will deliver these files.
            for prefix in {str(s.outputs["staging"]) for s in doc.steps if s.outputs.get("staging")}:
                on_commit(session, _remover(storage, prefix))
            return "skipped"
        product, output_type, cad = repository.line_context(session, line)
        rendered = _to_deliver(doc, output_type.kind)
        if not rendered or any(r.status is not StepStatus.COMPLETED for r in rendered):
            return "skipped"  # a render failed or was cancelled; the line says why
        doc.begin_step(step, node=node.node_id if node else None)
        assets = []
        for record in rendered:
            if record.outputs.get("delivered"):
                continue  # published by another deliver node of this line
            details = record.outputs.get("render", {})
            for role, key in record.outputs.get("files", {}).items():
                staged = storage.path(key)
                copy = storage.temp_path()
                shutil.copyfile(staged, copy)  # the staged file stays until this transaction commits
                asset = publish_file_sync(
                    session,
                    tenant_id=tid,
                    order_line_id=line.id,
                    product_id=product.id,
                    cad_file_id=cad.id if cad else None,
                    kind=details.get("kind") or output_type.kind,
                    role=role if record.node in (None, "render") else f"{record.node}/{role}",
                    source=copy,
                    file_name=record.outputs.get("names", {}).get(role, Path(key).name),
                    details=details,
                )
                copy.unlink(missing_ok=True)
                assets.append({"id": str(asset.id), "role": role, "file_size": asset.file_size})
            record.outputs["delivered"] = True
            on_commit(session, _remover(storage, str(record.outputs["staging"])))
        doc.finish_step(step, outputs={"assets": assets}, node=node.node_id if node else None)
        if node is not None:  # the line completes when its run does (other branches may render on)
            lines.store(line, doc)
            runtime.announce(session, line, step=step.value)
            return "completed"
        doc.set_state(JobState.COMPLETED)
        lines.store(line, doc)
        line.finished_at = utcnow()
        runtime.finished(session, line, what="completed")
        return "completed"


@celery_app.task(base=NodeTask, bind=True, name=DELIVER_TASK)
def deliver_line(self: StepTask, *, tenant_id: str, line_id: str) -> str:
    """Publish the line's rendered files as media assets (idempotent) and complete the line."""
    return _deliver(self, uuid.UUID(tenant_id), uuid.UUID(line_id))


# -- stalled renders --------------------------------------------------------------------------

STALL_SETTING = SETTINGS["render_stall_timeout_minutes"]


def _kill_local(pid: int | None, host: str | None) -> None:
    """Kill the render host directly when it runs on this machine (its worker may be wedged)."""
    if pid and host == socket.gethostname():
        kill_group(pid, grace_s=5.0)


def _stopper(tenant_id: uuid.UUID, line_id: uuid.UUID, pid: int | None, host: str | None) -> Any:
    def stop() -> None:
        client = sync_client()
        control.request_cancel(client, [line_id])  # the task's watcher kills its render host
        control.release_slot(client, tenant_id, line_id)
        _kill_local(pid, host)

    return stop


@celery_app.task(
    base=SystemTask,
    bind=True,
    name=declare_task("automat.orders.tasks.recover_stalled_renders", queue=STEP_QUEUE),
)
def recover_stalled_renders(self: SystemTask) -> dict[str, Any]:
    """Lines rendering longer than the tenant's ``render_stall_timeout_minutes``: the render is
    killed, the line fails, admins get an alert."""
    recovered = []
    now = utcnow()
    with self.system_session() as session:
        for line_id, tenant_id in repository.running_lines(session):
            limit = int(read_tenant_value(session, tenant_id, STALL_SETTING))
            line = repository.line_for_update(session, line_id, tenant_id)
            if line is None or line.render_status != LineStatus.RUNNING or line.started_at is None:
                continue
            if now - line.started_at < timedelta(minutes=limit):
                continue
            minutes = int((now - line.started_at).total_seconds() // 60)
            message = (
                f"[WORKER_RECOVERY] Stalled render for order_line {line.id} terminated after {minutes}min"
            )
            log.warning(message)
            doc = lines.document(line)
            running = next((s.name for s in doc.steps if s.status is StepStatus.RUNNING), None)
            pid, host = doc.pid, doc.host
            lines.fail(line, message, step=running)
            executor.end_runs(session, [line.id], message, status=NodeStatus.FAILED)
            alert_sync(
                session,
                tenant_id=line.tenant_id,
                action="render.stalled",
                message=message,
                target_type="order_line",
                target_id=str(line.id),
                detail={"order_id": str(line.order_id), "minutes": minutes, "pid": pid, "host": host},
            )
            runtime.finished(session, line, what="failed")

            on_commit(session, _stopper(line.tenant_id, line.id, pid, host))
            recovered.append(str(line.id))
    return {"recovered": recovered}

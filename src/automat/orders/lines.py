"""What happens to an order line's state and job document, as plain functions on the row.

The API (async) and the workers (sync) both change lines; the rules live here once. A line's
``render_status`` always equals its job document's state.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from automat.kit.time import utcnow
from automat.models.order import LineStatus, Order, OrderLine
from automat.models.output import OutputKind
from automat.orders import state
from automat.pipeline.job_document import JobState, RenderJobDocument, StepStatus
from automat.pipeline.steps import ProcessStep

RENDER_STEPS: dict[OutputKind, ProcessStep] = {
    OutputKind.THUMBNAIL: ProcessStep.RENDER_THUMBNAIL,
    OutputKind.STILL: ProcessStep.RENDER_STILL,
    OutputKind.TURNTABLE: ProcessStep.RENDER_TURNTABLE,
    OutputKind.GLB: ProcessStep.EXPORT_GLB,
    OutputKind.BLEND: ProcessStep.EXPORT_BLEND,
}


def render_step(kind: str) -> ProcessStep:
    """The job-document step that renders (or exports) an output of this kind."""
    return RENDER_STEPS[OutputKind(kind)]


def document(line: OrderLine) -> RenderJobDocument:
    if line.job_document:
        return RenderJobDocument.from_json(line.job_document)
    return RenderJobDocument(job_id=f"line:{line.id}")


def store(line: OrderLine, doc: RenderJobDocument) -> None:
    line.job_document = doc.to_json()
    line.render_status = doc.state.value


def is_terminal(line: OrderLine) -> bool:
    return LineStatus(line.render_status) in (LineStatus.COMPLETED, LineStatus.FAILED, LineStatus.CANCELLED)


def queue(line: OrderLine, *, submission: int, render_task_id: str) -> None:
    """A fresh job for this submission, queued with its render task's id."""
    doc = RenderJobDocument(job_id=f"line:{line.id}:{submission}", celery_task_id=render_task_id)
    doc.set_state(JobState.QUEUED, reason=f"submission {submission}")
    store(line, doc)
    line.started_at = line.finished_at = None


def reset(line: OrderLine) -> None:
    """Back to a draft line (the order was rejected and is being edited again)."""
    line.job_document = {}
    line.render_status = LineStatus.PENDING.value
    line.started_at = line.finished_at = None


def cancel(line: OrderLine, reason: str) -> str | None:
    """Cancel a line that is not finished; returns its render task id (to revoke), if any."""
    doc = document(line)
    if doc.is_terminal:
        return None
    for step in doc.steps:
        if step.status is StepStatus.RUNNING:
            doc.fail_step(step.name, f"cancelled: {reason}")
    doc.set_state(JobState.CANCELLED, reason=reason)
    store(line, doc)
    line.finished_at = utcnow()
    return doc.celery_task_id


def fail(line: OrderLine, message: str, *, step: ProcessStep | None = None) -> None:
    doc = document(line)
    if doc.is_terminal:
        return
    record = doc.step(step) if step else None
    if step is not None and record is not None and record.status is StepStatus.RUNNING:
        doc.fail_step(step, message)
    elif step is not None and record is None:
        doc.begin_step(step)
        doc.fail_step(step, message)
    else:
        doc.append_error(message, step=step)
    doc.set_state(JobState.FAILED, reason=message)
    store(line, doc)
    line.finished_at = utcnow()


def settle(order: Order, statuses: list[str]) -> dict[str, Any] | None:
    """Finish a live order whose lines are all terminal: the transition is applied and the
    arguments of its one summary notification returned (None: nothing to do yet)."""
    transition = state.settled_transition(statuses)
    if order.status not in state.LIVE or transition is None:
        return None
    state.apply(order, transition)
    order.completion_notified_at = utcnow()
    message, counts = completion_summary(order, statuses)
    return {
        "tenant_id": order.tenant_id,
        "action": "order.completed",
        "message": message,
        "recipient_id": order.created_by,
        "target_type": "order",
        "target_id": str(order.id),
        "detail": {"number": order.number, "status": order.status, **counts},
        # Exactly one per submission, even if two workers settle at once.
        "dedupe_key": f"order:{order.id}:settled:{order.submission_count}",
    }


def completion_summary(order: Order, statuses: list[str]) -> tuple[str, dict[str, int]]:
    """The text of the one notification an order gets when its last line finishes."""
    counts = Counter(statuses)
    total, done = len(statuses), counts[LineStatus.COMPLETED]
    failed, cancelled = counts[LineStatus.FAILED], counts[LineStatus.CANCELLED]
    message = f"Order #{order.number} rendering complete: {done}/{total} succeeded, {failed} failed"
    if cancelled:
        message += f", {cancelled} cancelled"
    return message, {"total": total, "succeeded": done, "failed": failed, "cancelled": cancelled}

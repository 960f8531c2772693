"""What happens to an order line's state and job document, as plain functions on the row.

The API (async) and the workers (sync) both change lines; the rules live here once. A line's
``render_status`` always equals its job document's state.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
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


KIND_OF_STEP: dict[str, OutputKind] = {step.value: kind for kind, step in RENDER_STEPS.items()}
"""What a render or export step makes (a workflow node's step, where it is not the line's kind)."""


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
    line.render_again = False


def runs_at_submit(line: OrderLine) -> bool:
    """Whether submitting the order renders this line: every line but a completed one (which keeps
    its media from an earlier submission) unless the user asked to render it again."""
    return line.render_status != LineStatus.COMPLETED or line.render_again


def submission_of(line: OrderLine) -> int | None:
    """The submission whose job the line's document is (``job_id`` ``line:<id>:<submission>``)."""
    job_id = str((line.job_document or {}).get("job_id") or "")
    _, _, number = job_id.rpartition(":")
    return int(number) if job_id.count(":") == 2 and number.isdigit() else None


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


@dataclass(frozen=True)
class Settlement:
    """A live order that just finished: how it ended, and its one summary notification (None when
    its creator is the one who finished it, by cancelling the last renders)."""

    outcome: state.Outcome
    notification: dict[str, Any] | None


def settle(
    order: Order, statuses: list[str], *, by: uuid.UUID | None = None, by_name: str | None = None
) -> Settlement | None:
    """Finish a live order whose lines are all terminal (None: nothing to do yet). ``by``: the
    user whose action ended the last lines (cancelling renders); None when the lines finished."""
    transition = state.settled_transition(statuses)
    if order.status not in state.LIVE or transition is None:
        return None
    counts = Counter(statuses)
    ended = state.outcome_counts(counts)
    target = state.RULES[transition].target
    outcome = state.outcome(target.value, counts)
    assert outcome is not None
    state.apply(
        order,
        transition,
        by=by,
        by_name=by_name,
        outcome=outcome.value,
        done=ended["done"],
        failed=ended["failed"],
        cancelled=ended["cancelled"],
    )
    order.completion_notified_at = utcnow()
    if order.created_by is None or order.created_by == by:
        return Settlement(outcome, None)  # nobody is told of their own action
    message = completion_message(order, outcome, ended, total=len(statuses), by_name=by_name)
    return Settlement(
        outcome,
        {
            "tenant_id": order.tenant_id,
            "action": f"order.{outcome.value}",
            "message": message,
            "recipient_id": order.created_by,
            "actor_id": by,
            "target_type": "order",
            "target_id": str(order.id),
            "detail": {
                "number": order.number,
                "status": order.status,
                "outcome": outcome.value,
                "total": len(statuses),
                "succeeded": ended["done"],
                **ended,
            },
            # Exactly one per submission (and per reopening by a retry), even if two workers
            # settle at once.
            "dedupe_key": settled_key(order),
        },
    )


def settled_key(order: Order) -> str:
    """The dedupe key of the order's settlement notification: one per submission, and one more
    each time a retry reopened it since (its owner hears how it ended again)."""
    key = f"order:{order.id}:settled:{order.submission_count}"
    reopened = 0
    for entry in reversed(order.history):
        if entry.get("transition") == state.Transition.SUBMIT:
            break
        reopened += entry.get("transition") == state.Transition.REOPEN
    return f"{key}:reopened:{reopened}" if reopened else key


def completion_message(
    order: Order, outcome: state.Outcome, ended: dict[str, int], *, total: int, by_name: str | None = None
) -> str:
    """The text of the one notification an order gets when its last line finishes."""
    done, failed, cancelled = ended["done"], ended["failed"], ended["cancelled"]
    if outcome is state.Outcome.CANCELLED:
        who = f" by {by_name}" if by_name else ""
        return f"Order #{order.number} cancelled{who}: none of its {total} render(s) will finish"
    if outcome is state.Outcome.COMPLETED:
        return f"Order #{order.number} rendering complete: {done}/{total} succeeded, {failed} failed"
    message = f"Order #{order.number} completed with failures: {done}/{total} succeeded, {failed} failed"
    if cancelled:
        message += f", {cancelled} cancelled" + (f" by {by_name}" if by_name else "")
    return message

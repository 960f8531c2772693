"""The worker side of order lines: announce changes, record outcomes, settle the order.

Used by the line tasks (check CAD, render, deliver) and the stall recovery, inside their own
tenant-scoped (or bypass) sessions.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from automat.core import events
from automat.core.redis import sync_client
from automat.kit.time import utcnow
from automat.kit.transaction import on_commit
from automat.models.order import LineStatus, Order, OrderLine, OrderStatus
from automat.models.workflow import WorkflowRun
from automat.notifications.service import activity_sync, notify_sync
from automat.orders import lines, repository, state
from automat.orders.state import Transition
from automat.pipeline import executor
from automat.pipeline.executor import RunStatus
from automat.pipeline.job_document import JobState, StepStatus
from automat.pipeline.steps import ProcessStep


def announce(session: Session, line: OrderLine, **extra: object) -> None:
    """Tell the browsers (over /api/ws) once the line's new state has committed."""
    owner = repository.order_owner(session, line.order_id)
    event = {
        "type": "order_line",
        "owner": str(owner) if owner else None,
        "order_id": str(line.order_id),
        "line_id": str(line.id),
        "render_status": line.render_status,
        **extra,
    }
    tenant_id = line.tenant_id
    on_commit(session, lambda: events.publish(sync_client(), tenant_id, event))


def mark_processing(session: Session, line: OrderLine) -> None:
    order = repository.order_for_update(session, line.order_id, line.tenant_id)
    if order is not None and order.status == OrderStatus.SUBMITTED:
        state.apply(order, Transition.START)


def finished(session: Session, line: OrderLine, *, what: str) -> None:
    """A line reached a terminal state: one activity entry, then maybe the order is done."""
    product, output_type, _ = repository.line_context(session, line)
    doc = lines.document(line)
    message = f"{product.pim_id} · {output_type.name}: {line.render_status}"
    if line.render_status == "failed" and doc.error:
        message += f" ({doc.error})"
    activity_sync(
        session,
        tenant_id=line.tenant_id,
        action=f"order_line.{what}",
        message=message,
        target_type="order_line",
        target_id=str(line.id),
        detail={"order_id": str(line.order_id), "render_status": line.render_status},
    )
    announce(session, line)
    settle(session, line.tenant_id, line.order_id)


def settle(session: Session, tenant_id: uuid.UUID, order_id: uuid.UUID) -> Order | None:
    """Finish a live order whose lines are all terminal, with exactly one summary notification."""
    order = repository.order_for_update(session, order_id, tenant_id)
    if order is None:
        return None
    settled = lines.settle(order, repository.line_statuses(session, order_id))
    if settled is not None:
        if settled.notification is not None:
            notify_sync(session, **settled.notification)
        announce_order(session, order, outcome=settled.outcome.value)
    return order


def announce_order(session: Session, order: Order, *, outcome: str | None) -> None:
    """Tell the browsers the order's new status once it has committed."""
    event = {
        "type": "order",
        "owner": str(order.created_by) if order.created_by else None,
        "order_id": str(order.id),
        "number": order.number,
        "status": order.status,
        "outcome": outcome,
    }
    tenant_id = order.tenant_id
    on_commit(session, lambda: events.publish(sync_client(), tenant_id, event))


# -- the line's workflow run ------------------------------------------------------------------


def lock_line(session: Session, tenant_id: uuid.UUID, line_id: uuid.UUID) -> None:
    repository.line_for_update(session, line_id, tenant_id)


def run_ended(session: Session, run: WorkflowRun) -> None:
    """A line's run ended; a line its steps left unfinished (a node raised, a workflow without a
    Deliver step) ends with it. A run of an earlier submission no longer speaks for the line."""
    latest = executor.latest_run(session, run.subject_id)
    if latest is None or latest.id != run.id:
        return
    line = repository.line_for_update(session, run.subject_id, run.tenant_id)
    if line is None or lines.is_terminal(line):
        return
    name = f"Workflow {run.workflow_name} (version {run.version})"
    if run.status == RunStatus.CANCELLED:
        lines.cancel(line, f"{name} was cancelled")
        finished(session, line, what="cancelled")
        return
    doc = lines.document(line)
    delivered = any(s.name == ProcessStep.DELIVER and s.status is StepStatus.COMPLETED for s in doc.steps)
    if run.status == RunStatus.COMPLETED and delivered:  # its deliver nodes published every render
        doc.set_state(JobState.COMPLETED)
        lines.store(line, doc)
        line.finished_at = utcnow()
        finished(session, line, what="completed")
        return
    if run.status == RunStatus.COMPLETED:
        lines.fail(line, f"{name} ended without delivering media: it needs a Deliver step.")
    else:
        lines.fail(line, f"{name} failed at {run.error}")
    finished(session, line, what="failed")


def reopen_line(session: Session, run: WorkflowRun, node_ids: list[str], by: uuid.UUID | None) -> None:
    """Retrying a failed node of a line's run: the line is queued again, and a completed order it
    belongs to reopens (processing; it settles again when the line ends). A rejected or cancelled
    order runs its lines again only when it is resubmitted."""
    line = repository.line_for_update(session, run.subject_id, run.tenant_id)
    if line is None:
        raise executor.RunError("The order line no longer exists.")
    if line.render_status != LineStatus.FAILED:
        raise executor.RunError(f"The line is {line.render_status}, not failed.")
    order = repository.order_for_update(session, line.order_id, line.tenant_id)
    if order is None:
        raise executor.RunError("The order no longer exists.")
    if order.status not in state.LIVE and not state.can(order, Transition.REOPEN):
        raise executor.RunError(
            f"Order #{order.number} is {order.status}: resubmit it to run its lines again."
        )
    retried = ", ".join(node_ids)
    doc = lines.document(line)
    doc.set_state(JobState.QUEUED, reason=f"retry of {retried}")
    lines.store(line, doc)
    line.finished_at = None
    announce(session, line)
    if order.status in state.LIVE:
        return
    product, output_type, _ = repository.line_context(session, line)
    state.apply(order, Transition.REOPEN, by=by, line_id=str(line.id), nodes=retried)
    activity_sync(
        session,
        tenant_id=order.tenant_id,
        action="order.reopened",
        message=f"Order #{order.number} reopened: {product.pim_id} · {output_type.name} runs {retried} again",
        actor_id=by,
        target_type="order",
        target_id=str(order.id),
        detail={"line_id": str(line.id), "nodes": node_ids},
    )
    announce_order(session, order, outcome=None)


HOOKS = executor.SubjectHooks(lock=lock_line, reopen=reopen_line, ended=run_ended)
"""Registered for order lines by ``orders/steps.py`` (loaded in the API and the workers)."""

"""The worker side of order lines: announce changes, record outcomes, settle the order.

Used by the line tasks (check CAD, render, deliver) and the stall recovery, inside their own
tenant-scoped (or bypass) sessions.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from automat.core import events
from automat.core.redis import sync_client
from automat.kit.transaction import on_commit
from automat.models.order import Order, OrderLine, OrderStatus
from automat.notifications.service import activity_sync, notify_sync
from automat.orders import lines, repository, state
from automat.orders.state import Transition


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
        event = {
            "type": "order",
            "owner": str(order.created_by) if order.created_by else None,
            "order_id": str(order_id),
            "number": order.number,
            "status": order.status,
            "outcome": settled.outcome.value,
        }
        on_commit(session, lambda: events.publish(sync_client(), tenant_id, event))
    return order

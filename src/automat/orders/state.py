"""The order state machine: the one place an order's status changes.

Every transition is named (submit, start, complete, reject, resubmit, cancel), checked against the
table below and written to the order's history with who did it and when; anything else is a 409
``illegal_transition``. Line states follow their job documents (``RenderJobDocument.set_state``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from automat.kit.errors import Conflict
from automat.kit.time import utcnow
from automat.models.order import LineStatus, Order, OrderStatus


class Transition(StrEnum):
    SUBMIT = "submit"
    START = "start"  # the first line began rendering
    COMPLETE = "complete"  # every line is terminal
    REJECT = "reject"
    RESUBMIT = "resubmit"
    CANCEL = "cancel"  # every line was cancelled


@dataclass(frozen=True)
class Rule:
    sources: frozenset[OrderStatus]
    target: OrderStatus


RULES: dict[Transition, Rule] = {
    Transition.SUBMIT: Rule(frozenset({OrderStatus.DRAFT}), OrderStatus.SUBMITTED),
    Transition.START: Rule(frozenset({OrderStatus.SUBMITTED}), OrderStatus.PROCESSING),
    Transition.COMPLETE: Rule(
        frozenset({OrderStatus.SUBMITTED, OrderStatus.PROCESSING}), OrderStatus.COMPLETED
    ),
    Transition.REJECT: Rule(frozenset({OrderStatus.SUBMITTED, OrderStatus.PROCESSING}), OrderStatus.REJECTED),
    Transition.RESUBMIT: Rule(frozenset({OrderStatus.REJECTED}), OrderStatus.DRAFT),
    Transition.CANCEL: Rule(
        frozenset({OrderStatus.SUBMITTED, OrderStatus.PROCESSING}), OrderStatus.CANCELLED
    ),
}

EDITABLE = frozenset({OrderStatus.DRAFT})
LIVE = frozenset({OrderStatus.SUBMITTED, OrderStatus.PROCESSING})
TERMINAL_LINE = frozenset({LineStatus.COMPLETED, LineStatus.FAILED, LineStatus.CANCELLED})


class IllegalTransition(Conflict):
    """This order cannot make that change in its current status."""

    code = "illegal_transition"


def can(order: Order, transition: Transition) -> bool:
    return OrderStatus(order.status) in RULES[transition].sources


def allowed(order: Order) -> list[str]:
    """The transitions open to the order now (what the UI may offer)."""
    return [t.value for t in Transition if can(order, t)]


def apply(
    order: Order,
    transition: Transition,
    *,
    by: uuid.UUID | None = None,
    reason: str | None = None,
    **extra: Any,
) -> None:
    """Move ``order`` along ``transition`` or raise ``IllegalTransition`` (409)."""
    rule = RULES[transition]
    current = OrderStatus(order.status)
    if current not in rule.sources:
        raise IllegalTransition(
            f"Order {order.number} is {current.value}; it cannot {transition.value}.",
            details={"status": current.value, "transition": transition.value, "allowed": allowed(order)},
        )
    now = utcnow()
    entry: dict[str, Any] = {
        "at": now.isoformat(),
        "transition": transition.value,
        "from": current.value,
        "to": rule.target.value,
        "by": str(by) if by else None,
    }
    if reason:
        entry["reason"] = reason
    entry.update({k: v for k, v in extra.items() if v is not None})
    order.history = [*order.history, entry]
    order.status = rule.target.value
    if transition is Transition.SUBMIT:
        order.submission_count += 1
        order.submitted_at, order.submitted_by = now, by
        order.rejection_reason = order.rejected_at = order.rejected_by = None
        order.completed_at = order.completion_notified_at = None
    elif transition is Transition.REJECT:
        order.rejection_reason, order.rejected_at, order.rejected_by = reason, now, by
    elif transition in (Transition.COMPLETE, Transition.CANCEL):
        order.completed_at = now


def settled_transition(line_statuses: list[str]) -> Transition | None:
    """What a live order becomes once every line is terminal (None while any line is not)."""
    if not line_statuses or any(LineStatus(s) not in TERMINAL_LINE for s in line_statuses):
        return None
    if all(s == LineStatus.CANCELLED for s in line_statuses):
        return Transition.CANCEL
    return Transition.COMPLETE

"""The order state machine: the one place an order's status changes.

Every transition is named (submit, start, complete, reject, resubmit, cancel), checked against the
table below and written to the order's history with who did it and when; anything else is a 409
``illegal_transition``. Things that happen to an order without changing its status (renders
cancelled) are history entries too (``record``), named by ``event`` instead of ``transition``.
Line states follow their job documents (``RenderJobDocument.set_state``).

How a finished order ended (its ``outcome``) is derived from its lines, not stored: a completed
order whose lines all completed is ``completed``, one with a failed or cancelled line
``completed_with_failures``; a cancelled order (every line cancelled) is ``cancelled``. Lines of
a cancelled order never change again; a completed order's failed line runs again only through a
retry of its failed workflow node, which first reopens the order (``reopen``: back to processing,
settled again when that line ends), so the derived value cannot drift.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from automat.kit.errors import Conflict
from automat.kit.time import utcnow
from automat.models.order import LineStatus, Order, OrderStatus


class Outcome(StrEnum):
    COMPLETED = "completed"
    COMPLETED_WITH_FAILURES = "completed_with_failures"
    CANCELLED = "cancelled"


class Transition(StrEnum):
    SUBMIT = "submit"
    START = "start"  # the first line began rendering
    COMPLETE = "complete"  # every line is terminal
    REJECT = "reject"
    RESUBMIT = "resubmit"
    CANCEL = "cancel"  # every line was cancelled
    REOPEN = "reopen"  # a failed line of a completed order is retried


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
    Transition.REOPEN: Rule(frozenset({OrderStatus.COMPLETED}), OrderStatus.PROCESSING),
}
OFFERED_ELSEWHERE = frozenset({Transition.REOPEN})
"""Not an order action in the UI: a failed node's Retry (in its run view) reopens the order."""

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
    return [t.value for t in Transition if t not in OFFERED_ELSEWHERE and can(order, t)]


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
    if transition is Transition.SUBMIT:
        entry["submission"] = order.submission_count + 1
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
    elif transition is Transition.REOPEN:  # it settles (and tells its owner) again
        order.completed_at = order.completion_notified_at = None


def record(order: Order, event: str, *, by: uuid.UUID | None = None, **extra: Any) -> None:
    """A history entry for something that happened to the order without changing its status."""
    entry: dict[str, Any] = {"at": utcnow().isoformat(), "event": event, "by": str(by) if by else None}
    entry.update({k: v for k, v in extra.items() if v is not None})
    order.history = [*order.history, entry]


def annotate(order: Order, **extra: Any) -> None:
    """Add details to the order's latest history entry (known only after its transition)."""
    if order.history:
        order.history = [*order.history[:-1], {**order.history[-1], **extra}]


def outcome_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Lines per way they ended: done, failed, cancelled."""
    return {
        "done": counts.get(LineStatus.COMPLETED, 0),
        "failed": counts.get(LineStatus.FAILED, 0),
        "cancelled": counts.get(LineStatus.CANCELLED, 0),
    }


def outcome(status: str, counts: Mapping[str, int]) -> Outcome | None:
    """How a finished order ended (None while it is not finished); ``counts``: lines per status."""
    if status == OrderStatus.CANCELLED:
        return Outcome.CANCELLED
    if status != OrderStatus.COMPLETED:
        return None
    ended = outcome_counts(counts)
    return Outcome.COMPLETED_WITH_FAILURES if ended["failed"] or ended["cancelled"] else Outcome.COMPLETED


def settled_transition(line_statuses: list[str]) -> Transition | None:
    """What a live order becomes once every line is terminal (None while any line is not)."""
    if not line_statuses or any(LineStatus(s) not in TERMINAL_LINE for s in line_statuses):
        return None
    if all(s == LineStatus.CANCELLED for s in line_statuses):
        return Transition.CANCEL
    return Transition.COMPLETE

"""The order state machine: every legal move, every illegal one refused with 409."""

from __future__ import annotations

import uuid

import pytest

from automat.models.order import Order, OrderStatus
from automat.orders import state
from automat.orders.state import IllegalTransition, Transition

LEGAL = {
    (OrderStatus.DRAFT, Transition.SUBMIT): OrderStatus.SUBMITTED,
    (OrderStatus.SUBMITTED, Transition.START): OrderStatus.PROCESSING,
    (OrderStatus.SUBMITTED, Transition.COMPLETE): OrderStatus.COMPLETED,
    (OrderStatus.PROCESSING, Transition.COMPLETE): OrderStatus.COMPLETED,
    (OrderStatus.SUBMITTED, Transition.REJECT): OrderStatus.REJECTED,
    (OrderStatus.PROCESSING, Transition.REJECT): OrderStatus.REJECTED,
    (OrderStatus.REJECTED, Transition.RESUBMIT): OrderStatus.DRAFT,
    (OrderStatus.SUBMITTED, Transition.CANCEL): OrderStatus.CANCELLED,
    (OrderStatus.PROCESSING, Transition.CANCEL): OrderStatus.CANCELLED,
    (OrderStatus.COMPLETED, Transition.REOPEN): OrderStatus.PROCESSING,
}


def order(status: OrderStatus) -> Order:
    return Order(number="ORD-2026-001", status=status.value, history=[], submission_count=0)


@pytest.mark.parametrize(("source", "transition"), list(LEGAL))
def test_legal_moves(source: OrderStatus, transition: Transition) -> None:
    o = order(source)
    by = uuid.uuid4()
    state.apply(o, transition, by=by, reason="why not")
    assert o.status == LEGAL[(source, transition)]
    assert o.history[-1]["from"] == source.value
    assert o.history[-1]["to"] == o.status
    assert o.history[-1]["by"] == str(by)


ILLEGAL = [(s, t) for s in OrderStatus for t in Transition if (s, t) not in LEGAL]


@pytest.mark.parametrize(("source", "transition"), ILLEGAL)
def test_illegal_moves_are_refused_and_change_nothing(source: OrderStatus, transition: Transition) -> None:
    o = order(source)
    with pytest.raises(IllegalTransition) as refused:
        state.apply(o, transition)
    assert refused.value.status_code == 409
    assert refused.value.code == "illegal_transition"
    assert o.status == source.value
    assert o.history == []


def test_completed_and_cancelled_orders_offer_no_action() -> None:
    """A completed order reopens only through a retry of a failed line's node, not as an action."""
    assert state.allowed(order(OrderStatus.COMPLETED)) == []
    assert state.allowed(order(OrderStatus.CANCELLED)) == []


def test_reopening_clears_the_completion_so_it_settles_and_notifies_again() -> None:
    o = order(OrderStatus.PROCESSING)
    state.apply(o, Transition.COMPLETE)
    o.completion_notified_at = o.completed_at
    state.apply(o, Transition.REOPEN, nodes="check_cad")
    assert (o.status, o.completed_at, o.completion_notified_at) == ("processing", None, None)
    assert o.history[-1]["nodes"] == "check_cad"


def test_submit_counts_rounds_and_clears_the_last_rejection() -> None:
    o = order(OrderStatus.DRAFT)
    state.apply(o, Transition.SUBMIT)
    state.apply(o, Transition.REJECT, reason="wrong bearing")
    assert (o.rejection_reason, o.status) == ("wrong bearing", "rejected")
    state.apply(o, Transition.RESUBMIT)
    state.apply(o, Transition.SUBMIT)
    assert o.submission_count == 2
    assert o.rejection_reason is None
    assert [h["transition"] for h in o.history] == ["submit", "reject", "resubmit", "submit"]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], None),
        (["completed", "running"], None),
        (["completed", "failed"], Transition.COMPLETE),
        (["failed", "failed"], Transition.COMPLETE),
        (["cancelled", "completed"], Transition.COMPLETE),
        (["cancelled", "cancelled"], Transition.CANCEL),
    ],
)
def test_an_order_settles_when_every_line_is_terminal(
    statuses: list[str], expected: Transition | None
) -> None:
    assert state.settled_transition(statuses) == expected


@pytest.mark.parametrize(
    ("statuses", "status", "outcome", "action"),
    [
        (["completed", "completed"], "completed", "completed", "order.completed"),
        (["completed", "failed"], "completed", "completed_with_failures", "order.completed_with_failures"),
        (["completed", "cancelled"], "completed", "completed_with_failures", "order.completed_with_failures"),
        (["failed", "failed"], "completed", "completed_with_failures", "order.completed_with_failures"),
        (["cancelled", "cancelled"], "cancelled", "cancelled", "order.cancelled"),
    ],
)
def test_a_settled_order_says_how_it_ended_and_tells_its_creator_so(
    statuses: list[str], status: str, outcome: str, action: str
) -> None:
    from collections import Counter

    from automat.orders import lines

    creator = uuid.uuid4()
    o = order(OrderStatus.PROCESSING)
    o.created_by, o.id, o.tenant_id = creator, uuid.uuid4(), uuid.uuid4()
    settled = lines.settle(o, statuses)
    assert settled is not None and settled.notification is not None
    assert (o.status, settled.outcome, state.outcome(o.status, Counter(statuses))) == (
        status,
        outcome,
        outcome,
    )
    assert settled.notification["action"] == action
    assert settled.notification["recipient_id"] == creator
    assert o.history[-1]["outcome"] == outcome


def test_whoever_ends_an_order_is_named_and_not_told() -> None:
    from automat.orders import lines

    creator = uuid.uuid4()
    o = order(OrderStatus.PROCESSING)
    o.created_by, o.id, o.tenant_id = creator, uuid.uuid4(), uuid.uuid4()
    settled = lines.settle(o, ["completed", "cancelled"], by=creator, by_name="Petra")
    assert settled is not None and settled.notification is None
    assert (o.history[-1]["by"], o.history[-1]["by_name"]) == (str(creator), "Petra")


def test_only_finished_orders_have_an_outcome() -> None:
    for status in (OrderStatus.DRAFT, OrderStatus.SUBMITTED, OrderStatus.PROCESSING, OrderStatus.REJECTED):
        assert state.outcome(status.value, {"failed": 2}) is None

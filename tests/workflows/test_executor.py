"""The executor in the database: what it queues, when, and how a run ends.

Node tasks are not run here; a recording sender stands in for Celery's ``send_task`` (the
executor's only contact with it) and each test finishes nodes the way their tasks would. Runs
through real workers and render hosts are in ``tests/orders`` and ``test_runs_end_to_end.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import text

from automat.core.db import BYPASS, SyncDatabase
from automat.models.workflow import Workflow, WorkflowRun, WorkflowVersion
from automat.orders.dispatch import RENDER_TASK
from automat.pipeline import executor
from automat.pipeline.executor import NodeStatus, RunStatus
from automat.pipeline.registry import Subject
from automat.pipeline.retry import Policy
from automat.workflows.catalogue import steps
from tests.support.factories import MadeTenant, unique
from tests.workflows.conftest import edge, node


@dataclass
class Sent:
    messages: list[tuple[str, dict[str, Any], str, str]] = field(default_factory=list)
    countdowns: dict[str, float | None] = field(default_factory=dict)  # the last message's, by task id

    def __call__(self, messages: list[executor.Message]) -> None:
        self.messages.extend((m.task, m.kwargs, m.task_id, m.queue) for m in messages)
        self.countdowns.update((m.task_id, m.countdown) for m in messages)

    def nodes(self) -> list[str]:
        return [kwargs["node_id"] for _, kwargs, _, _ in self.messages]

    def take(self) -> list[str]:
        taken = self.nodes()
        self.messages.clear()
        return taken


@pytest.fixture
def sent() -> Iterator[Sent]:
    steps()
    recorder = Sent()
    with executor.sending_with(recorder):
        yield recorder


def _workflow(
    db: SyncDatabase, tenant: MadeTenant, nodes: list[dict[str, Any]], edges: list[dict[str, str]]
) -> uuid.UUID:
    with db.session(tenant.id) as session:
        workflow = Workflow(tenant_id=tenant.id, name=unique("wf"), subject="order_line", latest_version=1)
        session.add(workflow)
        session.flush()
        for n in nodes:
            n.setdefault("step_version", 1)
        session.add(
            WorkflowVersion(
                workflow_id=workflow.id, tenant_id=tenant.id, version=1,
                config={"version": 1, "nodes": nodes, "edges": edges},
            )
        )  # fmt: skip
        return workflow.id


def _dispatch(db: SyncDatabase, tenant: MadeTenant, workflow_id: uuid.UUID) -> uuid.UUID:
    with db.session(tenant.id) as session:
        workflow = session.get(Workflow, workflow_id)
        assert workflow is not None
        version = session.query(WorkflowVersion).filter_by(workflow_id=workflow_id, version=1).one()
        run, _ = executor.dispatch_workflow(
            session, workflow, version, tenant_id=tenant.id, subject_id=uuid.uuid4()
        )
        return run.id


def _finish(
    db: SyncDatabase, tenant: MadeTenant, run_id: uuid.UUID, node_id: str, status: NodeStatus, **kw: Any
) -> None:
    with db.session(tenant.id) as session:
        executor.start_node(session, run_id, node_id, task_id=None)
    with db.session(tenant.id) as session:
        executor.finish_node(session, run_id, node_id, status, **kw)


def _state(db: SyncDatabase, tenant: MadeTenant, run_id: uuid.UUID) -> tuple[str, dict[str, str]]:
    with db.session(tenant.id) as session:
        run = session.get(WorkflowRun, run_id)
        assert run is not None
        return run.status, {n.node_id: n.status for n in executor.run_nodes(session, run_id)}


DIAMOND = (
    [node("check", "check_cad"), node("front", "render_still", position="front"),
     node("side", "render_still", position="side"), node("deliver", "deliver")],
    [edge("check", "front"), edge("check", "side"), edge("front", "deliver"), edge("side", "deliver")],
)  # fmt: skip


def test_fan_out_then_fan_in_waits_for_both_parents(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    assert sent.take() == ["check"]
    _finish(app_db, tenant, run_id, "check", NodeStatus.COMPLETED)
    assert sorted(sent.take()) == ["front", "side"]
    _finish(app_db, tenant, run_id, "front", NodeStatus.COMPLETED)
    assert sent.take() == []  # deliver still waits for the side view
    assert _state(app_db, tenant, run_id)[1]["deliver"] == NodeStatus.PENDING
    _finish(app_db, tenant, run_id, "side", NodeStatus.COMPLETED)
    assert sent.take() == ["deliver"]
    _finish(app_db, tenant, run_id, "deliver", NodeStatus.COMPLETED)
    assert _state(app_db, tenant, run_id) == (
        RunStatus.COMPLETED,
        dict.fromkeys(["check", "front", "side", "deliver"], "completed"),
    )


def test_messages_name_the_steps_task_queue_subject_and_node(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    _finish(app_db, tenant, run_id, "check", NodeStatus.COMPLETED)
    messages = {kwargs["node_id"]: (name, kwargs, queue) for name, kwargs, _, queue in sent.messages}
    name, kwargs, queue = messages["front"]
    assert name == RENDER_TASK
    assert queue == "thumbnail_rendering"
    assert kwargs["run_id"] == str(run_id) and kwargs["tenant_id"] == str(tenant.id) and "line_id" in kwargs


def test_a_failure_skips_its_descendants_and_an_independent_branch_finishes(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    nodes = [node("check", "check_cad"), node("still", "render_still"), node("d1", "deliver"),
             node("glb", "export_glb"), node("d2", "deliver")]  # fmt: skip
    edges = [edge("check", "still"), edge("still", "d1"), edge("check", "glb"), edge("glb", "d2")]
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, nodes, edges))
    _finish(app_db, tenant, run_id, "check", NodeStatus.COMPLETED)
    _finish(app_db, tenant, run_id, "still", NodeStatus.FAILED, error="Blender ran out of memory")
    status, states = _state(app_db, tenant, run_id)
    assert status == RunStatus.RUNNING
    assert states["d1"] == NodeStatus.SKIPPED and states["glb"] == NodeStatus.QUEUED
    _finish(app_db, tenant, run_id, "glb", NodeStatus.COMPLETED)
    _finish(app_db, tenant, run_id, "d2", NodeStatus.COMPLETED)
    assert _state(app_db, tenant, run_id)[0] == RunStatus.PARTIAL
    with app_db.session(tenant.id) as session:
        run = session.get(WorkflowRun, run_id)
        assert run is not None and run.error == "still: Blender ran out of memory"


def test_a_failure_on_the_only_branch_fails_the_run(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    _finish(app_db, tenant, run_id, "check", NodeStatus.FAILED, error="no CAD file")
    status, states = _state(app_db, tenant, run_id)
    assert status == RunStatus.FAILED
    assert states == {"check": "failed", "front": "skipped", "side": "skipped", "deliver": "skipped"}
    assert sent.take() == ["check"]


def test_retry_runs_the_failed_node_and_its_descendants_only(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent, monkeypatch: pytest.MonkeyPatch
) -> None:
    reopened: list[list[str]] = []
    hooks = executor.SubjectHooks(reopen=lambda _s, _run, ids, _by: reopened.append(ids))
    monkeypatch.setitem(executor._HOOKS, Subject.ORDER_LINE, hooks)
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    _finish(app_db, tenant, run_id, "check", NodeStatus.COMPLETED)
    _finish(app_db, tenant, run_id, "front", NodeStatus.COMPLETED)
    _finish(app_db, tenant, run_id, "side", NodeStatus.FAILED, error="crash")
    assert _state(app_db, tenant, run_id)[0] == RunStatus.FAILED
    sent.take()
    with app_db.session(tenant.id) as session:
        executor.retry_node(session, run_id, "side")
    assert reopened == [["side", "deliver"]]
    assert sent.take() == ["side"]
    status, states = _state(app_db, tenant, run_id)
    assert status == RunStatus.RUNNING and states["front"] == "completed" and states["deliver"] == "pending"
    _finish(app_db, tenant, run_id, "side", NodeStatus.COMPLETED)
    _finish(app_db, tenant, run_id, "deliver", NodeStatus.COMPLETED)
    assert _state(app_db, tenant, run_id)[0] == RunStatus.COMPLETED
    with app_db.session(tenant.id) as session:
        side = next(n for n in executor.run_nodes(session, run_id) if n.node_id == "side")
        assert side.attempts == 2 and side.error is None  # its second attempt, the first's error gone
    with pytest.raises(executor.RunError, match="Only a failed node"), app_db.session(tenant.id) as session:
        executor.retry_node(session, run_id, "front")


def test_cancel_revokes_queued_and_running_nodes_and_late_ends_change_nothing(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    _finish(app_db, tenant, run_id, "check", NodeStatus.COMPLETED)
    with app_db.session(tenant.id) as session:
        executor.start_node(session, run_id, "front", task_id="front-task")
        subject = session.get(WorkflowRun, run_id).subject_id  # type: ignore[union-attr]
    with app_db.session(tenant.id) as session:
        revoked = executor.end_runs(session, [subject], "cancelled by Pat")
    assert "front-task" in revoked and len(revoked) == 2  # front (running) and side (queued)
    with app_db.session(tenant.id) as session:
        executor.finish_node(session, run_id, "front", NodeStatus.COMPLETED)  # the render ended anyway
    status, states = _state(app_db, tenant, run_id)
    assert status == RunStatus.CANCELLED
    assert states == {"check": "completed", "front": "cancelled", "side": "cancelled", "deliver": "cancelled"}
    with app_db.session(tenant.id) as session:
        assert executor.start_node(session, run_id, "side", task_id=None) is None  # never runs


def test_a_redelivered_finished_node_resends_its_queued_successors(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    """The worker died after committing the node's end, before its successors' messages left."""
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    sent.take()
    _finish(app_db, tenant, run_id, "check", NodeStatus.COMPLETED)
    first = sorted(sent.take())
    with app_db.session(tenant.id) as session:
        assert executor.start_node(session, run_id, "check", task_id=None) is None
    assert sorted(sent.take()) == first == ["front", "side"]


def test_a_celery_retry_is_not_a_new_attempt_but_a_redelivery_is(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    for new_attempt in (True, False, False, True):
        with app_db.session(tenant.id) as session:
            executor.start_node(session, run_id, "check", task_id="t", new_attempt=new_attempt)
    with app_db.session(tenant.id) as session:
        check = next(n for n in executor.run_nodes(session, run_id) if n.node_id == "check")
        assert check.attempts == 2 and check.status == NodeStatus.RUNNING


def test_another_tenant_sees_no_run(
    app_db: SyncDatabase, tenant: MadeTenant, other_tenant: MadeTenant, sent: Sent
) -> None:
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    with app_db.session(other_tenant.id) as session:
        assert session.get(WorkflowRun, run_id) is None
        assert executor.run_nodes(session, run_id) == []
        assert executor.finish_node(session, run_id, "check", NodeStatus.COMPLETED) is None
    assert _state(app_db, tenant, run_id)[1]["check"] == NodeStatus.QUEUED


def test_a_transient_failure_queues_the_node_again_after_a_growing_wait_until_its_attempts_are_used(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    """A render whose host crashed runs again as its next attempt, after 10 s, then 20 s; the third
    failure of three attempts is the node's end (the caller fails it)."""
    policy = Policy(attempts=3, backoff_s=10, cap_s=15)
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    _finish(app_db, tenant, run_id, "check", NodeStatus.COMPLETED)
    sent.take()
    waits = []
    for attempt in (1, 2, 3):
        with app_db.session(tenant.id) as session:
            started = executor.start_node(session, run_id, "front", task_id=None)
            assert started is not None and started.attempts == attempt
        with app_db.session(tenant.id) as session:
            crash = "the render host was killed"
            waits.append(executor.retry_later(session, run_id, "front", error=crash, policy=policy))
        if attempt < 3:
            (task_id,) = [tid for _, kwargs, tid, _ in sent.messages if kwargs["node_id"] == "front"]
            assert sent.take() == ["front"] and sent.countdowns[task_id] == waits[-1]
    assert waits == [10.0, 15.0, None]  # doubled, capped; none left after the third
    with app_db.session(tenant.id) as session:
        front = next(n for n in executor.run_nodes(session, run_id) if n.node_id == "front")
        assert (front.status, front.attempts) == (NodeStatus.RUNNING, 3)
        assert front.error == "attempt 2 failed, trying again in 15 s: the render host was killed"


def test_a_tenant_with_its_own_render_queue_gets_its_render_nodes_sent_there(
    app_db: SyncDatabase, tenant: MadeTenant, sent: Sent
) -> None:
    """``dedicated_render_queue``: the tenant's render nodes go to ``<slug>.thumbnail_rendering``
    (its own workers), its other steps stay on the shared queue."""
    with app_db.session(BYPASS) as session:
        own = text("UPDATE tenants SET tenant_config = tenant_config || CAST(:c AS jsonb) WHERE id = :t")
        session.execute(own, {"c": '{"dedicated_render_queue": true}', "t": tenant.id})
    run_id = _dispatch(app_db, tenant, _workflow(app_db, tenant, *DIAMOND))
    _finish(app_db, tenant, run_id, "check", NodeStatus.COMPLETED)
    queues = {kwargs["node_id"]: queue for _, kwargs, _, queue in sent.messages}
    assert queues == {
        "check": "step_processing",
        "front": f"{tenant.slug}.thumbnail_rendering",
        "side": f"{tenant.slug}.thumbnail_rendering",
    }

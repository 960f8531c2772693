"""The workflow executor: runs a workflow version on a subject, node by node, in the database.

``dispatch_workflow`` creates a run (``workflow_runs``) with one row per node
(``workflow_run_nodes``) and queues the entry nodes. A node's task (any task whose base is
``NodeTask``, sent with ``run_id`` and ``node_id``) marks its node running when it starts and
finished when its body returns; finishing queues every successor whose predecessors have all
completed (fan-out, and fan-in once the last parent is done), or skips the descendants of a node
that did not complete. The run's row is locked while a node finishes, so two parents finishing at
once cannot both miss that the other is done. Messages leave only after the transaction that
queued them commits; no Celery chords (their error callbacks are unreliable).

A run ends ``completed`` (every node completed), ``failed`` (a node failed and no branch got to
its end), ``partial`` (a node failed but an independent branch completed), or ``cancelled``.

The executor knows no domain: a node's task comes from the step registry (the step's handler
for the run's subject), and a subject's domain may register ``SubjectHooks`` to take part in a
retry (reopen the subject) or to hear that a run ended.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from automat.kit.time import utcnow
from automat.kit.transaction import on_commit, on_rollback
from automat.models.tenant import Tenant
from automat.models.workflow import Workflow, WorkflowRun, WorkflowRunNode, WorkflowVersion
from automat.pipeline.registry import REGISTRY, StepRegistry, Subject
from automat.pipeline.retry import Policy
from automat.worker.queues import dedicated_queues

log = logging.getLogger(__name__)


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    PARTIAL = "partial"
    CANCELLED = "cancelled"


class NodeStatus(StrEnum):
    PENDING = "pending"  # waiting for its predecessors
    QUEUED = "queued"  # its task was sent
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    SKIPPED = "skipped"  # a predecessor did not complete, or the subject no longer needed it
    CANCELLED = "cancelled"


FINISHED = frozenset({NodeStatus.COMPLETED, NodeStatus.FAILED, NodeStatus.SKIPPED, NodeStatus.CANCELLED})
UNFINISHED = frozenset({NodeStatus.PENDING, NodeStatus.QUEUED, NodeStatus.RUNNING})

SUBJECT_KWARG: dict[Subject, str] = {
    Subject.CAD_FILE: "cad_file_id",
    Subject.ORDER_LINE: "line_id",
    Subject.PRODUCT_IMPORT: "import_id",
}
"""The keyword a node's task gets its subject's id in (the tasks' existing signatures)."""


class RunError(Exception):
    """A run cannot do what was asked (e.g. retry a node that did not fail)."""


# -- what a run is made of (pure) ------------------------------------------------------------


@dataclass(frozen=True)
class PlannedNode:
    node_id: str
    step: str
    step_version: int
    params: dict[str, Any]
    predecessors: tuple[str, ...]
    position: int


def plan(config: dict[str, Any]) -> list[PlannedNode]:
    """The nodes of a stored (validated) config with their predecessors, in config order."""
    parents: dict[str, list[str]] = {node["id"]: [] for node in config["nodes"]}
    for edge in config["edges"]:
        parents[edge["to"]].append(edge["from"])
    return [
        PlannedNode(
            node_id=node["id"],
            step=node["step"],
            step_version=int(node.get("step_version") or 1),
            params=dict(node.get("params") or {}),
            predecessors=tuple(parents[node["id"]]),
            position=i,
        )
        for i, node in enumerate(config["nodes"])
    ]


def ready(nodes: Iterable[WorkflowRunNode]) -> list[WorkflowRunNode]:
    """Pending nodes whose predecessors have all completed."""
    by_id = {n.node_id: n for n in nodes}
    return [
        n
        for n in by_id.values()
        if n.status == NodeStatus.PENDING
        and all(by_id[p].status == NodeStatus.COMPLETED for p in n.predecessors)
    ]


def descendants(nodes: Iterable[WorkflowRunNode], node_id: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for n in nodes:
        for p in n.predecessors:
            children.setdefault(p, []).append(n.node_id)
    seen: set[str] = set()
    stack = list(children.get(node_id, []))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(children.get(current, []))
    return seen


def outcome(nodes: Iterable[WorkflowRunNode]) -> RunStatus:
    """How a run whose nodes have all finished ended (RUNNING while any has not)."""
    nodes = list(nodes)
    statuses = {NodeStatus(n.status) for n in nodes}
    if statuses & UNFINISHED:
        return RunStatus.RUNNING
    if NodeStatus.CANCELLED in statuses:
        return RunStatus.CANCELLED
    if statuses <= {NodeStatus.COMPLETED}:
        return RunStatus.COMPLETED
    if NodeStatus.FAILED not in statuses:
        # Nothing failed, yet something was skipped: the subject ended the run (e.g. it was
        # cancelled or deleted meanwhile) — the run did not do its work.
        return RunStatus.CANCELLED
    has_children = {p for n in nodes for p in n.predecessors}
    leaves_done = any(n.status == NodeStatus.COMPLETED and n.node_id not in has_children for n in nodes)
    return RunStatus.PARTIAL if leaves_done else RunStatus.FAILED


# -- subjects' part ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectHooks:
    """What a subject's domain does when a run of it is retried or ends (in the same transaction).

    ``lock(session, tenant_id, subject_id)`` locks the subject's row: the executor calls it before
    it locks a run, so every path takes the subject first and the run second (the API's cancel
    does too) and they cannot deadlock. ``reopen(session, run, node_ids, by)`` prepares the subject
    to run those nodes again for the user ``by`` (raise ``RunError`` to refuse); ``ended(session,
    run)`` hears the run's final status."""

    lock: Callable[[Session, uuid.UUID, uuid.UUID], None] | None = None
    reopen: Callable[[Session, WorkflowRun, list[str], uuid.UUID | None], None] | None = None
    ended: Callable[[Session, WorkflowRun], None] | None = None


_HOOKS: dict[Subject, SubjectHooks] = {}


def register_subject(subject: Subject, hooks: SubjectHooks) -> None:
    _HOOKS[subject] = hooks


def _lock_run(session: Session, run_id: uuid.UUID) -> WorkflowRun | None:
    """The run locked, its subject locked first (see ``SubjectHooks.lock``)."""
    run = session.get(WorkflowRun, run_id)
    if run is None:
        return None
    hooks = _HOOKS.get(Subject(run.subject))
    if hooks is not None and hooks.lock is not None:
        hooks.lock(session, run.tenant_id, run.subject_id)
    return session.get(WorkflowRun, run_id, with_for_update=True, populate_existing=True)


# -- sending ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    task: str
    kwargs: dict[str, Any]
    task_id: str
    queue: str
    countdown: float | None = None  # seconds before a worker may take it (a retry's backoff)


Sender = Callable[[list[Message]], None]


def _celery_send(messages: list[Message]) -> None:
    """One producer (one broker connection) for all messages of a transaction: a 500-line order
    sends 500 entry messages."""
    from automat.worker.celery_app import celery_app

    with celery_app.producer_or_acquire() as producer:
        for m in messages:
            celery_app.send_task(
                m.task, kwargs=m.kwargs, task_id=m.task_id, queue=m.queue, producer=producer,
                countdown=m.countdown,
            )  # fmt: skip


_sender: Sender = _celery_send


@contextmanager
def sending_with(sender: Sender) -> Iterator[None]:
    """Send node tasks with ``sender`` instead of Celery (benchmarks of the executor alone)."""
    global _sender
    previous, _sender = _sender, sender
    try:
        yield
    finally:
        _sender = previous


_OUTBOX = "automat_workflow_outbox"


def _send_after_commit(session: Session, message: Message) -> None:
    """Queue the message on the session's outbox, sent with the others once the transaction commits."""
    outbox: list[Message] | None = session.info.get(_OUTBOX)
    if outbox is None:
        outbox = session.info[_OUTBOX] = []
        sender = _sender  # the sender in force when the transaction queued its first message

        def send() -> None:
            session.info.pop(_OUTBOX, None)
            sender(outbox)

        on_commit(session, send)
        on_rollback(session, lambda: session.info.pop(_OUTBOX, None))
    outbox.append(message)


_DEDICATED = "automat_dedicated_queues"


def _tenant_queue(session: Session, tenant_id: uuid.UUID, queue: str) -> str:
    """``queue``, or the tenant's own copy of it where its config dedicates one (``worker/queues.py``);
    read once per transaction."""
    known: dict[uuid.UUID, dict[str, str]] = session.info.setdefault(_DEDICATED, {})
    if tenant_id not in known:
        row = session.execute(select(Tenant.slug, Tenant.tenant_config).where(Tenant.id == tenant_id)).first()
        known[tenant_id] = dedicated_queues(row.slug, row.tenant_config or {}) if row is not None else {}
    return known[tenant_id].get(queue, queue)


def _handler(step: str, version: int, subject: Subject, registry: StepRegistry) -> tuple[str, str]:
    """The task that runs ``step`` for ``subject``, and its queue."""
    definition = registry.get(step, version)
    if definition is None:
        raise RunError(f"Step {step} v{version} is not declared in this process.")
    task = definition.handlers.get(subject)
    if task is None:
        raise RunError(f"Step {step} has no task for a {subject}.")
    return task, definition.queue


def node_kwargs(
    tenant_id: uuid.UUID, subject: Subject, subject_id: uuid.UUID, run_id: uuid.UUID, node_id: str
) -> dict[str, Any]:
    """The keywords a node's task is sent with (its subject's under the task's own name)."""
    return {
        "tenant_id": str(tenant_id),
        SUBJECT_KWARG[subject]: str(subject_id),
        "run_id": str(run_id),
        "node_id": node_id,
    }


def _queue(
    session: Session,
    run: WorkflowRun,
    nodes: Iterable[WorkflowRunNode],
    registry: StepRegistry,
    *,
    announce: bool = True,
    countdown: float | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Mark the nodes queued and send their tasks after commit. ``announce``: a ``workflow_node``
    event each (not for a new run's entry nodes: nobody watches a run that did not exist);
    ``countdown``: seconds before a worker may take them; ``extra``: keywords ``NodeTask`` takes
    off before the body runs (``handed_back``)."""
    now = utcnow()
    for node in nodes:
        task, queue = _handler(node.step, node.step_version, Subject(run.subject), registry)
        queue = _tenant_queue(session, run.tenant_id, queue)
        node.status = NodeStatus.QUEUED
        node.queued_at = now
        node.task_id = node.task_id or str(uuid.uuid4())
        kwargs = node_kwargs(run.tenant_id, Subject(run.subject), run.subject_id, run.id, node.node_id)
        kwargs.update(extra or {})
        _send_after_commit(session, Message(task, kwargs, node.task_id, queue, countdown))
        if announce:
            _announce(session, run, node)


def _announce(session: Session, run: WorkflowRun, node: WorkflowRunNode) -> None:
    """A ``workflow_node`` event on the tenant's channel once the change has committed."""
    from automat.core import events
    from automat.core.redis import sync_client

    duration = (
        round((node.finished_at - node.started_at).total_seconds(), 3)
        if node.finished_at and node.started_at
        else None
    )
    event = {
        "type": "workflow_node",
        "owner": None,
        "run_id": str(run.id),
        "subject": run.subject,
        "subject_id": str(run.subject_id),
        "node_id": node.node_id,
        "step": node.step,
        "status": node.status,
        "attempts": node.attempts,
        "duration_s": duration,
        "error": node.error,
        "run_status": run.status,
    }
    tenant_id = run.tenant_id
    on_commit(session, lambda: events.publish(sync_client(), tenant_id, event))


# -- the executor -----------------------------------------------------------------------------


def dispatch_workflow(
    session: Session,
    workflow: Workflow,
    version: WorkflowVersion,
    *,
    tenant_id: uuid.UUID,
    subject_id: uuid.UUID,
    registry: StepRegistry = REGISTRY,
) -> tuple[WorkflowRun, list[WorkflowRunNode]]:
    """Create a run of ``version`` on the subject and queue its entry nodes (sent after commit)."""
    (run_id,) = dispatch_many(
        session, [(workflow, version, subject_id)], tenant_id=tenant_id, registry=registry
    )
    run = session.get(WorkflowRun, run_id)
    assert run is not None
    return run, run_nodes(session, run_id)


def dispatch_many(
    session: Session,
    jobs: Sequence[tuple[Workflow, WorkflowVersion, uuid.UUID]],
    *,
    tenant_id: uuid.UUID,
    registry: StepRegistry = REGISTRY,
) -> list[uuid.UUID]:
    """A run per (workflow, version, subject), written with two multi-row INSERTs (an order's 500
    lines are 500 runs), their entry nodes queued: the ids of the runs, in ``jobs`` order.

    Every node gets its Celery task id now, so a subject can name the task that will work on it
    (a cancel revokes it even before it starts)."""
    now = utcnow()
    plans: dict[uuid.UUID, list[PlannedNode]] = {}
    runs: list[dict[str, Any]] = []
    nodes: list[dict[str, Any]] = []
    messages: list[Message] = []
    for workflow, version, subject_id in jobs:
        planned = plans.setdefault(version.id, plan(version.config))
        run_id = uuid.uuid4()
        runs.append(
            {
                "id": run_id, "tenant_id": tenant_id, "workflow_id": workflow.id,
                "workflow_version_id": version.id, "workflow_name": workflow.name, "version": version.version,
                "subject": workflow.subject, "subject_id": subject_id, "status": RunStatus.RUNNING.value,
            }
        )  # fmt: skip
        subject = Subject(workflow.subject)
        for p in planned:
            task_id, entry = str(uuid.uuid4()), not p.predecessors
            nodes.append(
                {
                    "run_id": run_id, "node_id": p.node_id, "tenant_id": tenant_id, "step": p.step,
                    "step_version": p.step_version, "params": p.params, "predecessors": list(p.predecessors),
                    "position": p.position, "attempts": 0, "task_id": task_id, "outputs": {},
                    "status": (NodeStatus.QUEUED if entry else NodeStatus.PENDING).value,
                    "queued_at": now if entry else None,
                }
            )  # fmt: skip
            if entry:
                task, queue = _handler(p.step, p.step_version, subject, registry)
                kwargs = node_kwargs(tenant_id, subject, subject_id, run_id, p.node_id)
                messages.append(Message(task, kwargs, task_id, queue))
    if runs:
        session.execute(insert(WorkflowRun), runs)
        session.execute(insert(WorkflowRunNode), nodes)
    for message in messages:
        _send_after_commit(session, message)
    return [r["id"] for r in runs]


def run_nodes(session: Session, run_id: uuid.UUID) -> list[WorkflowRunNode]:
    return list(
        session.scalars(
            select(WorkflowRunNode).where(WorkflowRunNode.run_id == run_id).order_by(WorkflowRunNode.position)
        )
    )


def start_node(
    session: Session, run_id: uuid.UUID, node_id: str, *, task_id: str | None, new_attempt: bool = True
) -> WorkflowRunNode | None:
    """Mark the node running; None when it must not run (finished already, or gone).

    A redelivered message of a node that completed re-sends its successors that are still
    queued: the worker may have died after the commit that queued them, before sending."""
    run = session.get(WorkflowRun, run_id, with_for_update=True)
    node = session.get(WorkflowRunNode, (run_id, node_id))
    if run is None or node is None:
        return None
    if node.status in FINISHED:
        if node.status == NodeStatus.COMPLETED:
            nodes = run_nodes(session, run_id)
            lost = [n for n in nodes if n.status == NodeStatus.QUEUED and node_id in n.predecessors]
            _queue(session, run, lost, REGISTRY)
        return None
    continuing = node.status == NodeStatus.RUNNING and not new_attempt  # a Celery retry (waiting)
    if not continuing:
        node.attempts += 1
        node.started_at = utcnow()
    node.status = NodeStatus.RUNNING
    node.finished_at = None
    node.task_id = task_id or node.task_id
    _announce(session, run, node)
    return node


def finish_node(
    session: Session,
    run_id: uuid.UUID,
    node_id: str,
    status: NodeStatus,
    *,
    outputs: dict[str, Any] | None = None,
    error: str | None = None,
    registry: StepRegistry = REGISTRY,
) -> WorkflowRun | None:
    """Record a node's end and move the run on: queue what became ready, skip what cannot run."""
    if status not in FINISHED:
        raise ValueError(f"{status} is not an end")
    run = _lock_run(session, run_id)
    if run is None:
        return None
    nodes = run_nodes(session, run_id)
    node = next((n for n in nodes if n.node_id == node_id), None)
    if node is None or node.status in FINISHED:
        return run  # a redelivered message, or cancelled meanwhile
    now = utcnow()
    node.status, node.finished_at = status, now
    node.started_at = node.started_at or now
    node.outputs = outputs or {}
    node.error = error
    changed = [node]
    if status == NodeStatus.COMPLETED:
        _queue(session, run, ready(nodes), registry)
    else:
        below = descendants(nodes, node_id)
        reason = f"skipped: {node_id} {status}"
        for other in nodes:
            if other.node_id in below and other.status in UNFINISHED:
                other.status, other.finished_at, other.error = NodeStatus.SKIPPED, now, reason
                changed.append(other)
    _settle(session, run, nodes)
    for each in changed:  # after settling: the events carry the run's status as it ends
        _announce(session, run, each)
    return run


def _settle(
    session: Session, run: WorkflowRun, nodes: list[WorkflowRunNode], *, notify_subject: bool = True
) -> None:
    status = outcome(nodes)
    if status == RunStatus.RUNNING or run.status == status:
        return
    run.status = status
    run.finished_at = utcnow()
    failed = next((n for n in nodes if n.status == NodeStatus.FAILED), None)
    if failed is None:
        run.error = None
    else:
        run.error = f"{failed.node_id}: {failed.error}" if failed.error else f"{failed.node_id} failed"
    hooks = _HOOKS.get(Subject(run.subject))
    if notify_subject and hooks is not None and hooks.ended is not None:
        hooks.ended(session, run)  # not when the subject itself ended the run: it knows


def end_runs(
    session: Session,
    subject_ids: Iterable[uuid.UUID],
    reason: str,
    *,
    status: NodeStatus = NodeStatus.CANCELLED,
) -> list[str]:
    """End the subjects' running runs: their queued and running nodes get ``status`` (cancelled, or
    failed when the subject failed from outside, e.g. a stalled render), waiting ones are skipped
    or cancelled with them. Returns the task ids to revoke. The caller holds the subjects' locks."""
    ids = list(subject_ids)
    if not ids:
        return []
    runs = session.scalars(
        select(WorkflowRun)
        .where(WorkflowRun.subject_id.in_(ids), WorkflowRun.status == RunStatus.RUNNING)
        .order_by(WorkflowRun.id)
        .with_for_update()
    ).all()
    waiting = NodeStatus.CANCELLED if status == NodeStatus.CANCELLED else NodeStatus.SKIPPED
    revoke: list[str] = []
    now = utcnow()
    for run in runs:
        nodes = run_nodes(session, run.id)
        for node in nodes:
            if node.status not in UNFINISHED:
                continue
            if node.status != NodeStatus.PENDING and node.task_id:
                revoke.append(node.task_id)
            node.status = status if node.status != NodeStatus.PENDING else waiting
            node.finished_at, node.error = now, reason
            _announce(session, run, node)
        _settle(session, run, nodes, notify_subject=False)
    return revoke


def retry_node(
    session: Session,
    run_id: uuid.UUID,
    node_id: str,
    *,
    by: uuid.UUID | None = None,
    registry: StepRegistry = REGISTRY,
) -> WorkflowRun:
    """Run a failed node again, with its descendants, for the user ``by``; what else completed
    stays completed."""
    run = _lock_run(session, run_id)
    if run is None:
        raise RunError("The run does not exist.")
    nodes = run_nodes(session, run_id)
    node = next((n for n in nodes if n.node_id == node_id), None)
    if node is None:
        raise RunError(f"The run has no node {node_id}.")
    if node.status != NodeStatus.FAILED:
        raise RunError(f"Only a failed node can be retried; {node_id} is {node.status}.")
    again = {node_id} | descendants(nodes, node_id)
    hooks = _HOOKS.get(Subject(run.subject))
    if hooks is None or hooks.reopen is None:
        raise RunError(f"Runs of a {run.subject} cannot be retried.")
    order = sorted(again, key=lambda n: next(x.position for x in nodes if x.node_id == n))
    hooks.reopen(session, run, order, by)
    for other in nodes:
        if other.node_id in again:
            other.status = NodeStatus.PENDING
            other.error = None
            other.outputs = {}
            other.started_at = other.finished_at = other.queued_at = None
            other.task_id = str(uuid.uuid4())
    run.status, run.finished_at, run.error = RunStatus.RUNNING, None, None
    _queue(session, run, ready(nodes), registry)
    return run


def retry_later(
    session: Session,
    run_id: uuid.UUID,
    node_id: str,
    *,
    error: str,
    policy: Policy,
    registry: StepRegistry = REGISTRY,
) -> float | None:
    """Queue the running node again after a transient failure of its attempt (``retry.py``): in
    the policy's backoff, as a new attempt. Returns the wait, or None when the node has had all its
    attempts (or is no longer running: cancelled meanwhile), and the caller fails it."""
    run = _lock_run(session, run_id)
    node = session.get(WorkflowRunNode, (run_id, node_id)) if run is not None else None
    if run is None or node is None or node.status != NodeStatus.RUNNING:
        return None
    delay = policy.delay_after(node.attempts)
    if delay is None:
        return None
    node.error = f"attempt {node.attempts} failed, trying again in {delay:g} s: {error}"
    node.task_id = str(uuid.uuid4())  # a new message: its start is the next attempt
    _queue(session, run, [node], registry, countdown=delay)
    return delay


def node_step(session: Session, run_id: uuid.UUID, node_id: str) -> str | None:
    """The step of a run's node (None: no such node), read before the node starts."""
    return session.scalar(
        select(WorkflowRunNode.step).where(
            WorkflowRunNode.run_id == run_id, WorkflowRunNode.node_id == node_id
        )
    )


def hand_back(
    session: Session,
    run_id: uuid.UUID,
    node_id: str,
    *,
    reason: str,
    countdown: float,
    handed_back: int,
    registry: StepRegistry = REGISTRY,
) -> bool:
    """Send a node's task to its queue again without running it: the worker that got it may not
    run its step (it is blocklisted for it, ``workers/blocklist.py``). Not an attempt: the node stays
    (or goes back to) queued with ``reason`` as its note, a new task id, and the message waits
    ``countdown`` seconds (no worker bounces it back and forth at full speed); ``handed_back``
    travels with it so the next hand-back can wait longer. False when the node is no longer
    waiting to run (finished or cancelled meanwhile): nothing to send."""
    run = session.get(WorkflowRun, run_id, with_for_update=True)
    node = session.get(WorkflowRunNode, (run_id, node_id))
    if run is None or node is None or node.status not in (NodeStatus.QUEUED, NodeStatus.RUNNING):
        return False
    node.error = reason
    node.task_id = str(uuid.uuid4())
    _queue(session, run, [node], registry, countdown=countdown, extra={"handed_back": handed_back})
    return True


def latest_run(session: Session, subject_id: uuid.UUID) -> WorkflowRun | None:
    return session.scalars(
        select(WorkflowRun)
        .where(WorkflowRun.subject_id == subject_id)
        .order_by(WorkflowRun.created_at.desc(), WorkflowRun.id.desc())
        .limit(1)
    ).first()


# -- inside a node's task ---------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentNode:
    run_id: uuid.UUID
    node_id: str
    step: str
    params: dict[str, Any]
    predecessors: tuple[str, ...]
    attempt: int = 1  # which run of the node this is


_current: ContextVar[CurrentNode | None] = ContextVar("automat_workflow_node", default=None)


def current_node() -> CurrentNode | None:
    """The workflow node the running task works on (None when it was sent outside a workflow)."""
    return _current.get()


_failure: ContextVar[str | None] = ContextVar("automat_workflow_node_failure", default=None)


def note_failure(message: str) -> None:
    """Why the node at hand is failing (a body that returns ``failed`` says so here; the node and
    its run record it). Outside a workflow node it does nothing."""
    if _current.get() is not None:
        _failure.set(message)


def noted_failure() -> str | None:
    return _failure.get()


@contextmanager
def working_on(node: CurrentNode) -> Iterator[None]:
    token, noted = _current.set(node), _failure.set(None)
    try:
        yield
    finally:
        _current.reset(token)
        _failure.reset(noted)


def current(node: WorkflowRunNode) -> CurrentNode:
    return CurrentNode(
        run_id=node.run_id,
        node_id=node.node_id,
        step=node.step,
        params=dict(node.params or {}),
        predecessors=tuple(node.predecessors),
        attempt=node.attempts,
    )

"""``NodeTask``: the base of every task that runs a workflow node.

Sent by the executor with ``run_id`` and ``node_id`` beside its usual keywords, the task marks
its node running, runs its body with the node at hand (``executor.current_node()``: its params
and predecessors), and records how it ended, which moves the run on. Sent without them (a tool,
an older message), it runs as a plain tenant task.

A body says how it went by what it returns: a ``NodeResult``, or one of the outcome words the
tasks have always returned (``completed``/``ready``/``rendered``: completed; ``failed``;
``cancelled``; anything else, e.g. ``skipped`` when the subject was finished meanwhile: skipped).
An exception fails the node with its message, unless it is transient (``retry.py``: a lost
connection, or ``TransientFailure`` from a body that recorded a crashed render host): then the
executor queues the node again after a backoff, as its next attempt, until the tenant's
``task_retry_attempts`` are used up. A Celery retry (waiting for a slot or a file) leaves it
running.

Which worker runs a node counts too (``WorkerGuard``, registered by ``workers/blocklist.py``):
before a node starts, a worker blocklisted for its step hands the message back to the queue
(``executor.hand_back``, not an attempt); when it ends, its outcome is counted for that worker
and step (a failure, or a success that resets the count).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from celery.exceptions import Retry

from automat.pipeline import executor, retry
from automat.pipeline.executor import NodeStatus
from automat.pipeline.task import StepTask

log = logging.getLogger(__name__)
_COMPLETED = frozenset({"completed", "ready", "rendered", "done", "already_done"})


@dataclass(frozen=True)
class NodeResult:
    status: NodeStatus
    outputs: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    value: Any = None  # what the task returns to Celery


def interpret(result: Any) -> NodeResult:
    """A task's return value as a node's end."""
    if isinstance(result, NodeResult):
        return result
    word = str(result)
    if word in _COMPLETED:
        status = NodeStatus.COMPLETED
    elif word == "failed":
        status = NodeStatus.FAILED
    elif word == "cancelled":
        status = NodeStatus.CANCELLED
    else:
        status = NodeStatus.SKIPPED
    return NodeResult(status=status, outputs={"outcome": word}, value=result)


ALL_BLOCKLISTED = "waiting: every online worker of"
"""How a handed-back node's note begins while no online worker of its queue may run its step
(``orders/waiting.py`` tells a queued line's owner so)."""


@dataclass(frozen=True)
class HandBack:
    reason: str  # the node's note while it waits (why this worker did not run it)
    countdown: float  # seconds before a worker may take it again


class WorkerGuard(Protocol):
    """What a worker may run, and how its runs went (``workers/blocklist.py``)."""

    def refuse(self, worker: str, step: str, queue: str | None, handed_back: int) -> HandBack | None:
        """A ``HandBack`` when ``worker`` must not run ``step`` (None: it may)."""
        ...

    def record(self, worker: str, step: str, queue: str | None, *, failed: bool, error: str | None) -> None:
        """A node of ``step`` (from ``queue``) ended on ``worker``: failed (permanently, or its host
        crashed) or completed."""
        ...


_guard: WorkerGuard | None = None


def guard_workers_with(guard: WorkerGuard | None) -> None:
    global _guard
    _guard = guard


class NodeTask(StepTask):
    abstract = True
    # The run's keywords are not in the task function's signature (this class takes them off),
    # so Celery must not check a message's arguments against it (a retry re-sends them).
    typing = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        run_id, node_id = kwargs.pop("run_id", None), kwargs.pop("node_id", None)
        handed_back = int(kwargs.pop("handed_back", 0) or 0)
        if run_id is None or node_id is None:
            return super().__call__(*args, **kwargs)
        rid = uuid.UUID(str(run_id))
        tenant_id = kwargs.get("tenant_id")
        retries = self.request.retries if self.request else 0
        worker = str(getattr(self.request, "hostname", None) or "") if self.request else ""
        with self.tenant_session(str(tenant_id)) as session:
            step = executor.node_step(session, rid, str(node_id))
            refused = self._refused(worker, step, handed_back) if not retries else None
            if refused is not None and executor.hand_back(
                session, rid, str(node_id), reason=refused.reason, countdown=refused.countdown,
                handed_back=handed_back + 1,
            ):  # fmt: skip
                log.warning(
                    "[WORKER_BLOCKLIST] %s handed node %s of run %s back: %s",
                    worker,
                    node_id,
                    rid,
                    refused.reason,
                )
                return "handed_back"
            node = executor.start_node(
                session, rid, str(node_id), task_id=self.request.id if self.request else None,
                new_attempt=not retries,
            )  # fmt: skip
            working = executor.current(node) if node is not None else None
        if working is None:
            return "skipped"  # finished already (a redelivery) or cancelled before it started
        try:
            with executor.working_on(working):
                value = super().__call__(*args, **kwargs)
                noted = executor.noted_failure()
        except Retry:
            raise
        except Exception as exc:
            error = str(exc) or repr(exc)
            if retry.is_transient(exc):
                # A crashed render host is this worker's failure; a lost database or broker
                # connection is everyone's and blocklists nobody.
                if isinstance(exc, retry.TransientFailure):
                    self._count(worker, working.step, failed=True, error=error)
                if self._again(str(tenant_id), rid, str(node_id), exc):
                    return "retrying"
            else:
                self._count(worker, working.step, failed=True, error=error)
            self._finish(str(tenant_id), rid, str(node_id), NodeResult(NodeStatus.FAILED, error=error))
            raise
        result = interpret(value)
        if result.status == NodeStatus.FAILED and result.error is None and noted:
            result = NodeResult(result.status, result.outputs, noted, result.value)
        self._finish(str(tenant_id), rid, str(node_id), result)
        if result.status in (NodeStatus.COMPLETED, NodeStatus.FAILED):
            self._count(worker, working.step, failed=result.status == NodeStatus.FAILED, error=result.error)
        return result.value if isinstance(value, NodeResult) else value

    def _queue_name(self) -> str | None:
        return ((self.request.delivery_info or {}) if self.request else {}).get("routing_key")

    def _refused(self, worker: str, step: str | None, handed_back: int) -> HandBack | None:
        if _guard is None or not worker or step is None:
            return None
        queue = self._queue_name()
        try:
            return _guard.refuse(worker, step, queue, handed_back)
        except Exception:  # the blocklist must not stop the work: run the node
            log.warning("[WORKER_BLOCKLIST] could not read the blocklist; running node", exc_info=True)
            return None

    def _count(self, worker: str, step: str, *, failed: bool, error: str | None) -> None:
        if _guard is None or not worker:
            return
        try:
            _guard.record(worker, step, self._queue_name(), failed=failed, error=error)
        except Exception:
            log.warning(
                "[WORKER_BLOCKLIST] could not count the outcome of %s on %s", step, worker, exc_info=True
            )

    def _again(self, tenant_id: str, run_id: uuid.UUID, node_id: str, exc: Exception) -> bool:
        """Queue the node again after a transient failure; False when it has had its attempts.
        Where the database itself is away, Celery re-sends the message instead (the node stays
        running meanwhile)."""
        error = str(exc) or exc.__class__.__name__
        try:
            with self.tenant_session(tenant_id) as session:
                policy = retry.policy(session, uuid.UUID(tenant_id))
                delay = executor.retry_later(session, run_id, node_id, error=error, policy=policy)
        except Exception:
            log.warning("[RETRY] could not queue node %s again; Celery re-sends it", node_id, exc_info=True)
            raise self.retry(
                exc=exc, countdown=retry.DEFAULT.backoff_s, max_retries=retry.DEFAULT.attempts - 1
            ) from None
        if delay is None:
            return False
        log.warning("[RETRY] node %s of run %s failed (%s); again in %g s", node_id, run_id, error, delay)
        return True

    def _finish(self, tenant_id: str, run_id: uuid.UUID, node_id: str, result: NodeResult) -> None:
        with self.tenant_session(tenant_id) as session:
            executor.finish_node(
                session, run_id, node_id, result.status, outputs=result.outputs, error=result.error
            )

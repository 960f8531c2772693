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
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

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


class NodeTask(StepTask):
    abstract = True
    # The run's keywords are not in the task function's signature (this class takes them off),
    # so Celery must not check a message's arguments against it (a retry re-sends them).
    typing = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        run_id, node_id = kwargs.pop("run_id", None), kwargs.pop("node_id", None)
        if run_id is None or node_id is None:
            return super().__call__(*args, **kwargs)
        rid = uuid.UUID(str(run_id))
        tenant_id = kwargs.get("tenant_id")
        retries = self.request.retries if self.request else 0
        with self.tenant_session(str(tenant_id)) as session:
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
            if retry.is_transient(exc) and self._again(str(tenant_id), rid, str(node_id), exc):
                return "retrying"
            self._finish(
                str(tenant_id), rid, str(node_id), NodeResult(NodeStatus.FAILED, error=str(exc) or repr(exc))
            )
            raise
        result = interpret(value)
        if result.status == NodeStatus.FAILED and result.error is None and noted:
            result = NodeResult(result.status, result.outputs, noted, result.value)
        self._finish(str(tenant_id), rid, str(node_id), result)
        return result.value if isinstance(value, NodeResult) else value

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

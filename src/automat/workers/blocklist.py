"""The per-worker blocklist (issue 17; Flamenco's per-worker blocklist is the model).

A worker that fails ``worker_blocklist_threshold`` (3) jobs of one step in a row is blocklisted for
that step: a node task of that step that reaches it is handed back to its queue
(``executor.hand_back``: not an attempt of the node) so another worker takes it, and an
installation-wide alert names the worker, the step and the last error. A success of that step on
that worker resets its count. A global admin clears an entry on the Workers page
(``POST /api/workers/blocklist/{id}/clear``), audited.

What counts as a failure of the worker (``NodeTask``): a node that ended failed on it (a permanent
failure: the body returned ``failed`` or raised), and an attempt whose render host crashed under it
(``TransientFailure``). A lost database or broker connection counts for nobody: it is the
installation's, and would blocklist every worker at once. Like Flamenco, a failure the input
causes (an invalid CAD file) counts too: the worker cannot tell it from its own, and three such
files in a row on one worker while others succeed is rare; the alert shows the last error so the
admin sees which it was.

State: the table ``worker_blocklist`` (worker node name, step, failures in a row, last error,
blocklisted/cleared at and by): it outlives worker and Redis restarts, the Workers page lists it,
the clear is audited. Only ``bypass`` sessions read or write it (``last_error`` may name any
tenant's file), so the counting here opens its own short bypass transaction, after the node's own.
A worker reads its entries at most every ``CACHE_S`` seconds (the node start does not pay a query
each time); a clear takes effect within that.

When a blocklisted worker hands a node back it waits ``HAND_BACK_S`` when another online worker of
that queue may run the step (the heartbeats, ``worker/status.py``); when none may, the node's note
says so ("every online worker of … is blocklisted …") and the wait doubles with each hand-back up
to ``WAIT_CAP_S``: no hot loop, and the node runs once a worker is cleared or another starts.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core.db import BYPASS
from automat.core.deps import Actor
from automat.core.redis import sync_client
from automat.kit.errors import NotFound
from automat.kit.time import utcnow
from automat.models.user import User
from automat.models.worker import WorkerBlock
from automat.notifications.service import alert_sync
from automat.pipeline.node_task import ALL_BLOCKLISTED, HandBack, guard_workers_with
from automat.settings.registry import SETTINGS
from automat.settings.service import read_system_value
from automat.worker import status
from automat.worker.context import worker_db
from automat.workers.schemas import BlockOut

log = logging.getLogger(__name__)

THRESHOLD = SETTINGS["worker_blocklist_threshold"]
CACHE_S = 5.0
HAND_BACK_S = 1.0
WAIT_CAP_S = 30.0
ALERT_ACTION = "worker.blocklisted"
FAILING_ACTION = "worker.failing"  # at the threshold, but no other worker could take over


class WorkerBlockNotFound(NotFound):
    code = "worker_block_not_found"


def wait_after(handed_back: int, others: bool) -> float:
    """Seconds before a handed-back node may be taken again: short while another worker may run
    it, else doubling from 2 s with each hand-back up to ``WAIT_CAP_S``."""
    if others:
        return HAND_BACK_S
    return float(min(WAIT_CAP_S, 2.0 ** max(handed_back, 0) * 2.0))


def _message(worker: str, step: str, failures: int, error: str | None) -> str:
    last = f": {error}" if error else ""
    return (
        f"Worker {worker} is blocklisted for step {step} after {failures} failed jobs in a row; "
        f"it hands them to other workers until an admin clears it on the Workers page{last}"
    )


def _failing_message(worker: str, step: str, failures: int, queue: str | None, error: str | None) -> str:
    last = f": {error}" if error else ""
    where = f"queue {queue}" if queue else "its queue"
    return (
        f"Worker {worker} failed {failures} jobs of step {step} in a row; it is not blocklisted because "
        f"no other online worker of {where} may run the step. Check the host (or the input){last}"
    )


# -- in the worker ------------------------------------------------------------------------------


@dataclass
class _Cached:
    at: float
    threshold: int
    blocked: frozenset[tuple[str, str]]  # (worker, step) blocklisted now


class Blocklist:
    """The ``WorkerGuard`` of ``NodeTask``: reads and counts in ``worker_blocklist``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: _Cached | None = None

    def _state(self) -> _Cached:
        with self._lock:
            cached = self._cached
            if cached is not None and time.monotonic() - cached.at < CACHE_S:
                return cached
        with worker_db().session(BYPASS) as session:
            threshold = int(read_system_value(session, THRESHOLD))
            rows = session.execute(
                select(WorkerBlock.worker, WorkerBlock.step).where(WorkerBlock.blocklisted_at.is_not(None))
            ).all()
        cached = _Cached(time.monotonic(), threshold, frozenset((r.worker, r.step) for r in rows))
        with self._lock:
            self._cached = cached
        return cached

    def forget(self) -> None:
        with self._lock:
            self._cached = None

    def refuse(self, worker: str, step: str, queue: str | None, handed_back: int) -> HandBack | None:
        state = self._state()
        if state.threshold <= 0 or (worker, step) not in state.blocked:
            return None
        others = self._others(worker, step, queue, state.blocked)
        where = f"queue {queue}" if queue else "its queue"
        if others:
            reason = (
                f"worker {worker} is blocklisted for step {step}; handed back for another worker of {where}"
            )
        else:
            reason = (
                f"{ALL_BLOCKLISTED} {where} is blocklisted for step {step}; it runs once an admin clears "
                "one on the Workers page or another worker starts"
            )
        return HandBack(reason=reason, countdown=wait_after(handed_back, bool(others)))

    def _others(
        self, worker: str, step: str, queue: str | None, blocked: frozenset[tuple[str, str]]
    ) -> list[str]:
        """Online workers other than ``worker`` that take ``queue`` and may run ``step``."""
        client = sync_client()
        try:
            workers = status.read_workers(client)
        finally:
            client.close()
        now = time.time()
        return [
            w.nodename
            for w in workers
            if w.nodename != worker
            and w.online(now)
            and (queue is None or queue in w.queues)
            and (w.nodename, step) not in blocked
        ]

    def record(self, worker: str, step: str, queue: str | None, *, failed: bool, error: str | None) -> None:
        state = self._state()
        if state.threshold <= 0:
            return
        with worker_db().session(BYPASS) as session:
            if not failed:
                # A success resets the count; a blocklisted entry stays until an admin clears it
                # (a node that started before the worker was blocklisted may still succeed).
                session.execute(
                    text(
                        "UPDATE worker_blocklist SET failures = 0 WHERE worker = :w AND step = :s "
                        "AND failures > 0 AND blocklisted_at IS NULL"
                    ),
                    {"w": worker, "s": step},
                )
                return
            row = session.execute(
                text(
                    "INSERT INTO worker_blocklist (worker, step, failures, last_error, last_failure_at) "
                    "VALUES (:w, :s, 1, :e, now()) ON CONFLICT (worker, step) DO UPDATE SET "
                    "failures = worker_blocklist.failures + 1, last_error = EXCLUDED.last_error, "
                    "last_failure_at = EXCLUDED.last_failure_at "
                    "RETURNING id, failures, blocklisted_at"
                ),
                {"w": worker, "s": step, "e": (error or "")[:2000] or None},
            ).one()
            if row.blocklisted_at is not None or row.failures < state.threshold:
                return
            if not self._others(worker, step, queue, state.blocked):
                # The only worker that may run the step: blocklisting it would stop the step
                # altogether (a one-host installation after three invalid files). It keeps
                # counting and is blocklisted at its next failure once another worker may take over;
                # the admin hears of it once.
                if row.failures == state.threshold:
                    log.warning(
                        "[WORKER_BLOCKLIST] %s failed %s %d times; the only worker for it",
                        worker,
                        step,
                        row.failures,
                    )
                    alert_sync(
                        session,
                        tenant_id=None,
                        action=FAILING_ACTION,
                        message=_failing_message(worker, step, row.failures, queue, error),
                        target_type="worker",
                        target_id=worker,
                        detail={
                            "worker": worker, "step": step, "failures": row.failures, "last_error": error,
                            "entry_id": row.id, "queue": queue, "url": "/admin/workers",
                        },
                    )  # fmt: skip
                return
            session.execute(
                text("UPDATE worker_blocklist SET blocklisted_at = now() WHERE id = :id"), {"id": row.id}
            )
            log.warning(
                "[WORKER_BLOCKLIST] %s blocklisted for %s after %d failures: %s",
                worker,
                step,
                row.failures,
                error,
            )
            alert_sync(
                session,
                tenant_id=None,
                action=ALERT_ACTION,
                message=_message(worker, step, row.failures, error),
                target_type="worker",
                target_id=worker,
                detail={
                    "worker": worker, "step": step, "failures": row.failures, "last_error": error,
                    "entry_id": row.id, "url": "/admin/workers",
                },
            )  # fmt: skip
        self.forget()  # this process stops taking the step at once


BLOCKLIST = Blocklist()
guard_workers_with(BLOCKLIST)


# -- in the API ---------------------------------------------------------------------------------


async def entries(session: AsyncSession) -> list[BlockOut]:
    """Blocklisted entries and those counting failures, newest failure first (a global admin's
    session; others see none)."""
    rows = (
        await session.execute(
            select(WorkerBlock, User.email)
            .outerjoin(User, User.id == WorkerBlock.cleared_by)
            .where((WorkerBlock.failures > 0) | WorkerBlock.blocklisted_at.is_not(None))
            .order_by(
                WorkerBlock.blocklisted_at.desc().nulls_last(),
                WorkerBlock.last_failure_at.desc(),
                WorkerBlock.id,
            )
        )
    ).all()
    return [BlockOut.of(block, email) for block, email in rows]


async def threshold(session: AsyncSession) -> int:
    return int(await session.run_sync(lambda sync: read_system_value(sync, THRESHOLD)))


async def clear(session: AsyncSession, actor: Actor, entry_id: int) -> WorkerBlock:
    """Let the worker run the step again and start its count afresh; audited."""
    block = await session.get(WorkerBlock, entry_id, with_for_update=True)
    if block is None:
        raise WorkerBlockNotFound(f"There is no blocklist entry {entry_id}.")
    before = {
        "failures": block.failures,
        "blocklisted_at": block.blocklisted_at.isoformat() if block.blocklisted_at else None,
        "last_error": block.last_error,
    }
    block.failures = 0
    block.blocklisted_at = None
    block.cleared_at = utcnow()
    block.cleared_by = actor.user_id
    await session.flush()
    await audit.record(
        session, actor=actor, action="worker_blocklist.clear", tenant_id=None,
        target_type="worker", target_id=block.worker, detail={"step": block.step, "before": before},
    )  # fmt: skip
    return block

"""Worker pools follow ``worker_configs`` (issue 17): beat's ``apply_worker_concurrency`` decides a
pool size per online worker and asks the worker for it with Celery's remote control
(``pool_grow`` / ``pool_shrink``).

A worker's target is what its queue needs, spread over the workers serving it, within the
queue's bounds: ``clamp(ceil((waiting + running) / workers), min, max)``; a worker serving
several configured queues takes the largest of their targets. A queue without a configuration
is left alone (its workers keep the pool they were started with), so nothing changes until an
admin configures it. The render queue's default in ``automat up`` is one Blender per worker;
raise its max only where a host has more than one GPU (or enough cores).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from automat.worker.status import WorkerState

log = logging.getLogger(__name__)
PREFIX = "[WORKER_SCALING]"


@dataclass(frozen=True)
class Bounds:
    min_concurrency: int
    max_concurrency: int


@dataclass(frozen=True)
class PoolChange:
    worker: str
    current: int
    target: int
    reason: str

    @property
    def grow(self) -> bool:
        return self.target > self.current


def plan(
    configs: dict[str, Bounds], workers: list[WorkerState], lengths: dict[str, int], now: float | None = None
) -> list[PoolChange]:
    """The pool changes that bring every online worker to its target (none when all are there)."""
    now = time.time() if now is None else now
    online = [w for w in workers if w.online(now) and w.pool_size is not None]
    targets: dict[str, tuple[int, str]] = {}
    for queue, bounds in sorted(configs.items()):
        serving = [w for w in online if queue in w.queues]
        if not serving:
            continue
        running = sum(len(w.current_tasks) for w in serving)
        waiting = lengths.get(queue, 0)
        need = math.ceil((waiting + running) / len(serving))
        target = max(bounds.min_concurrency, min(bounds.max_concurrency, need))
        reason = (
            f"{queue}: {waiting} waiting, {running} running on {len(serving)} worker(s), "
            f"min {bounds.min_concurrency}, max {bounds.max_concurrency}"
        )
        for worker in serving:
            if worker.nodename not in targets or target > targets[worker.nodename][0]:
                targets[worker.nodename] = (target, reason)
    changes = []
    for worker in online:
        if worker.nodename in targets:
            target, reason = targets[worker.nodename]
            assert worker.pool_size is not None
            if target != worker.pool_size:
                changes.append(PoolChange(worker.nodename, worker.pool_size, target, reason))
    return changes


def apply(changes: list[PoolChange], control: Any, *, timeout_s: float = 5.0) -> list[dict[str, Any]]:
    """Ask each worker to grow or shrink its pool; what each answered, for the record."""
    done = []
    for change in changes:
        n = abs(change.target - change.current)
        command = control.pool_grow if change.grow else control.pool_shrink
        replies = command(n=n, destination=[change.worker], reply=True, timeout=timeout_s) or []
        ok = any("ok" in reply.get(change.worker, {}) for reply in replies)
        log.info(
            "%s %s: pool %d -> %d (%s)%s",
            PREFIX, change.worker, change.current, change.target, change.reason, "" if ok else ": no answer",
        )  # fmt: skip
        done.append(
            {
                "worker": change.worker,
                "from": change.current,
                "to": change.target,
                "reason": change.reason,
                "answered": ok,
            }
        )
    return done

"""What the API says about the workers, from their heartbeats and the broker (``worker/status.py``)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import redis

from automat.core import metrics
from automat.worker import status
from automat.worker.queues import QUEUES
from automat.workers.schemas import QueueOut, RunningTask, WorkerOut, WorkersOverview


def _at(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


def overview(client: redis.Redis) -> WorkersOverview:
    now = time.time()
    workers = status.read_workers(client)
    online = status.active_workers(workers, now)
    lengths = status.queue_lengths(client, list(QUEUES))
    return WorkersOverview(
        workers=[
            WorkerOut(
                name=w.nodename,
                host=w.host,
                pid=w.pid,
                queues=w.queues,
                pool_size=w.pool_size,
                version=w.version,
                device=w.device,
                state=w.state(now),
                started_at=_at(w.started_at),
                last_seen=_at(w.last_seen) or datetime.now(UTC),
                current_tasks=[
                    RunningTask(
                        id=t.get("id"),
                        name=str(t.get("name", "")),
                        pid=t.get("pid"),
                        started_at=_at(t.get("started_at")),
                    )
                    for t in w.current_tasks
                ],
            )
            for w in workers
        ],
        queues=[QueueOut(name=q, length=lengths[q], workers_online=online.get(q, 0)) for q in QUEUES],
    )


def scrape_values(client: redis.Redis) -> metrics.ScrapeValues:
    """The scrape-time gauges of ``GET /metrics``: queue lengths and online workers per queue."""
    now = time.time()
    online = status.active_workers(status.read_workers(client), now)
    lengths = status.queue_lengths(client, list(QUEUES))
    return {
        "automat_queue_length": (
            "Tasks waiting in the broker per queue (scale render workers on this one).",
            ["queue"],
            {(q,): float(n) for q, n in lengths.items()},
        ),
        "automat_workers_active": (
            "Workers with a recent heartbeat, per queue they consume.",
            ["queue"],
            {(q,): float(online.get(q, 0)) for q in QUEUES},
        ),
    }

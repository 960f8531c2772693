"""What the API says about the workers, from their heartbeats and the broker (``worker/status.py``)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime

import redis
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from automat.core import metrics
from automat.models.tenant import Tenant
from automat.worker import status
from automat.worker.queues import DEDICATED_KEYS, QUEUES, base_queue, dedicated_queues
from automat.workers.schemas import QueueOut, RunningTask, WorkerOut, WorkersOverview


def _at(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


async def dedicated_queue_names(session: AsyncSession) -> list[str]:
    """The tenants' own queues their configs ask for (the session's tenants: a global admin's all)."""
    wanted = Tenant.tenant_config.has_any(array(list(DEDICATED_KEYS.values())))
    rows = (await session.execute(select(Tenant.slug, Tenant.tenant_config).where(wanted))).all()
    return sorted(q for row in rows for q in dedicated_queues(row.slug, row.tenant_config or {}).values())


def queue_names(workers: list[status.WorkerState], dedicated: Iterable[str] = ()) -> list[str]:
    """The shared queues, then tenants' own: those configured and those a worker takes."""
    own = {q for w in workers for q in w.queues if base_queue(q) not in (None, q)} | set(dedicated)
    return [*QUEUES, *sorted(own - set(QUEUES))]


def overview(client: redis.Redis, dedicated: list[str] | None = None) -> WorkersOverview:
    now = time.time()
    workers = status.read_workers(client)
    online = status.active_workers(workers, now)
    names = queue_names(workers, dedicated or [])
    lengths = status.queue_lengths(client, names)
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
        queues=[QueueOut(name=q, length=lengths[q], workers_online=online.get(q, 0)) for q in names],
    )


def scrape_values(client: redis.Redis) -> metrics.ScrapeValues:
    """The scrape-time gauges of ``GET /metrics``: queue lengths and online workers per queue."""
    now = time.time()
    workers = status.read_workers(client)
    online = status.active_workers(workers, now)
    names = queue_names(workers)  # a tenant's own queue once a worker takes it
    lengths = status.queue_lengths(client, names)
    return {
        "automat_queue_length": (
            "Tasks waiting in the broker per queue (scale render workers on this one).",
            ["queue"],
            {(q,): float(n) for q, n in lengths.items()},
        ),
        "automat_workers_active": (
            "Workers with a recent heartbeat, per queue they consume.",
            ["queue"],
            {(q,): float(online.get(q, 0)) for q in names},
        ),
    }

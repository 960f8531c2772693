"""Where workers say they are alive and what they do, and how the API reads it (issue 17).

A worker's main process writes a heartbeat every ``HEARTBEAT_S`` to the Redis hash
``automat:worker:<nodename>`` (host, pid, queues, pool size, version, started/last seen); its pool
processes add what they run (``task:<pid>``) and the render device of their last render
(``device``). The key expires after ``FORGET_AFTER_S``: a worker that has not been heard of for
``OFFLINE_AFTER_S`` is listed as offline until then, and then forgotten. Redis, not the database:
heartbeats are frequent and every host reaches the broker anyway.

Queue lengths come from the broker: kombu's Redis transport keeps a queue as a list named after
it, plus one list per priority step (``<queue>\\x06\\x16<n>``); the length is their sum.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import redis

KEY_PREFIX = "automat:worker:"
HEARTBEAT_S = 10.0
OFFLINE_AFTER_S = 3 * HEARTBEAT_S
FORGET_AFTER_S = 24 * 3600
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)


def key(nodename: str) -> str:
    return f"{KEY_PREFIX}{nodename}"


@dataclass
class WorkerState:
    nodename: str
    host: str
    pid: int | None
    queues: list[str]
    pool_size: int | None
    version: str | None
    started_at: float | None
    last_seen: float
    device: str | None = None
    stopped: bool = False  # shut down cleanly (a worker killed just stops being heard of)
    current_tasks: list[dict[str, Any]] = field(default_factory=list)

    def online(self, now: float) -> bool:
        return not self.stopped and now - self.last_seen <= OFFLINE_AFTER_S

    def state(self, now: float) -> str:
        if self.stopped:
            return "stopped"
        return "online" if self.online(now) else "offline"


def _number(value: str | None, kind: type[int] | type[float]) -> Any:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


def parse(nodename: str, fields: dict[str, str]) -> WorkerState | None:
    last_seen = _number(fields.get("last_seen"), float)
    if last_seen is None:  # a pool process wrote before the first heartbeat: nothing to show yet
        return None
    tasks = []
    for name, value in fields.items():
        if name.startswith("task:"):
            try:
                tasks.append(json.loads(value))
            except ValueError:
                continue
    return WorkerState(
        nodename=nodename,
        host=fields.get("host", ""),
        pid=_number(fields.get("pid"), int),
        queues=[q for q in fields.get("queues", "").split(",") if q],
        pool_size=_number(fields.get("pool_size"), int),
        version=fields.get("version"),
        started_at=_number(fields.get("started_at"), float),
        last_seen=last_seen,
        device=fields.get("device") or None,
        stopped=fields.get("state") == "stopped",
        current_tasks=sorted(tasks, key=lambda t: t.get("started_at", 0)),
    )


def read_workers(client: redis.Redis) -> list[WorkerState]:
    """Every worker heard of within ``FORGET_AFTER_S``, by name."""
    names = sorted(client.scan_iter(match=f"{KEY_PREFIX}*", count=200))
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.hgetall(name)
    found = []
    for name, fields in zip(names, pipe.execute(), strict=True):
        state = parse(str(name).removeprefix(KEY_PREFIX), fields or {})
        if state is not None:
            found.append(state)
    return found


def queue_lengths(client: redis.Redis, queues: list[str]) -> dict[str, int]:
    pipe = client.pipeline(transaction=False)
    for queue in queues:
        pipe.llen(queue)
        for step in PRIORITY_STEPS:
            pipe.llen(f"{queue}{PRIORITY_SEPARATOR}{step}")
    counts = pipe.execute()
    per = 1 + len(PRIORITY_STEPS)
    return {queue: int(sum(counts[i * per : (i + 1) * per])) for i, queue in enumerate(queues)}


def active_workers(workers: list[WorkerState], now: float | None = None) -> dict[str, int]:
    """Online workers per queue they consume."""
    now = time.time() if now is None else now
    counts: dict[str, int] = {}
    for worker in workers:
        if worker.online(now):
            for queue in worker.queues:
                counts[queue] = counts.get(queue, 0) + 1
    return counts

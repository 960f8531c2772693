"""The tasks of a worker host that died are delivered again as soon as its heartbeat says so.

A task is acknowledged late (``task_acks_late``): while it runs, kombu's Redis transport keeps its
message in the hash ``unacked`` (delivery tag → ``[message, exchange, routing key]``). A worker
*process* that dies under a task is noticed by its own main process, which gives the message back
at once (``task_reject_on_worker_lost``). A whole *host* that dies (power, kernel panic, a node
taken away from a cluster) leaves nobody to do that: the message would wait for the broker's
visibility timeout, six hours, because a long render must not be delivered twice while it runs.

The heartbeats (``status.py``) know better than a timeout: each worker records the task every pool
process runs, and writes a heartbeat every 10 s from its main process, which does no work of its
own. A worker not heard of for ``LOST_AFTER_S`` (six heartbeats; the Workers page calls it
offline after three) is taken for dead. ``redeliver`` finds the tasks such workers were running,
puts their messages back at the head of their queues with kombu's own restore (the message as it
was, marked redelivered: the next worker's start of it is the node's next attempt), and forgets
them on the dead worker's record so that nothing is given back twice. A task that is not in
``unacked`` any more had been acknowledged (it finished just before the host died): it is left
alone.

A worker that stopped cleanly is not lost: a warm shutdown lets its tasks finish, a cold one gives
them back itself. A worker cut off from Redis for longer than ``LOST_AFTER_S`` while it goes on
working is taken for dead too, and its task then runs twice (the later finish of a node that
finished already changes nothing, see ``executor.start_node``/``finish_node``).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import redis

from automat.worker import status

log = logging.getLogger(__name__)

UNACKED = "unacked"  # kombu's Redis transport: ``Channel.unacked_key``
LOST_AFTER_S = 6 * status.HEARTBEAT_S


@dataclass
class LostWorker:
    """An offline worker and what became of the tasks it was running."""

    name: str
    host: str
    last_seen: float
    redelivered: list[dict[str, Any]] = field(default_factory=list)  # {"id", "name"}
    finished: list[str] = field(default_factory=list)  # acknowledged before it died: ids

    def as_dict(self) -> dict[str, Any]:
        return {
            "worker": self.name,
            "host": self.host,
            "last_seen": self.last_seen,
            "redelivered": self.redelivered,
            "finished": self.finished,
        }


def lost_workers(workers: list[status.WorkerState], now: float) -> list[status.WorkerState]:
    """Workers not heard of for ``LOST_AFTER_S`` (not stopped) that were running something."""
    return [w for w in workers if not w.stopped and now - w.last_seen > LOST_AFTER_S and w.current_tasks]


def unacked_tags(client: redis.Redis, task_ids: set[str]) -> dict[str, bytes | str]:
    """The delivery tags of the unacknowledged messages of these tasks (task id → tag)."""
    found: dict[str, bytes | str] = {}
    for tag, payload in client.hscan_iter(UNACKED, count=500):
        try:
            message = json.loads(payload)[0]
            task_id = message["headers"]["id"]
        except (ValueError, KeyError, IndexError, TypeError):
            continue  # not a Celery task message
        if task_id in task_ids:
            found[task_id] = tag
    return found


def redeliver(client: redis.Redis, restore: Any, now: float | None = None) -> list[LostWorker]:
    """Give back the messages of the tasks offline workers were running.

    ``restore(tag)`` puts one unacknowledged message back on its queue (kombu's
    ``channel.qos.restore_by_tag``). Returns the workers found lost, with what was done."""
    now = time.time() if now is None else now
    lost = lost_workers(status.read_workers(client), now)
    if not lost:
        return []
    wanted = {str(t["id"]) for w in lost for t in w.current_tasks if t.get("id")}
    tags = unacked_tags(client, wanted)
    report = []
    for worker in lost:
        done = LostWorker(worker.nodename, worker.host, worker.last_seen)
        for task in worker.current_tasks:
            task_id = str(task.get("id") or "")
            if task_id in tags:
                restore(tags.pop(task_id))
                done.redelivered.append({"id": task_id, "name": str(task.get("name", ""))})
            elif task_id:
                done.finished.append(task_id)
        forget_tasks(client, worker.nodename)
        if done.redelivered:
            log.warning(
                "[WORKER_RECOVERY] worker %s on %s is offline (last heard of %.0f s ago); "
                "redelivered %d task(s): %s",
                worker.nodename, worker.host or "?", now - worker.last_seen, len(done.redelivered),
                ", ".join(f"{t['name']} {t['id']}" for t in done.redelivered),
            )  # fmt: skip
        report.append(done)
    return report


def forget_tasks(client: redis.Redis, nodename: str) -> None:
    """Drop the running-task entries of a worker's record (its last-seen time stays)."""
    key = status.key(nodename)
    fields = [f for f in client.hkeys(key) if (f.decode() if isinstance(f, bytes) else f).startswith("task:")]
    if fields:
        client.hdel(key, *fields)

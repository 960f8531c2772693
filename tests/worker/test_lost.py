"""The tasks of a worker that went offline are given back to their queue (``worker/lost.py``), on
the real broker: a message taken by a consumer and never acknowledged, as a dead host leaves it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from automat.worker import lost, status
from automat.worker.celery_app import celery_app


@pytest.fixture
def channel() -> Iterator[Any]:
    with celery_app.connection_for_write() as conn:
        yield conn.default_channel


def _taken(channel: Any, queue: str) -> str:
    """Send a task to ``queue`` and take it as a worker does (unacknowledged); its task id."""
    task_id = str(uuid.uuid4())
    celery_app.send_task("tests.lost.never_run", task_id=task_id, queue=queue)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        message = channel.basic_get(queue, no_ack=False)
        if message is not None:
            assert message.headers["id"] == task_id
            return task_id
        time.sleep(0.05)
    raise AssertionError("the message did not arrive")


def _heartbeat(client: redis.Redis, name: str, *, last_seen: float, task_id: str, **fields: str) -> None:
    client.delete(status.key(name))
    client.hset(
        status.key(name),
        mapping={
            "host": name.split("@")[1], "pid": 1, "queues": "q", "last_seen": last_seen, "state": "online",
            "task:4242": json.dumps({"id": task_id, "name": "tests.lost.never_run", "pid": 4242}),
            **fields,
        },
    )  # fmt: skip


def _queued_ids(client: redis.Redis, queue: str) -> list[tuple[str, bool]]:
    return [
        (m["headers"]["id"], bool(m["headers"].get("redelivered")))
        for m in (json.loads(raw) for raw in client.lrange(queue, 0, -1))
    ]


def test_an_offline_workers_task_goes_back_to_its_queue_once(redis_client: redis.Redis, channel: Any) -> None:
    queue = f"lost-{uuid.uuid4().hex[:8]}"
    dead, alive, stopped = (f"{role}@{uuid.uuid4().hex[:6]}" for role in ("dead", "alive", "stopped"))
    now = time.time()
    lost_id, live_id, stopped_id = _taken(channel, queue), _taken(channel, queue), _taken(channel, queue)
    finished_id = str(uuid.uuid4())  # acknowledged just before the host died: nothing to give back
    _heartbeat(redis_client, dead, last_seen=now - lost.LOST_AFTER_S - 1, task_id=lost_id)
    finished = json.dumps({"id": finished_id, "name": "x", "pid": 4243})
    redis_client.hset(status.key(dead), "task:4243", finished)
    # Offline on the Workers page, but not yet long enough to be taken for dead.
    _heartbeat(redis_client, alive, last_seen=now - status.OFFLINE_AFTER_S - 1, task_id=live_id)
    _heartbeat(redis_client, stopped, last_seen=now - 600, task_id=stopped_id, state="stopped")
    assert redis_client.llen(queue) == 0

    report = {w.name: w for w in lost.redeliver(redis_client, channel.qos.restore_by_tag, now)}

    assert set(report) == {dead}  # the late one may still run its task; the stopped one gave its own back
    assert [t["id"] for t in report[dead].redelivered] == [lost_id]
    assert report[dead].finished == [finished_id]
    assert _queued_ids(redis_client, queue) == [(lost_id, True)]  # marked redelivered
    unacked = set(lost.unacked_tags(redis_client, {lost_id, live_id, stopped_id}))
    assert unacked == {live_id, stopped_id}
    # The dead worker's record forgets its tasks, so nothing is given back twice.
    assert lost.redeliver(redis_client, channel.qos.restore_by_tag, now) == []
    assert redis_client.llen(queue) == 1
    for name in (dead, alive, stopped):
        redis_client.delete(status.key(name))
    for tag in lost.unacked_tags(redis_client, {live_id, stopped_id}).values():  # leave the broker as found
        redis_client.hdel(lost.UNACKED, tag)
        redis_client.zrem("unacked_index", tag)
    redis_client.delete(queue)

"""Who takes the render queue: each worker process that consumes it renews a lease in a Redis
sorted set (member: ``host:pid``, score: expiry) from a small thread (``ConsumerHeartbeat``,
started by ``worker_host``). No live lease: no worker takes the queue (``orders/waiting.py``
tells a queued order line so). A tenant's own render queue (``<slug>.thumbnail_rendering``,
``worker/queues.py``) has its own set: its lines wait for a worker of that queue.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from typing import Any

import redis

from automat.worker.queues import RENDER_QUEUE

CONSUMERS_KEY = "automat:render-consumers"
CONSUMER_LEASE_S = 30.0
HEARTBEAT_S = 10.0


def consumers_key(queue: str = RENDER_QUEUE) -> str:
    return CONSUMERS_KEY if queue == RENDER_QUEUE else f"{CONSUMERS_KEY}:{queue}"


def announce_consumer(
    client: redis.Redis, member: str, *, queue: str = RENDER_QUEUE, lease_s: float = CONSUMER_LEASE_S
) -> None:
    client.zadd(consumers_key(queue), {member: time.time() + lease_s})


def withdraw_consumer(client: redis.Redis, member: str, *, queue: str = RENDER_QUEUE) -> None:
    client.zrem(consumers_key(queue), member)


def render_consumers(client: redis.Redis, queue: str = RENDER_QUEUE) -> int:
    """Worker processes taking ``queue`` (the render queue or a tenant's own) now: their lease
    has not run out."""
    key = consumers_key(queue)
    client.zremrangebyscore(key, "-inf", time.time())
    return int(client.zcard(key))


class ConsumerHeartbeat:
    """Renews this process's lease as a consumer of its render queues until ``stop``."""

    def __init__(
        self, client_factory: Any, *, queues: tuple[str, ...] = (RENDER_QUEUE,), every_s: float = HEARTBEAT_S
    ) -> None:
        self.client_factory, self.queues, self.every_s = client_factory, queues, every_s
        self.member = f"{socket.gethostname()}:{os.getpid()}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="render-consumer-heartbeat", daemon=True)

    def start(self) -> ConsumerHeartbeat:
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            with contextlib.suppress(redis.RedisError):  # try again at the next beat
                for queue in self.queues:
                    announce_consumer(self.client_factory(), self.member, queue=queue)
            if self._stop.wait(self.every_s):
                return

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(redis.RedisError):
            for queue in self.queues:
                withdraw_consumer(self.client_factory(), self.member, queue=queue)

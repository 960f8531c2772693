"""Who takes the render queue: each worker process that consumes it renews a lease in a Redis
sorted set (member: ``host:pid``, score: expiry) from a small thread (``ConsumerHeartbeat``,
started by ``worker_host``). No live lease: no worker takes the queue (``orders/waiting.py``
tells a queued order line so).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from typing import Any

import redis

CONSUMERS_KEY = "automat:render-consumers"
CONSUMER_LEASE_S = 30.0
HEARTBEAT_S = 10.0


def announce_consumer(client: redis.Redis, member: str, *, lease_s: float = CONSUMER_LEASE_S) -> None:
    client.zadd(CONSUMERS_KEY, {member: time.time() + lease_s})


def withdraw_consumer(client: redis.Redis, member: str) -> None:
    client.zrem(CONSUMERS_KEY, member)


def render_consumers(client: redis.Redis) -> int:
    """Worker processes taking the render queue now (their lease has not run out)."""
    client.zremrangebyscore(CONSUMERS_KEY, "-inf", time.time())
    return int(client.zcard(CONSUMERS_KEY))


class ConsumerHeartbeat:
    """Renews this process's lease as a render-queue consumer until ``stop``."""

    def __init__(self, client_factory: Any, *, every_s: float = HEARTBEAT_S) -> None:
        self.client_factory, self.every_s = client_factory, every_s
        self.member = f"{socket.gethostname()}:{os.getpid()}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="render-consumer-heartbeat", daemon=True)

    def start(self) -> ConsumerHeartbeat:
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            with contextlib.suppress(redis.RedisError):  # try again at the next beat
                announce_consumer(self.client_factory(), self.member)
            if self._stop.wait(self.every_s):
                return

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(redis.RedisError):
            withdraw_consumer(self.client_factory(), self.member)

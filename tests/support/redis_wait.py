"""Waiting on a Redis list in tests and test workers.

redis-py 8 gives every connection a 5 s socket timeout by default, so ``BLPOP … timeout=120``
fails with a socket timeout after 5 s on a busy machine. ``blocking_pop`` waits in short pops
until its own deadline instead.
"""

from __future__ import annotations

import time

import redis


def blocking_pop(client: redis.Redis, key: str, timeout_s: float) -> str | bytes | None:
    """The first item pushed onto ``key`` within ``timeout_s``, else None."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        popped = client.blpop([key], timeout=1)
        if popped is not None:
            return popped[1]  # type: ignore[no-any-return]
    return None

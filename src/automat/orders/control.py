"""Coordination of running renders through Redis: cancel requests and per-tenant render slots.

- A cancel request is a key per order line (``request_cancel``); the task rendering that line
  watches it and kills its render host, wherever that worker runs. A key (not a pub/sub message)
  is never missed by a task that starts listening late.
- Render slots cap how many of a tenant's lines render at once (``max_concurrent_renders``). A slot
  is a lease in a sorted set (member: line id, score: expiry); the rendering task renews it, so a
  worker that dies without releasing frees its slot when the lease runs out. Taking a slot again
  for the same line (a redelivered task) succeeds without taking a second one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

import redis

CANCEL_TTL_S = 24 * 3600
SLOT_LEASE_S = 90

_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  return 1
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  return 1
end
return 0
"""


def _cancel_key(line_id: uuid.UUID | str) -> str:
    return f"automat:cancel:{line_id}"


def _slots_key(tenant_id: uuid.UUID | str) -> str:
    return f"automat:render-slots:{tenant_id}"


def request_cancel(client: redis.Redis, line_ids: Iterable[uuid.UUID | str]) -> None:
    with client.pipeline(transaction=False) as pipe:
        for line_id in line_ids:
            pipe.set(_cancel_key(line_id), "1", ex=CANCEL_TTL_S)
        pipe.execute()


def clear_cancel(client: redis.Redis, line_ids: Iterable[uuid.UUID | str]) -> None:
    keys = [_cancel_key(i) for i in line_ids]
    if keys:
        client.delete(*keys)


def cancel_requested(client: redis.Redis, line_id: uuid.UUID | str) -> bool:
    return bool(client.exists(_cancel_key(line_id)))


def acquire_slot(
    client: redis.Redis, tenant_id: uuid.UUID | str, line_id: uuid.UUID | str, limit: int
) -> bool:
    now = time.time()
    taken = client.eval(_ACQUIRE, 1, _slots_key(tenant_id), now, now + SLOT_LEASE_S, str(line_id), limit)
    return bool(taken)


def renew_slot(client: redis.Redis, tenant_id: uuid.UUID | str, line_id: uuid.UUID | str) -> None:
    client.zadd(_slots_key(tenant_id), {str(line_id): time.time() + SLOT_LEASE_S}, xx=True)


def release_slot(client: redis.Redis, tenant_id: uuid.UUID | str, line_id: uuid.UUID | str) -> None:
    client.zrem(_slots_key(tenant_id), str(line_id))


def slots_in_use(client: redis.Redis, tenant_id: uuid.UUID | str) -> int:
    key = _slots_key(tenant_id)
    client.zremrangebyscore(key, "-inf", time.time())
    return int(client.zcard(key))

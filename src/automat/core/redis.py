"""Redis clients (sync for workers and the pipeline logger, asyncio for the API)."""

from __future__ import annotations

from functools import lru_cache

import redis
import redis.asyncio as aioredis

from automat.config import get_settings
from automat.core.urls import redis_url


@lru_cache
def sync_client() -> redis.Redis:
    return redis.Redis.from_url(redis_url(get_settings()), decode_responses=True)


def async_client(url: str) -> aioredis.Redis:
    return aioredis.Redis.from_url(url, decode_responses=True)

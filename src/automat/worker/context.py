"""Per-process resources of a worker: the sync database and Redis, created on first use."""

from __future__ import annotations

from functools import lru_cache

from automat.config import get_settings
from automat.core.db import SyncDatabase
from automat.core.redis import sync_client


@lru_cache
def worker_db() -> SyncDatabase:
    return SyncDatabase(get_settings())


def reset() -> None:
    if worker_db.cache_info().currsize:
        worker_db().dispose()
    worker_db.cache_clear()
    sync_client.cache_clear()

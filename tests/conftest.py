"""Test session: real PostgreSQL and Redis, started once in a temp dir, migrated once.

Set ``AUTOMAT_TEST_DATABASE_URL`` / ``AUTOMAT_TEST_REDIS_URL`` to use servers of your own
instead (the database named by ``AUTOMAT_DATABASE_NAME``, default ``automat_test``, is created).
Tests stay independent by creating their own tenants and users (unique names), never by
relying on rows another test made.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

_STATE: dict[str, Any] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Start the servers before any test module is imported (the Celery app reads its URL then)."""
    if hasattr(config, "workerinput"):
        return
    root = Path(tempfile.mkdtemp(prefix="automat-test-"))
    _STATE["root"] = root
    os.environ["AUTOMAT_HOME"] = str(root / "home")
    os.environ.setdefault("AUTOMAT_DATABASE_NAME", "automat_test")
    os.environ["AUTOMAT_LOG_LEVEL"] = "WARNING"
    from automat.core.embedded import EmbeddedServices, start_postgres, start_redis

    services = EmbeddedServices(None, None, None, None)
    db_url = os.environ.get("AUTOMAT_TEST_DATABASE_URL")
    redis_url = os.environ.get("AUTOMAT_TEST_REDIS_URL")
    if not db_url:
        services.postgres, db_url = start_postgres(root / "pg")
    if not redis_url:
        services.redis, redis_url = start_redis(root / "redis")
    os.environ["AUTOMAT_DATABASE_URL"] = db_url
    os.environ["AUTOMAT_REDIS_URL"] = redis_url
    _STATE["services"] = services

    from automat.config import get_settings
    from automat.core.migrate import migrate

    get_settings.cache_clear()
    migrate(get_settings())


def pytest_unconfigure(config: pytest.Config) -> None:
    services = _STATE.pop("services", None)
    if services is not None:
        services.close()
    root = _STATE.pop("root", None)
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)


pytest_plugins = ["tests.support.fixtures"]


@pytest.fixture(scope="session")
def tmp_root() -> Path:
    root: Path = _STATE["root"]
    return root

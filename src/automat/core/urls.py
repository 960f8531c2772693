"""Derive the driver-specific connection URLs from the configured ones."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlalchemy.engine import URL, make_url

from automat.config import APP_DB_ROLE, Settings


def admin_url(settings: Settings, *, database: str | None = None) -> URL:
    """The owner/admin connection (migrations, role setup). Defaults to the configured database."""
    if not settings.database_url:
        raise RuntimeError("AUTOMAT_DATABASE_URL is not set and no embedded PostgreSQL was started")
    url = make_url(settings.database_url).set(drivername="postgresql+psycopg")
    return url.set(database=database if database is not None else settings.database_name)


def app_url(settings: Settings, *, driver: str = "asyncpg") -> URL:
    """Connection of the unprivileged application role (API and workers)."""
    if settings.app_database_url:
        url = make_url(settings.app_database_url)
    else:
        url = admin_url(settings).set(username=APP_DB_ROLE, password=app_db_password(settings))
    return url.set(drivername=f"postgresql+{driver}")


# libpq's TLS parameters (``?sslmode=verify-full&sslrootcert=/ca.pem``), which psycopg takes as
# they are. asyncpg takes none of them as keyword arguments (SQLAlchemy passes the query as such:
# ``connect() got an unexpected keyword argument 'sslmode'``), but reads them from a DSN.
LIBPQ_TLS_PARAMS = frozenset(
    {"sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslcrl", "ssl_min_protocol_version",
     "ssl_max_protocol_version", "sslnegotiation"}
)  # fmt: skip


def asyncpg_app_url(settings: Settings) -> tuple[URL, dict[str, Any]]:
    """The application role's URL for asyncpg and its ``connect_args``: the libpq TLS parameters
    of the configured URL go to asyncpg as a host-less DSN (``postgresql://?sslmode=…``) that it
    parses the way libpq does (its explicit host/user/… arguments take precedence), so one
    ``AUTOMAT_DATABASE_URL`` with ``sslmode=verify-full`` works for the API and the workers."""
    url = app_url(settings, driver="asyncpg")
    tls = {k: v for k, v in url.query.items() if k in LIBPQ_TLS_PARAMS}
    if not tls:
        return url, {}
    return url.difference_update_query(tls), {"dsn": "postgresql://?" + urlencode(tls, doseq=True)}


def app_db_password(settings: Settings) -> str:
    return settings.secret("app_db_password")


def redis_url(settings: Settings) -> str:
    if not settings.redis_url:
        raise RuntimeError("AUTOMAT_REDIS_URL is not set and no embedded Redis was started")
    return settings.redis_url


def celery_url(settings: Settings) -> str:
    """Kombu spells unix sockets ``redis+socket://``; redis-py spells them ``unix://``."""
    url = redis_url(settings)
    if url.startswith("unix://"):
        return "redis+socket://" + url.removeprefix("unix://")
    return url

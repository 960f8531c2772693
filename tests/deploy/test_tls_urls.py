"""TLS to PostgreSQL and Redis is configured in their URLs (docs/deploy.md): libpq's ``sslmode=`` /
``sslrootcert=`` for the database, ``rediss://`` with ``ssl_cert_reqs=`` for Redis. These URLs must
reach every driver the app uses: psycopg (workers, migrations), asyncpg (the API), redis-py and
Celery's broker."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import pytest
import redis
from celery import Celery
from sqlalchemy import text
from sqlalchemy.engine import make_url

from automat.config import Settings
from automat.core.db import AsyncDatabase, SyncDatabase
from automat.core.urls import asyncpg_app_url, celery_url, redis_url


def _with_query(url: str, **query: str) -> str:
    return make_url(url).update_query_dict(query).render_as_string(hide_password=False)


@pytest.fixture
def tls_settings(settings: Settings) -> Settings:
    """The session's database (a unix socket, where the drivers use no TLS) with libpq TLS parameters."""
    query = {"sslmode": "require"}
    cafile = ssl.get_default_verify_paths().cafile
    if cafile and Path(cafile).exists():
        query["sslrootcert"] = cafile
    return settings.model_copy(update={"database_url": _with_query(str(settings.database_url), **query)})


def test_api_and_workers_connect_with_libpq_tls_parameters(tls_settings: Settings) -> None:
    # asyncpg takes no `sslmode` keyword: without the translation the API could not connect at all.
    async def api_query() -> int:
        db = AsyncDatabase(tls_settings, pool_size=1)
        try:
            async with db.engine.connect() as conn:
                return int((await conn.execute(text("SELECT 1"))).scalar_one())
        finally:
            await db.dispose()

    assert asyncio.run(api_query()) == 1
    db = SyncDatabase(tls_settings, pool_size=1)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        db.dispose()


def test_asyncpg_gets_the_tls_parameters_as_a_dsn(settings: Settings) -> None:
    url = (
        "postgresql://automat:pw@db.internal:5432/automat?sslmode=verify-full&sslrootcert=/etc/automat/ca.pem"
    )
    url_, connect_args = asyncpg_app_url(settings.model_copy(update={"database_url": url}))
    assert "sslmode" not in url_.query and url_.host == "db.internal"
    assert connect_args == {"dsn": "postgresql://?sslmode=verify-full&sslrootcert=%2Fetc%2Fautomat%2Fca.pem"}
    plain, none = asyncpg_app_url(settings.model_copy(update={"database_url": "postgresql://a:b@db/automat"}))
    assert none == {} and plain.host == "db"


def test_rediss_url_reaches_redis_and_the_broker(settings: Settings) -> None:
    url = "rediss://:secret@redis.internal:6380/0?ssl_cert_reqs=required&ssl_ca_certs=/etc/automat/ca.pem"
    tls = Settings(redis_url=url)
    client = redis.Redis.from_url(redis_url(tls))
    assert client.connection_pool.connection_class is redis.SSLConnection
    assert client.connection_pool.connection_kwargs["ssl_ca_certs"] == "/etc/automat/ca.pem"
    broker = Celery(broker=celery_url(tls)).connection_for_write()
    assert broker.transport_cls == "rediss"
    assert broker.ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": "/etc/automat/ca.pem"}

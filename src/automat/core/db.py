"""Database engines and tenant-scoped sessions.

Every session that touches tenant data starts its transaction with
``SELECT set_config('app.current_tenant_id', <scope>, true)``: a tenant id, ``bypass`` for
global admins and system jobs, or nothing (then row-level security shows no rows at all).
The setting is transaction-local, so a pooled connection never carries it to the next user.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Final

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from automat.config import Settings
from automat.core import metrics
from automat.core.urls import app_url, asyncpg_app_url

BYPASS: Final = "bypass"
_SET_TENANT = text("SELECT set_config('app.current_tenant_id', :scope, true)")

TenantScope = uuid.UUID | str | None
"""A tenant id, the string ``bypass``, or None (no tenant: RLS hides every tenant row)."""


def scope_value(scope: TenantScope) -> str | None:
    if scope is None:
        return None
    if isinstance(scope, uuid.UUID):
        return str(scope)
    if scope == BYPASS:
        return BYPASS
    return str(uuid.UUID(scope))  # refuses anything that is neither a UUID nor "bypass"


def _watch_pool(engine: Engine, role: str) -> None:
    """Connections open and checked out, in the metrics (``automat_db_pool_connections_*``)."""
    in_use = metrics.DB_CONNECTIONS_IN_USE.labels(role)
    opened = metrics.DB_CONNECTIONS_OPEN.labels(role)
    event.listen(engine, "connect", lambda *_: opened.inc())
    event.listen(engine, "close", lambda *_: opened.dec())
    event.listen(engine, "checkout", lambda *_: in_use.inc())
    event.listen(engine, "checkin", lambda *_: in_use.dec())


class AsyncDatabase:
    """The API's engine (asyncpg, application role)."""

    def __init__(self, settings: Settings, *, pool_size: int = 10) -> None:
        url, connect_args = asyncpg_app_url(settings)
        self.engine: AsyncEngine = create_async_engine(
            url, pool_size=pool_size, pool_pre_ping=True, connect_args=connect_args
        )
        _watch_pool(self.engine.sync_engine, "api")
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self, scope: TenantScope) -> AsyncIterator[AsyncSession]:
        """One transaction with the tenant scope set; commits on success, rolls back on error."""
        async with self.sessionmaker() as session, session.begin():
            value = scope_value(scope)
            if value is not None:
                await session.execute(_SET_TENANT, {"scope": value})
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


class SyncDatabase:
    """The workers' engine (psycopg 3, application role)."""

    def __init__(self, settings: Settings, *, pool_size: int = 5) -> None:
        self.engine: Engine = create_engine(
            app_url(settings, driver="psycopg"), pool_size=pool_size, pool_pre_ping=True
        )
        _watch_pool(self.engine, "worker")
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self, scope: TenantScope) -> Iterator[Session]:
        with self.sessionmaker() as session, session.begin():
            value = scope_value(scope)
            if value is not None:
                session.execute(_SET_TENANT, {"scope": value})
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

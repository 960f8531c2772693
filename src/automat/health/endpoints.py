"""Health: is the database reachable, is Redis, and how many Celery workers answer a ping."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from automat.core.deps import PUBLIC, database

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)
CHECK_TIMEOUT_S = 3.0
PING_TIMEOUT_S = 1.0


async def _database_ok(request: Request) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S), database(request).engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:
        log.warning("health: database down: %s", exc)
        return "down"


async def _redis_ok(request: Request) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await request.app.state.redis.ping()
        return "ok"
    except Exception as exc:
        log.warning("health: redis down: %s", exc)
        return "down"


def _count_workers() -> int:
    from automat.worker.celery_app import celery_app

    replies = celery_app.control.ping(timeout=PING_TIMEOUT_S) or []
    return len(replies)


@router.get("/health", dependencies=[PUBLIC])
async def health(request: Request) -> JSONResponse:
    """200 when database, Redis and at least one worker answer; 503 naming what is down."""
    db, rd = await asyncio.gather(_database_ok(request), _redis_ok(request))
    workers = await asyncio.to_thread(_count_workers) if rd == "ok" else 0
    body: dict[str, Any] = {"status": "ok", "database": db, "redis": rd, "workers": workers}
    failing = [name for name, value in (("database", db), ("redis", rd)) if value != "ok"]
    if workers == 0:
        failing.append("workers")
    if failing:
        body["status"] = "down" if ("database" in failing or "redis" in failing) else "degraded"
        body["failing"] = failing
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)


@router.get("/health/live", dependencies=[PUBLIC])
async def live() -> dict[str, str]:
    """The process answers (for liveness probes; says nothing about its dependencies)."""
    return {"status": "ok"}

"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from automat import api, web
from automat.config import Settings, get_settings
from automat.core import errors
from automat.core.db import AsyncDatabase
from automat.core.logging import configure_logging
from automat.core.middleware import (
    BodySizeLimitMiddleware,
    RefuseUnstorableMiddleware,
    RequestMetricsMiddleware,
    TenantContextMiddleware,
)
from automat.core.redis import async_client
from automat.core.urls import redis_url

log = logging.getLogger(__name__)

# Streamed uploads enforce their own, larger limits.
UPLOAD_PREFIXES = ("/api/cad-files", "/api/imports", "/api/render-templates")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = AsyncDatabase(settings)
        app.state.redis = async_client(redis_url(settings))
        try:
            yield
        finally:
            await app.state.redis.aclose()
            await app.state.db.dispose()

    app = FastAPI(
        title="Automat",
        version="0.1.0",
        description="CAD files in, product media out.",
        lifespan=lifespan,
    )
    errors.install(app)
    api.register(app)
    web.mount(app, settings.web_dist)
    # The last added runs first:
    # RequestMetrics → UnexpectedErrorMiddleware → TenantContext → BodySizeLimit → RefuseUnstorable.
    app.add_middleware(RefuseUnstorableMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(
        BodySizeLimitMiddleware, limit=settings.max_body_bytes, exempt_prefixes=UPLOAD_PREFIXES
    )
    app.add_middleware(TenantContextMiddleware, secret=settings.secret("secret_key"))
    app.add_middleware(errors.UnexpectedErrorMiddleware)
    app.add_middleware(RequestMetricsMiddleware)
    return app

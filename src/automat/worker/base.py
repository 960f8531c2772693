"""Base tasks. Task arguments are ids plus ``tenant_id``; the task opens its own session.

``TenantTask`` refuses to run without a ``tenant_id`` keyword and only ever opens sessions
scoped to that tenant, so RLS confines it to the tenant it was sent for (the tasks that run
pipeline steps use its subclass ``pipeline.task.StepTask``, which adds their log).
``SystemTask`` is for installation-wide maintenance (beat) and is the only place a worker uses
``bypass``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import Task
from sqlalchemy.orm import Session

from automat.core.db import BYPASS
from automat.worker.context import worker_db


class MissingTenant(ValueError):
    pass


class TenantTask(Task):  # type: ignore[type-arg]
    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        tenant_id = kwargs.get("tenant_id")
        if not tenant_id:
            raise MissingTenant(f"{self.name} needs a tenant_id keyword argument")
        kwargs["tenant_id"] = str(uuid.UUID(str(tenant_id)))
        return super().__call__(*args, **kwargs)

    @contextmanager
    def tenant_session(self, tenant_id: str | uuid.UUID) -> Iterator[Session]:
        """One transaction confined to ``tenant_id`` by row-level security."""
        if not tenant_id or str(tenant_id) == BYPASS:
            raise MissingTenant("a tenant task needs a real tenant id")
        with worker_db().session(uuid.UUID(str(tenant_id))) as session:
            yield session


class SystemTask(Task):  # type: ignore[type-arg]
    abstract = True

    @contextmanager
    def system_session(self) -> Iterator[Session]:
        with worker_db().session(BYPASS) as session:
            yield session

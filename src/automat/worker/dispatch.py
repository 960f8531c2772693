"""Send Celery work only after the database transaction that asked for it has committed.

``enqueue_after_commit(session, "automat.x.tasks.y", tenant_id=..., ...)`` (or
``enqueue_canvas_after_commit`` for a chain/group) queues the message on the session; it is sent
when that session commits and dropped when it rolls back, so a worker never looks for a row
that is not there yet (or never will be). ``enqueue_for_tenant`` does the same for one tenant's
work, on the tenant's own copy of the task's queue where its ``tenant_config`` dedicates one
(``worker/queues.py``; the workflow executor routes its nodes the same way).
"""

from __future__ import annotations

import uuid
from typing import Any

from celery.canvas import Signature
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.transaction import on_commit, pending_commit_hooks
from automat.models.tenant import Tenant
from automat.worker.queues import DECLARED_QUEUES, dedicated_queues


def enqueue_after_commit(
    session: Session | AsyncSession, task_name: str, *, options: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    def send() -> None:
        from automat.worker.celery_app import celery_app

        celery_app.send_task(task_name, kwargs=kwargs, **(options or {}))

    on_commit(session, send)


async def enqueue_for_tenant(
    session: AsyncSession,
    task_name: str,
    tenant_id: uuid.UUID,
    *,
    options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """``enqueue_after_commit`` of ``task_name`` for ``tenant_id`` (sent as its ``tenant_id``), on
    the tenant's own queue where its config dedicates the task's queue to it."""
    queue = DECLARED_QUEUES[task_name]
    row = (
        await session.execute(select(Tenant.slug, Tenant.tenant_config).where(Tenant.id == tenant_id))
    ).first()
    own = dedicated_queues(row.slug, row.tenant_config or {}).get(queue) if row is not None else None
    routed = {**(options or {}), **({"queue": own} if own else {})}
    enqueue_after_commit(session, task_name, options=routed or None, tenant_id=str(tenant_id), **kwargs)


def enqueue_canvas_after_commit(session: Session | AsyncSession, canvas: Signature) -> None:
    on_commit(session, canvas.apply_async)


def pending(session: Session | AsyncSession) -> int:
    """How many after-commit actions the session holds (tasks among them)."""
    return pending_commit_hooks(session)

"""Send Celery work only after the database transaction that asked for it has committed.

``enqueue_after_commit(session, "automat.x.tasks.y", tenant_id=..., ...)`` (or
``enqueue_canvas_after_commit`` for a chain/group) queues the message on the session; it is sent
when that session commits and dropped when it rolls back, so a worker never looks for a row
that is not there yet (or never will be).
"""

from __future__ import annotations

from typing import Any

from celery.canvas import Signature
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.transaction import on_commit, pending_commit_hooks


def enqueue_after_commit(
    session: Session | AsyncSession, task_name: str, *, options: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    def send() -> None:
        from automat.worker.celery_app import celery_app

        celery_app.send_task(task_name, kwargs=kwargs, **(options or {}))

    on_commit(session, send)


def enqueue_canvas_after_commit(session: Session | AsyncSession, canvas: Signature) -> None:
    on_commit(session, canvas.apply_async)


def pending(session: Session | AsyncSession) -> int:
    """How many after-commit actions the session holds (tasks among them)."""
    return pending_commit_hooks(session)

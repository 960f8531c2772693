"""Send Celery work only after the database transaction that asked for it has committed.

``enqueue_after_commit(session, "automat.x.tasks.y", tenant_id=..., ...)`` buffers the message
on the session; it is sent when that session commits and dropped when it rolls back, so a
worker never looks for a row that is not there yet (or never will be).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "automat_pending_tasks"


@dataclass(frozen=True)
class PendingTask:
    name: str
    kwargs: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)


def enqueue_after_commit(
    session: Session | AsyncSession, task_name: str, *, options: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    session.info.setdefault(_KEY, []).append(PendingTask(task_name, kwargs, options or {}))


def pending(session: Session | AsyncSession) -> list[PendingTask]:
    return list(session.info.get(_KEY, []))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    tasks: list[PendingTask] = session.info.pop(_KEY, [])
    if not tasks:
        return
    from automat.worker.celery_app import celery_app

    for task in tasks:
        celery_app.send_task(task.name, kwargs=task.kwargs, **task.options)
        log.debug("sent %s after commit", task.name)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    dropped = session.info.pop(_KEY, [])
    if dropped:
        log.info("dropped %d task(s) whose transaction rolled back", len(dropped))

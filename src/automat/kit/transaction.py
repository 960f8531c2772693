"""Run code after the surrounding database transaction commits, or after it rolls back.

``on_commit(session, fn)`` queues ``fn`` on the session; it runs once the transaction has
committed (in the order queued) and is dropped on rollback. ``on_rollback`` is the mirror
(e.g. removing a file that was written for a row that will now never exist). Works for sync and
async sessions alike.

A hook that raises is logged and the next one runs: the transaction has committed, so an error
escaping ``commit()`` would tell the caller it failed when it did not (a caller that then
"compensates", e.g. marks a finished import failed, would make it wrong). A hook whose failure
matters keeps its own way back (the outbox's beat sweep, the stall recovery).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_COMMIT = "automat_on_commit"
_ROLLBACK = "automat_on_rollback"


def on_commit(session: Session | AsyncSession, fn: Callable[[], object]) -> None:
    session.info.setdefault(_COMMIT, []).append(fn)


def on_rollback(session: Session | AsyncSession, fn: Callable[[], object]) -> None:
    session.info.setdefault(_ROLLBACK, []).append(fn)


def pending_commit_hooks(session: Session | AsyncSession) -> int:
    return len(session.info.get(_COMMIT, []))


@event.listens_for(Session, "after_commit")
def _run_commit_hooks(session: Session) -> None:
    session.info.pop(_ROLLBACK, None)
    for fn in session.info.pop(_COMMIT, []):
        try:
            fn()
        except Exception:
            log.exception("an after-commit action failed (the transaction itself committed)")


@event.listens_for(Session, "after_rollback")
def _run_rollback_hooks(session: Session) -> None:
    dropped = session.info.pop(_COMMIT, [])
    if dropped:
        log.info("dropped %d after-commit action(s): the transaction rolled back", len(dropped))
    for fn in session.info.pop(_ROLLBACK, []):
        try:
            fn()
        except Exception:
            log.warning("an after-rollback action failed", exc_info=True)

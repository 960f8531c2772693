"""Transient failures: which errors may pass, and how long a node waits before it runs again.

A step that fails because something around it failed — the database or broker connection was
lost, the render host crashed — is run again after an exponential backoff (``task_retry_backoff_s``
doubling up to ``task_retry_backoff_cap_s``) until it has run ``task_retry_attempts`` times; the
executor queues it again (``executor.retry_later``), so each try is an attempt of its workflow node
and, for renders, of the job document's step. Everything else (an invalid CAD file, a missing
template, a render that Blender itself refused) fails the first time: running it again would
fail the same way.

A body that knows its failure is transient (the render task, for a crashed host) raises
``TransientFailure`` after it has recorded the attempt; ``NodeTask`` catches it like the
connection errors below.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import kombu.exceptions
import redis.exceptions
import sqlalchemy.exc
from sqlalchemy.orm import Session

from automat.settings.registry import SETTINGS
from automat.settings.service import read_tenant_value


class TransientFailure(Exception):
    """This attempt failed for a reason that may pass; the node runs again after a backoff."""


TRANSIENT: tuple[type[BaseException], ...] = (
    TransientFailure,
    ConnectionError,  # refused, reset, broken pipe
    TimeoutError,
    sqlalchemy.exc.OperationalError,  # lost connection, server shutting down, deadlock
    sqlalchemy.exc.InterfaceError,  # connection closed under the driver
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,  # the broker
)


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)


@dataclass(frozen=True)
class Policy:
    attempts: int  # runs in all, the first included
    backoff_s: float
    cap_s: float

    def delay_after(self, attempt: int) -> float | None:
        """The wait before the next run once run number ``attempt`` failed; None: no runs left."""
        if attempt >= self.attempts:
            return None
        return float(min(self.cap_s, self.backoff_s * 2 ** max(attempt - 1, 0)))


DEFAULT = Policy(
    attempts=SETTINGS["task_retry_attempts"].default,
    backoff_s=SETTINGS["task_retry_backoff_s"].default,
    cap_s=SETTINGS["task_retry_backoff_cap_s"].default,
)


def policy(session: Session, tenant_id: uuid.UUID) -> Policy:
    """The tenant's retry policy (its overrides, else the installation's values)."""
    return Policy(
        attempts=int(read_tenant_value(session, tenant_id, SETTINGS["task_retry_attempts"])),
        backoff_s=float(read_tenant_value(session, tenant_id, SETTINGS["task_retry_backoff_s"])),
        cap_s=float(read_tenant_value(session, tenant_id, SETTINGS["task_retry_backoff_cap_s"])),
    )

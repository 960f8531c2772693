"""Admin jobs whose worker was lost: found by their heartbeat, failed with a reason, action freed.

A running job's task touches its row (``updated_at``) every ``HEARTBEAT_S`` from a thread of its
own, whatever the item it works on, and every count or progress it writes touches it too. A worker
killed or a host lost stops that; the row would stay ``running`` for ever and the partial unique
index ``uq_admin_jobs_one_live`` would refuse the action for the tenant (409). ``recover`` marks a
running job whose heartbeat is older than the tenant's ``admin_job_stall_timeout_minutes`` failed,
with a reason a person understands, records an ``admin_action.stalled`` alert (the audit log's
alert channel) and tells the live channel; the action may then be started again. It runs from beat
every minute (``tasks.recover_stalled_admin_jobs``) and in the API before the actions are listed
or one is started, so a person never waits for beat. A job whose heartbeat is fresh is left alone,
however long it has been running.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from automat.admin_actions.schemas import job_event
from automat.core import events
from automat.core.redis import sync_client
from automat.kit.time import utcnow
from automat.kit.transaction import on_commit
from automat.models.admin_job import AdminJob, AdminJobState
from automat.notifications.service import alert_sync
from automat.settings.registry import SETTINGS
from automat.settings.service import read_tenant_value

log = logging.getLogger(__name__)

STALL_SETTING = SETTINGS["admin_job_stall_timeout_minutes"]
HEARTBEAT_S = 15.0  # well below the smallest threshold (1 min)


def stall_reason(minutes: int) -> str:
    return f"stalled: no progress for {minutes} min — the worker was probably lost; start it again"


def beat(session: Session, job_id: uuid.UUID) -> bool:
    """One heartbeat: the running job's row is touched (False once it is no longer running)."""
    result = session.execute(
        update(AdminJob)
        .where(AdminJob.id == job_id, AdminJob.state == AdminJobState.RUNNING.value)
        .values(updated_at=func.now())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


class Heartbeat:
    """While a job's task runs: ``beat`` every ``interval_s`` in a short transaction of its own."""

    def __init__(self, open_session: Any, job_id: uuid.UUID, interval_s: float = HEARTBEAT_S) -> None:
        self._open, self._job_id, self._interval = open_session, job_id, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"admin-job-heartbeat-{job_id}", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                with self._open() as session:
                    if not beat(session, self._job_id):
                        return  # finished, cancelled or recovered meanwhile
            except Exception:
                log.warning("admin job %s: heartbeat not recorded", self._job_id, exc_info=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def recover(
    session: Session, *, tenant_id: uuid.UUID | None = None, now: datetime | None = None
) -> list[AdminJob]:
    """Fail the running jobs (of one tenant, or all the session sees) whose heartbeat is older than
    their tenant's threshold; the jobs failed. Rows a live worker holds locked are skipped."""
    now = now or utcnow()
    stmt = select(AdminJob).where(AdminJob.state == AdminJobState.RUNNING.value)
    if tenant_id is not None:
        stmt = stmt.where(AdminJob.tenant_id == tenant_id)
    limits: dict[uuid.UUID, int] = {}
    recovered = []
    for job in session.scalars(stmt.order_by(AdminJob.updated_at).with_for_update(skip_locked=True)).all():
        if job.tenant_id not in limits:
            limits[job.tenant_id] = int(read_tenant_value(session, job.tenant_id, STALL_SETTING))
        silent = now - job.updated_at
        if silent < timedelta(minutes=limits[job.tenant_id]):
            continue
        minutes = int(silent.total_seconds() // 60)
        reason = stall_reason(minutes)
        heartbeat_at = job.updated_at.isoformat()
        log.warning("[ADMIN_JOB_RECOVERY] admin job %s (%s) %s", job.id, job.action, reason)
        job.state = AdminJobState.FAILED.value
        job.finished_at = now
        job.error = reason
        job.progress = {"stalled": {"minutes": minutes, "heartbeat_at": heartbeat_at}}
        alert_sync(
            session,
            tenant_id=job.tenant_id,
            action="admin_action.stalled",
            message=f"Maintenance action {job.action}: {reason}",
            target_type="admin_job",
            target_id=str(job.id),
            detail={
                "action": job.action, "minutes": minutes, "heartbeat_at": heartbeat_at,
                "done": job.done, "failed": job.failed, "total": job.total, "task_id": job.task_id,
            },
        )  # fmt: skip
        recovered.append(job)
    if recovered:
        session.flush()
        for job in recovered:
            session.refresh(job)
        published = [(job.tenant_id, job_event(job)) for job in recovered]

        def publish() -> None:
            client = sync_client()
            for tid, event in published:
                events.publish(client, tid, event)

        on_commit(session, publish)
    return recovered

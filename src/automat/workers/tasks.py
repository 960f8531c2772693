"""Beat's worker upkeep: ``apply_worker_concurrency`` (the pools follow ``worker_configs``,
``scaling.py``) and ``redeliver_lost_tasks`` (the tasks of a host that died, ``worker/lost.py``)."""

from __future__ import annotations

from sqlalchemy import select

from automat.core.redis import sync_client
from automat.models.audit import AuditLog
from automat.models.worker import WorkerConfig
from automat.notifications.service import alert_sync
from automat.worker import lost, status
from automat.worker.base import SystemTask
from automat.worker.celery_app import celery_app
from automat.worker.queues import STEP_QUEUE, declare_task
from automat.workers import scaling

APPLY_CONCURRENCY = declare_task("automat.workers.tasks.apply_worker_concurrency", queue=STEP_QUEUE)
REDELIVER_LOST = declare_task("automat.workers.tasks.redeliver_lost_tasks", queue=STEP_QUEUE)


@celery_app.task(base=SystemTask, bind=True, name=APPLY_CONCURRENCY)
def apply_worker_concurrency(self: SystemTask) -> list[dict[str, object]]:
    """Bring every online worker's pool to its configured target; each change is logged
    (``[WORKER_SCALING]``) and recorded as an installation-wide audit entry ``worker.scaled``."""
    with self.system_session() as session:
        configs = {
            c.queue_name: scaling.Bounds(c.min_concurrency, c.max_concurrency)
            for c in session.scalars(select(WorkerConfig))
        }
    if not configs:
        return []
    client = sync_client()
    try:
        workers = status.read_workers(client)
        lengths = status.queue_lengths(client, sorted(configs))
    finally:
        client.close()
    done = scaling.apply(scaling.plan(configs, workers, lengths), celery_app.control)
    if done:
        with self.system_session() as session:
            for change in done:
                session.add(
                    AuditLog(
                        tenant_id=None, channel="activity", action="worker.scaled", target_type="worker",
                        target_id=str(change["worker"]), detail=change,
                    )
                )  # fmt: skip
    return done


@celery_app.task(base=SystemTask, bind=True, name=REDELIVER_LOST)
def redeliver_lost_tasks(self: SystemTask) -> list[dict[str, object]]:
    """Workers gone offline while running tasks: their messages go back to the head of their
    queues for another worker (``worker/lost.py``), and global admins get an alert per worker."""
    client = sync_client()
    try:
        with celery_app.connection_for_write() as conn:
            qos = conn.default_channel.qos  # type: ignore[attr-defined]  # kombu's Redis channel
            found = lost.redeliver(client, qos.restore_by_tag)
    finally:
        client.close()
    report = [w.as_dict() for w in found]
    if any(w.redelivered for w in found):
        with self.system_session() as session:
            for worker in found:
                if not worker.redelivered:
                    continue
                alert_sync(
                    session,
                    tenant_id=None,
                    action="worker.lost",
                    message=(
                        f"[WORKER_RECOVERY] Worker {worker.name} on {worker.host or '?'} stopped answering; "
                        f"{len(worker.redelivered)} task(s) it was running were given to other workers"
                    ),
                    target_type="worker",
                    target_id=worker.name,
                    detail=worker.as_dict(),
                )
    return report

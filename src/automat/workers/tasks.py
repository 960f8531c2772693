"""Beat's ``apply_worker_concurrency``: the pools follow ``worker_configs`` (``scaling.py``)."""

from __future__ import annotations

from sqlalchemy import select

from automat.core.redis import sync_client
from automat.models.audit import AuditLog
from automat.models.worker import WorkerConfig
from automat.worker import status
from automat.worker.base import SystemTask
from automat.worker.celery_app import celery_app
from automat.worker.queues import STEP_QUEUE, declare_task
from automat.workers import scaling

APPLY_CONCURRENCY = declare_task("automat.workers.tasks.apply_worker_concurrency", queue=STEP_QUEUE)


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

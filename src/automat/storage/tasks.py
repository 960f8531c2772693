"""Storage maintenance on the step queue (beat)."""

from __future__ import annotations

from typing import Any

from celery.signals import worker_ready

from automat.core.storage import default_storage
from automat.storage import sweep
from automat.worker.base import SystemTask
from automat.worker.celery_app import celery_app
from automat.worker.queues import STEP_QUEUE, declare_task


@celery_app.task(
    base=SystemTask, bind=True, name=declare_task("automat.storage.tasks.sweep_temp", queue=STEP_QUEUE)
)
def sweep_temp(self: SystemTask) -> dict[str, Any]:
    """Delete temp files of ended processes older than ``temp_max_age_hours`` (never one in use)."""
    with self.system_session() as session:
        age = sweep.max_age_s(session)
    report = sweep.sweep(default_storage(), age)
    return {
        "removed": report.removed,
        "freed_bytes": report.freed_bytes,
        "kept_in_use": report.kept_in_use,
        "kept_young": report.kept_young,
    }


@worker_ready.connect
def _sweep_temp_at_start(**_: Any) -> None:
    """Temp folders of workers that were killed (not in use by anyone) go when a worker starts."""
    sweep.sweep_at_start()

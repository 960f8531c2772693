"""Maintenance of the pipeline log."""

from __future__ import annotations

import logging
from datetime import timedelta

from automat.kit.time import utcnow
from automat.pipeline import repository
from automat.settings.registry import SETTINGS
from automat.settings.service import read_system_value
from automat.worker.base import SystemTask
from automat.worker.celery_app import celery_app
from automat.worker.queues import STEP_QUEUE, declare_task

log = logging.getLogger(__name__)


@celery_app.task(
    base=SystemTask,
    name=declare_task("automat.pipeline.tasks.prune_pipeline_events", queue=STEP_QUEUE),
    bind=True,
)
def prune_pipeline_events(self: SystemTask) -> int:
    """Delete pipeline events older than the ``pipeline_event_retention_days`` setting."""
    with self.system_session() as session:
        days = int(read_system_value(session, SETTINGS["pipeline_event_retention_days"]))
        removed = repository.delete_events_before(session, utcnow() - timedelta(days=days))
    log.info("pruned %d pipeline events older than %d days", removed, days)
    return removed

"""``StepTask``: the base of the tasks that run pipeline steps (a ``TenantTask`` whose steps are
written to the pipeline log, ``pipeline_events``, and published live).

It lives here, not in ``worker/base.py``: the worker is the Celery plumbing below the pipeline
and imports nothing of it.
"""

from __future__ import annotations

import uuid

from automat.core.redis import sync_client
from automat.pipeline.logger import PipelineLogger
from automat.worker.base import TenantTask
from automat.worker.context import worker_db


class StepTask(TenantTask):
    abstract = True

    def pipeline_logger(self, tenant_id: str | uuid.UUID, *, job_id: str | None = None) -> PipelineLogger:
        task_id = self.request.id if self.request else None
        return PipelineLogger(
            tenant_id=tenant_id, db=worker_db(), redis_client=sync_client(), job_id=job_id, task_id=task_id
        )

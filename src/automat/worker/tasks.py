"""Worker-level tasks."""

from __future__ import annotations

import os
import socket
from typing import Any

from automat.worker.base import SystemTask
from automat.worker.celery_app import celery_app
from automat.worker.queues import STEP_QUEUE, declare_task


@celery_app.task(
    base=SystemTask, name=declare_task("automat.worker.tasks.whoami", queue=STEP_QUEUE), bind=True
)
def whoami(self: SystemTask) -> dict[str, Any]:
    """Which worker process runs tasks (diagnostics: `automat` CLI and tests)."""
    return {"hostname": socket.gethostname(), "pid": os.getpid(), "worker": self.request.hostname}

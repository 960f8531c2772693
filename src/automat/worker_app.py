"""The worker's composition root (as ``app.py`` is the API's): the Celery app with every task
module and the step declarations loaded.

``celery -A automat.worker_app:celery_app worker`` (and ``beat``) loads this module; ``automat
worker``, ``automat beat`` and ``automat up`` start them so. Importing a task module registers its
tasks on ``worker.celery_app``; the start-up hooks of a queue's work (the render host, the
conversion sandbox, the temp sweep) are connected by the modules that own that work. Nothing
imports this module, and ``worker/`` imports no domain: the dependencies point from here down.
"""

from __future__ import annotations

from typing import Any

from celery.signals import worker_init

from automat.admin_actions import tasks as admin_action_tasks
from automat.cad import tasks as cad_tasks
from automat.cad import thumbnail as cad_thumbnail
from automat.media import tasks as media_tasks
from automat.notifications import tasks as notification_tasks
from automat.orders import tasks as order_tasks
from automat.output_types import tasks as output_type_tasks
from automat.pipeline import tasks as pipeline_tasks
from automat.products import tasks as product_tasks
from automat.storage import tasks as storage_tasks
from automat.worker import heartbeat
from automat.worker import tasks as worker_tasks
from automat.worker.celery_app import celery_app
from automat.workers import blocklist as worker_blocklist
from automat.workers import tasks as worker_config_tasks
from automat.workflows.catalogue import steps

# Signal handlers: heartbeats, the running task, task outcomes in the metrics; the blocklist that
# node tasks ask before they run and tell how they ended (``pipeline.node_task.WorkerGuard``).
SIGNAL_MODULES = (heartbeat, worker_blocklist)

TASK_MODULES = (
    pipeline_tasks,
    worker_tasks,
    cad_tasks,
    cad_thumbnail,
    product_tasks,
    output_type_tasks,
    order_tasks,
    storage_tasks,
    notification_tasks,
    media_tasks,
    worker_config_tasks,
    admin_action_tasks,
)

__all__ = ["SIGNAL_MODULES", "TASK_MODULES", "celery_app"]


@worker_init.connect
def _load_step_declarations(**_: Any) -> None:
    """Every domain's step declarations (the registry the workflow executor dispatches from),
    loaded once in the main process before the pool forks."""
    steps()

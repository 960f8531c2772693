"""The Celery application: queues, routing, reliability settings and the beat schedule.

The queues and the routing by each task's declared queue are in ``queues.py``. Every task
acknowledges late and is requeued when its worker dies mid-task. The app is built on first
import from the settings of that moment (its broker URL), so modules that only name tasks
import ``queues.py`` and leave this one to the code that sends. The task modules are loaded by
the worker's composition root, ``automat/worker_app.py``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import Celery
from celery.signals import worker_process_init
from kombu import Queue

from automat.config import get_settings
from automat.core.urls import celery_url
from automat.worker.queues import QUEUES, STEP_QUEUE, base_queue, route_declared

# The one place the periodic work is declared.
BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "prune-pipeline-events": {
        "task": "automat.pipeline.tasks.prune_pipeline_events",
        "schedule": timedelta(hours=6),
    },
    "recover-stalled-renders": {
        "task": "automat.orders.tasks.recover_stalled_renders",
        "schedule": timedelta(minutes=1),
    },
    "recover-stalled-admin-jobs": {  # admin jobs whose worker was lost (admin_actions/stalls.py)
        "task": "automat.admin_actions.tasks.recover_stalled_admin_jobs",
        "schedule": timedelta(minutes=1),
    },
    "send-digests": {  # due hourly/daily digests, and every e-mail due (retries included)
        "task": "automat.notifications.tasks.send_digests",
        "schedule": timedelta(minutes=1),
    },
    "expire-media-downloads": {
        "task": "automat.media.tasks.expire_downloads",
        "schedule": timedelta(hours=1),
    },
    "apply-worker-concurrency": {  # pools follow worker_configs (workers/scaling.py)
        "task": "automat.workers.tasks.apply_worker_concurrency",
        "schedule": timedelta(seconds=get_settings().worker_scaling_interval_s),
    },
    "redeliver-lost-tasks": {  # a host that died: its tasks go to other workers (worker/lost.py)
        "task": "automat.workers.tasks.redeliver_lost_tasks",
        "schedule": timedelta(seconds=15),
    },
    "sweep-temp-files": {
        "task": "automat.storage.tasks.sweep_temp",
        "schedule": timedelta(hours=1),
    },
}


def create_celery() -> Celery:
    settings = get_settings()
    # Without a Redis URL (e.g. a tool importing the task modules) the app is built but cannot send.
    url = celery_url(settings) if settings.redis_url else None
    app = Celery("automat")
    app.conf.update(
        broker_url=url,
        result_backend=url,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_default_queue=STEP_QUEUE,
        task_queues=[Queue(q, routing_key=q) for q in QUEUES],
        task_routes=(route_declared,),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_track_started=True,
        result_expires=timedelta(days=1),
        broker_connection_retry_on_startup=True,
        # Long renders must not be redelivered while still running.
        broker_transport_options={"visibility_timeout": 6 * 3600},
        worker_hijack_root_logger=False,
        beat_schedule=BEAT_SCHEDULE,
        timezone="UTC",
    )
    return app


celery_app = create_celery()


def consumed(queue: str) -> list[str]:
    """The queues this worker takes that serve ``queue``: itself (named with ``-Q``, or no ``-Q``
    at all: then a worker takes every shared queue) and tenants' copies of it. For start-up hooks
    that prepare a queue's work."""
    return sorted(name for name in celery_app.amqp.queues.consume_from if base_queue(name) == queue)


@worker_process_init.connect
def _fresh_connections_after_fork(**_: Any) -> None:
    """A forked pool process must not reuse the parent's database or Redis sockets."""
    from automat.worker import context

    context.reset()

"""The Celery application: queues, routes, reliability settings and the beat schedule.

Queues:
- ``step_processing``: CAD conversion, metadata, Excel imports, maintenance (concurrency N)
- ``thumbnail_rendering``: Blender work, one task at a time per render host

Every task declares the queue it runs on, once, with its name (``declare_task``): where the
name constant is defined for its senders (``orders/dispatch.py``) or in the task's decorator. The
router looks the queue up by name, so a message sent by name (``send_task``, a signature in a
chain, ``enqueue_after_commit``) lands on the declared queue in a process that never imports the
task's module, such as the API. Every task acknowledges late and is requeued when its worker dies
mid-task.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import Celery
from celery.signals import worker_process_init
from kombu import Queue

from automat.config import get_settings
from automat.core.urls import celery_url

STEP_QUEUE = "step_processing"
RENDER_QUEUE = "thumbnail_rendering"
QUEUES = (STEP_QUEUE, RENDER_QUEUE)

# Task name -> the queue it runs on (``declare_task``).
DECLARED_QUEUES: dict[str, str] = {}

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
    "sweep-temp-files": {
        "task": "automat.storage.tasks.sweep_temp",
        "schedule": timedelta(hours=1),
    },
}


class UndeclaredTask(LookupError):
    """An ``automat.*`` task was sent from a process that never imported its declaration."""


def declare_task(name: str, *, queue: str) -> str:
    """Declare that the task called ``name`` runs on ``queue``; returns ``name`` for the constant
    or the decorator. Declaring it again with the same queue is harmless; another queue is refused."""
    if queue not in QUEUES:
        raise ValueError(f"{name}: unknown queue {queue!r}")
    known = DECLARED_QUEUES.setdefault(name, queue)
    if known != queue:
        raise ValueError(f"{name} is declared on {known} and on {queue}")
    return name


def route_declared(
    name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any
) -> dict[str, str] | None:
    """The declared queue of ``name``. Celery's own tasks (and tests' tasks) are not declared and
    go to the default queue; one of ours that is not declared here is a bug, refused loudly
    rather than sent to a queue whose workers may not be the ones it needs."""
    queue = DECLARED_QUEUES.get(name)
    if queue is not None:
        return {"queue": queue}
    if name.startswith("automat."):
        raise UndeclaredTask(f"{name} has no declared queue in this process (see declare_task)")
    return None


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


def consumes(queue: str) -> bool:
    """Whether this worker takes tasks from ``queue``: named with ``-Q``, or no ``-Q`` at all
    (then a worker takes every queue). For start-up hooks that prepare a queue's work."""
    return queue in celery_app.amqp.queues.consume_from


@worker_process_init.connect
def _fresh_connections_after_fork(**_: Any) -> None:
    """A forked pool process must not reuse the parent's database or Redis sockets."""
    from automat.worker import context

    context.reset()

"""The queues and which task runs on which: ``declare_task`` records it by task name, the
Celery app's router (``route_declared``) reads it.

- ``step_processing``: CAD conversion, metadata, Excel imports, maintenance (concurrency N)
- ``thumbnail_rendering``: Blender work, one task at a time per render host

A tenant whose config asks for it (``dedicated_render_queue``, ``dedicated_processing_queue``)
has its own copy of a queue, ``<tenant-slug>.<queue>`` (``tenant_queue``): the executor sends
that tenant's workflow nodes there, and only workers started for it (``automat worker --queue
demo.thumbnail_rendering``) take them — a contract customer's own GPU workers.

Every task declares the queue it runs on, once, with its name: where the name constant is
defined for its senders (``orders/dispatch.py``, ``cad/dispatch.py``) or in the task's decorator.
So a message sent by name (``send_task``, a signature in a chain, ``enqueue_after_commit``) lands
on the declared queue in a process that never imports the task's module, such as the API. This
module creates no Celery app, so declaring a name costs an import of nothing else.
"""

from __future__ import annotations

from typing import Any

STEP_QUEUE = "step_processing"
RENDER_QUEUE = "thumbnail_rendering"
QUEUES = (STEP_QUEUE, RENDER_QUEUE)

# The tenant config keys that give a tenant its own copy of a queue.
DEDICATED_KEYS = {RENDER_QUEUE: "dedicated_render_queue", STEP_QUEUE: "dedicated_processing_queue"}


def tenant_queue(slug: str, queue: str) -> str:
    """The tenant's own copy of ``queue`` (slugs have no dots; queue names neither)."""
    return f"{slug}.{queue}"


def base_queue(name: str) -> str | None:
    """The queue a queue name serves: a shared queue itself, ``<slug>.<queue>`` its queue; None
    for a name that is neither."""
    if name in QUEUES:
        return name
    slug, _, queue = name.rpartition(".")
    return queue if slug and queue in QUEUES else None


def dedicated_queues(slug: str, config: dict[str, Any]) -> dict[str, str]:
    """Shared queue -> the tenant's own copy, for the queues its ``tenant_config`` dedicates."""
    return {queue: tenant_queue(slug, queue) for queue, key in DEDICATED_KEYS.items() if config.get(key)}


# Task name -> the queue it runs on (``declare_task``).
DECLARED_QUEUES: dict[str, str] = {}


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

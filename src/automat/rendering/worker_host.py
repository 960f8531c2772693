"""The render host a ``thumbnail_rendering`` worker process owns (one per process, stopped when the
worker process ends).

It is started with the worker process (``worker_process_init``, in the process that runs the
tasks), not on the first job: Blender's import takes 1-1.5 s and its first render loads the
glTF importer, the Cycles kernels and the denoiser (another ~2 s here), which the first thumbnail
after a worker start would otherwise wait for. The start does not block the worker (Celery gives
a pool process 4 s to come up): the host is spawned and asked for a warm-up render, and the first
job waits only for whatever of that is left. A worker that does not take the render queue starts
no host; one started for any other reason (a test, a tool) still starts its host on first use.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from celery.signals import worker_process_init, worker_process_shutdown

from automat.config import get_settings
from automat.core.redis import sync_client
from automat.rendering.host_client import RenderHost
from automat.rendering.queue import ConsumerHeartbeat
from automat.rendering.spec import RenderJobSpec, thumbnail_spec
from automat.worker.celery_app import consumed
from automat.worker.queues import RENDER_QUEUE

_lock = threading.Lock()
_host: tuple[int, RenderHost] | None = None
_heartbeat: ConsumerHeartbeat | None = None  # this process takes the render queue (rendering/queue.py)


def worker_host() -> RenderHost:
    global _host
    with _lock:
        if _host is None or _host[0] != os.getpid():
            logs = get_settings().resolved_home() / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            grace = float(os.environ.get("AUTOMAT_RENDER_CANCEL_GRACE_S", "10"))
            host = RenderHost(
                log_path=logs / f"render-host-{os.getpid()}.log", grace_s=grace, die_with_parent=True
            )
            _host = (os.getpid(), host)
        return _host[1]


def warm_up_spec() -> RenderJobSpec:
    """What a new host renders first: the CAD thumbnail's settings (the job it runs most)."""
    return thumbnail_spec(job_id="warm-up", input_glb="warm-up.glb", output_path="warm-up.png")


@worker_process_init.connect
def _start_host(**_: Any) -> None:
    global _heartbeat
    queues = consumed(RENDER_QUEUE)  # the render queue, or a tenant's own copy of it
    if queues:
        worker_host().spawn(warm_up=warm_up_spec())
        _heartbeat = ConsumerHeartbeat(sync_client, queues=tuple(queues)).start()


@worker_process_shutdown.connect
def _stop_host(**_: Any) -> None:
    if _heartbeat is not None:
        _heartbeat.stop()
    if _host is not None and _host[0] == os.getpid():
        _host[1].kill()

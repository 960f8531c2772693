"""The render host a ``thumbnail_rendering`` worker process owns (one per process, started on
first use, stopped when the worker process ends)."""

from __future__ import annotations

import os
import threading
from typing import Any

from celery.signals import worker_process_shutdown

from automat.config import get_settings
from automat.rendering.host_client import RenderHost

_lock = threading.Lock()
_host: tuple[int, RenderHost] | None = None


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


@worker_process_shutdown.connect
def _stop_host(**_: Any) -> None:
    if _host is not None and _host[0] == os.getpid():
        _host[1].kill()

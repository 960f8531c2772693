"""The render host: ``python -m automat.blender.host`` (bpy module) or the same file under an
installed Blender (``blender -b --python host.py``).

Imports bpy once, then serves render jobs one after another: one ``RenderJobSpec`` JSON line per
job on stdin; progress and the ``RenderJobResult`` go back as JSON lines on the file descriptor
named by ``AUTOMAT_HOST_FD`` (Blender's own chatter stays on stdout/stderr). Each job starts from
an empty factory scene, so nothing leaks from one job into the next.

Besides render jobs the host answers operations, one JSON object with an ``op`` per line, looked
up in ``OPERATIONS``; the reply is one ``{"type": "result", "result": {"job_id", "status", ...}}``:

- ``{"op": "inspect_template", "job_id": ..., "path": ...}``: open a template ``.blend`` and
  report its cameras, anchor, objects and Blender version (``automat.blender.inspect``).
- ``{"op": "warm_up", "job_id": ..., "spec": {...}}``: render that job spec small on a cube the
  host makes itself, so the first real job finds Blender's lazily loaded parts loaded
  (``automat.blender.warm_up``).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any


def _channel() -> Any:
    fd = int(os.environ["AUTOMAT_HOST_FD"])
    return os.fdopen(fd, "w", buffering=1, encoding="utf-8")


def _inspect_template(message: dict[str, Any]) -> dict[str, Any]:
    from automat.blender.inspect import inspect_template

    return inspect_template(str(message["path"]))


def _warm_up(message: dict[str, Any]) -> dict[str, Any]:
    from automat.blender.warm_up import warm_up

    return warm_up(message)


OPERATIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "inspect_template": _inspect_template,
    "warm_up": _warm_up,
}


def _operation(line: str) -> dict[str, Any] | None:
    """The line as an operation (a JSON object with ``op``), or None for a render job spec."""
    try:
        message = json.loads(line)
    except ValueError:
        return None
    return message if isinstance(message, dict) and "op" in message else None


def _run_operation(message: dict[str, Any]) -> dict[str, Any]:
    job_id = str(message.get("job_id") or "?")
    handler = OPERATIONS.get(str(message["op"]))
    if handler is None:
        return {"job_id": job_id, "status": "failed", "error": f"unknown operation {message['op']!r}"}
    try:
        result = handler(message)
    except Exception as exc:
        traceback.print_exc()
        result = {"status": "failed", "error": f"{exc.__class__.__name__}: {exc}".strip()}
    return {**result, "job_id": job_id}


def _progress_sender(send: Callable[[dict[str, Any]], None], job_id: str) -> Any:
    """The job's progress callback: ``(phase, fraction, message, **counts)`` as one JSON line.

    ``counts``: ``frame``/``frames`` for a turntable (the frame being rendered, 1-based),
    ``sample``/``samples`` for Cycles' passes over the current image."""

    def progress(phase: str, fraction: float | None = None, message: str = "", **counts: int) -> None:
        event = {"phase": phase, "fraction": fraction, "message": message, **counts}
        send({"type": "progress", "job_id": job_id, **event})

    return progress


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this host when the process that started it dies (a worker process
    killed mid-render must not leave Blender rendering for nobody). Opt-in: the owner sets
    ``AUTOMAT_HOST_PARENT`` to its pid; a parent already gone means exit now."""
    parent = os.environ.get("AUTOMAT_HOST_PARENT")
    if not parent or not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != int(parent):
        os._exit(1)


def main() -> int:
    _die_with_parent()
    channel = _channel()

    def send(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message, default=str) + "\n")
        channel.flush()

    started = time.perf_counter()
    import bpy

    from automat.blender import render_job
    from automat.rendering.spec import RenderJobResult, RenderJobSpec

    send(
        {
            "type": "ready",
            "pid": os.getpid(),
            "blender": bpy.app.version_string,
            "startup_s": round(time.perf_counter() - started, 3),
        }
    )
    for line in sys.stdin:
        if not line.strip():
            continue
        operation = _operation(line)
        if operation is not None:
            send({"type": "result", "result": _run_operation(operation)})
            continue
        try:
            spec = RenderJobSpec.model_validate_json(line)
        except ValueError as exc:
            failed = {"job_id": "?", "status": "failed", "error": f"bad job spec: {exc}"}
            send({"type": "result", "result": failed})
            continue

        try:
            result = render_job.run(spec, _progress_sender(send, spec.job_id))
        except Exception as exc:
            traceback.print_exc()
            result = RenderJobResult(
                job_id=spec.job_id, status="failed", error=f"{exc.__class__.__name__}: {exc}".strip()
            )
        send({"type": "result", "result": result.model_dump(mode="json")})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

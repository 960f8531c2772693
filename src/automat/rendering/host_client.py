"""The platform's side of a render host: start it, feed it jobs, relay progress, cancel for real.

A ``RenderHost`` owns one long-lived Blender process in its own process group. ``run`` sends one
job and waits for its result, passing progress events to a callback. A cancel (a
``threading.Event`` set by whoever wants it) SIGTERMs the host's process group, SIGKILLs it after
the grace period, removes partial outputs and ``_frames_*`` folders and reports ``cancelled``;
a host that dies mid-job fails that job with a clear error. Either way the next job gets a
fresh host.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from automat.core import metrics
from automat.rendering.process import kill_group
from automat.rendering.spec import RenderJobResult, RenderJobSpec

log = logging.getLogger(__name__)
Progress = Callable[[dict[str, Any]], None]
HOST_SCRIPT = Path(__file__).resolve().parents[1] / "blender" / "host.py"
SRC_ROOT = Path(__file__).resolve().parents[2]


class RenderHostError(Exception):
    pass


def frames_dir(spec: RenderJobSpec) -> Path:
    """Where a turntable's frames are rendered before encoding (removed afterwards or on cancel)."""
    return Path(spec.output_path).parent / f"_frames_{spec.job_id}"


def poster_path(spec: RenderJobSpec) -> Path:
    out = Path(spec.output_path)
    return out.with_name(f"{out.stem}.poster.png")


def coverage_mask_path(spec: RenderJobSpec) -> Path:
    """The small mask render that measures how much of the frame the model covers (deleted after)."""
    out = Path(spec.output_path)
    return out.with_name(f"_coverage_{spec.job_id}.png")


def shadow_pass_path(spec: RenderJobSpec) -> Path:
    """The floor's shadow rendered on its own, small (``spec.shadow_pass_px``; deleted after)."""
    out = Path(spec.output_path)
    return out.with_name(f"_shadow_{spec.job_id}.png")


def remove_partial_outputs(spec: RenderJobSpec) -> None:
    Path(spec.output_path).unlink(missing_ok=True)
    poster_path(spec).unlink(missing_ok=True)
    coverage_mask_path(spec).unlink(missing_ok=True)
    shadow_pass_path(spec).unlink(missing_ok=True)
    for folder in Path(spec.output_path).parent.glob(f"_frames_{spec.job_id}*"):
        shutil.rmtree(folder, ignore_errors=True)


class RenderHost:
    def __init__(
        self,
        *,
        blender_binary: str | None = None,
        log_path: Path | None = None,
        grace_s: float = 10.0,
        start_timeout_s: float = 180.0,
        die_with_parent: bool = False,
    ) -> None:
        # True for hosts owned by a worker process: the host is killed when that process dies.
        # Only for owners that start and use the host from their main thread (Linux ties the
        # signal to the starting thread).
        self.die_with_parent = die_with_parent
        self.blender_binary = (
            blender_binary if blender_binary is not None else os.environ.get("AUTOMAT_BLENDER_BINARY")
        )
        self.log_path = log_path
        self.grace_s = grace_s
        self.start_timeout_s = start_timeout_s
        self._proc: subprocess.Popen[bytes] | None = None
        self._channel: IO[bytes] | None = None
        self._pending = b""  # bytes read from the channel past the last complete line
        self._ready = False  # the host said it is ready (bpy imported)
        self.info: dict[str, Any] = {}
        self.jobs_run = 0
        self._spawned = False  # a host was started before (the next start is a restart)

    # -- lifecycle -----------------------------------------------------------------------------
    def _argv(self) -> list[str]:
        if self.blender_binary:
            # An installed Blender 5.0.1 runs the same host file with its own Python.
            return [
                self.blender_binary,
                "-b",
                "--factory-startup",
                "--python-exit-code",
                "1",
                "--python",
                str(HOST_SCRIPT),
            ]
        return [sys.executable, "-m", "automat.blender.host"]

    def spawn(self, *, warm_up: RenderJobSpec | None = None) -> None:
        """Start the host process and return at once (``start`` waits until it is ready).

        ``warm_up``: a job spec the host renders small, on a cube of its own, right after it has
        started (``automat.blender.warm_up``), so that the first real job does not pay for what
        Blender loads on first use. Nobody waits for its result; a job sent meanwhile queues
        behind it."""
        if self.alive:
            return
        if self._spawned:  # the host died or was killed (a cancel): this is a restart
            metrics.RENDER_HOST_RESTARTS.inc()
        self._spawned = True
        read_fd, write_fd = os.pipe()
        env = {**os.environ, "AUTOMAT_HOST_FD": str(write_fd)}
        if self.die_with_parent:
            env["AUTOMAT_HOST_PARENT"] = str(os.getpid())
        if self.blender_binary:
            env["PYTHONPATH"] = os.pathsep.join([str(SRC_ROOT), *sys.path[1:]])
        log_file: Any = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(  # noqa: S603 (our interpreter / the configured Blender)
                self._argv(),
                stdin=subprocess.PIPE,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                env=env,
                start_new_session=True,
            )
        finally:
            os.close(write_fd)
            if log_file is not subprocess.DEVNULL:
                log_file.close()
        self._channel = os.fdopen(read_fd, "rb", buffering=0)  # unbuffered: select() sees all
        self._pending = b""
        self._ready = False
        if warm_up is not None:
            assert self._proc.stdin is not None
            request = {"op": "warm_up", "job_id": f"warm-up-{uuid.uuid4().hex[:12]}"}
            line = json.dumps({**request, "spec": warm_up.model_dump(mode="json")}) + "\n"
            self._proc.stdin.write(line.encode())  # read by the host once bpy is imported
            self._proc.stdin.flush()

    def start(self) -> float:
        """Start the host if it is not running and wait until it is ready.

        Returns the seconds spent doing so: 0.0 when the host was ready already."""
        if self.alive and self._ready:
            return 0.0
        started = time.monotonic()
        self.spawn()
        hello = self._read(0.0)  # a host spawned earlier may have said so already
        waited = 0.0 if hello is not None else None
        hello = hello or self._read(self.start_timeout_s)
        if hello is None or hello.get("type") != "ready":
            self.kill()
            raise RenderHostError("the render host did not start (see its log)")
        self._ready = True
        self.info = hello
        log.info(
            "render host %s ready (Blender %s, %.1f s)",
            hello["pid"],
            hello.get("blender"),
            hello["startup_s"],
        )
        return waited if waited is not None else time.monotonic() - started

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.alive else None  # type: ignore[union-attr]

    def kill(self) -> bool:
        """Stop the host's whole process group (SIGTERM, then SIGKILL after the grace period)."""
        proc, self._proc = self._proc, None
        self._ready = False
        forced = False
        if proc is not None:
            forced = kill_group(proc.pid, grace_s=self.grace_s, proc=proc)
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        self._pending = b""
        return forced

    close = kill

    def __enter__(self) -> RenderHost:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

    # -- jobs ----------------------------------------------------------------------------------
    def _read(self, timeout_s: float | None) -> dict[str, Any] | None:
        """The next message, None after ``timeout_s`` without one, or ``{"type": "eof"}``.

        The channel is read unbuffered into our own buffer: a buffered ``readline`` may swallow
        several lines at once, and ``select`` cannot see lines already sitting in that buffer.
        """
        assert self._channel is not None
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while b"\n" not in self._pending:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            with selectors.DefaultSelector() as sel:
                sel.register(self._channel, selectors.EVENT_READ)
                if not sel.select(remaining):
                    return None
            chunk = os.read(self._channel.fileno(), 65536)
            if not chunk:
                return {"type": "eof"}
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        message: dict[str, Any] = json.loads(line)
        return message

    def run(
        self,
        spec: RenderJobSpec,
        *,
        on_progress: Progress | None = None,
        cancel: threading.Event | None = None,
        timeout_s: float | None = None,
    ) -> RenderJobResult:
        """Run one job; a cancel, a timeout or a dead host yields a result, never a hang.

        A job that had to start the host, or wait for one still starting, says so in its
        timings: ``host_start`` (seconds)."""
        waited = self.start()
        assert self._proc is not None
        assert self._proc.stdin is not None
        started = time.monotonic()
        self._proc.stdin.write((spec.model_dump_json() + "\n").encode())
        self._proc.stdin.flush()
        self.jobs_run += 1
        while True:
            if cancel is not None and cancel.is_set():
                return self._abort(spec, "cancelled", "cancelled")
            if timeout_s is not None and time.monotonic() - started > timeout_s:
                return self._abort(spec, "failed", f"render timed out after {timeout_s:g} s")
            message = self._read(0.2)
            if message is None:
                continue
            owner = message["result"].get("job_id") if message["type"] == "result" else message.get("job_id")
            if message["type"] in ("progress", "result") and owner not in (spec.job_id, "?"):
                continue  # left over from an earlier job whose caller stopped waiting
            if message["type"] == "progress" and on_progress is not None:
                on_progress(message)
            elif message["type"] == "result":
                result = RenderJobResult.model_validate(message["result"])
                if waited:
                    result.timings["host_start"] = round(waited, 4)
                return result
            elif message["type"] == "eof":
                return self._died(spec)

    def inspect_template(self, path: Path | str, *, timeout_s: float = 120.0) -> dict[str, Any]:
        """Open a template ``.blend`` in the host and return its report (``automat.blender.inspect``).

        ``status`` is "completed" (with cameras, has_anchor, objects, blender_version, ...) or
        "failed" with an ``error``: an unreadable file, a timeout (the host is stopped) or a host
        that died opening it (the next job gets a fresh one)."""
        self.start()
        assert self._proc is not None
        assert self._proc.stdin is not None
        job_id = f"inspect-{uuid.uuid4().hex[:12]}"
        request = {"op": "inspect_template", "job_id": job_id, "path": str(path)}
        deadline = time.monotonic() + timeout_s
        try:
            self._proc.stdin.write((json.dumps(request) + "\n").encode())
            self._proc.stdin.flush()
            dead = False
        except BrokenPipeError:
            dead = True
        while not dead:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                error = f"inspection timed out after {timeout_s:g} s"
                return {"job_id": job_id, "status": "failed", "error": error}
            message = self._read(min(remaining, 1.0))
            if message is None:
                continue
            if message["type"] == "result" and message["result"].get("job_id") == job_id:
                return dict(message["result"])
            dead = message["type"] == "eof"
        proc = self._proc
        code = proc.wait() if proc is not None else None
        self.kill()
        how = (
            f"was killed by {signal.Signals(-code).name}"
            if code is not None and code < 0
            else f"exited ({code})"
        )
        return {"job_id": job_id, "status": "failed", "error": f"Blender {how} while opening the file"}

    def _abort(self, spec: RenderJobSpec, status: str, error: str) -> RenderJobResult:
        forced = self.kill()
        remove_partial_outputs(spec)
        note = " (SIGKILL after the grace period)" if forced else ""
        log.info("render %s %s%s; host stopped", spec.job_id, status, note)
        return RenderJobResult(job_id=spec.job_id, status=status, error=error)

    def _died(self, spec: RenderJobSpec) -> RenderJobResult:
        proc = self._proc
        code = proc.wait() if proc is not None else None
        self.kill()
        remove_partial_outputs(spec)
        if code is not None and code < 0:
            how = f"was killed by {signal.Signals(-code).name}"
            if -code == signal.SIGKILL:
                how += " (out of memory, or stopped from outside)"
        else:
            how = f"exited with status {code}"
        return RenderJobResult(
            job_id=spec.job_id, status="failed", error=f"the render host {how}; job not rendered",
            host_crashed=True,
        )  # fmt: skip

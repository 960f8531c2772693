"""The converter process of the sandbox: ``python -m automat.cad.sandbox_zygote``.

It loads OpenCASCADE (cascadio's C extension, ~0.1 s; see ``load_converter``) once, refuses
sockets from then on, and serves one JSON request per line on stdin, each in a child process of
its own that caps its address space, sends its output to a log file and converts; the zygote
waits for the child up to the timeout, kills it if needed, and answers one JSON line on stdout.

The child for the next request is forked ahead of time (a "spare") and warms up while nobody
waits: a fresh OpenCASCADE process pays ~20 ms on its first STEP read (the reader's tables), and
the fork of the converter ~5-10 ms; in ``bench/cad_convert`` that made a sandboxed conversion
15-25 % slower than one in-process. The spare reads a built-in STEP file with no geometry (never
an upload), then blocks until its request comes; it converts exactly one file and exits, so every
uploaded file is still read by a process that has seen no other upload. The zygote itself never
runs OpenCASCADE: a process that has (its thread pool started) cannot be forked safely.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import resource
import select
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_MEMORY = 0, 2, 3
WARM_UP_STEP = b"""ISO-10303-21;
HEADER;
FILE_DESCRIPTION(('automat converter warm-up'),'2;1');
FILE_NAME('warm-up.step','2026-01-01T00:00:00',(''),(''),'','','');
FILE_SCHEMA(('AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }'));
ENDSEC;
DATA;
#1=APPLICATION_PROTOCOL_DEFINITION('international standard','automotive_design',2000,#2);
#2=APPLICATION_CONTEXT('core data for automotive mechanical design processes');
#3=PRODUCT('warm_up','warm_up','',(#4));
#4=PRODUCT_CONTEXT('',#2,'mechanical');
ENDSEC;
END-ISO-10303-21;
"""


def load_converter() -> Any:
    """cascadio's C extension (``cascadio._core``: ``step_to_glb``) without its package.

    ``import cascadio`` also imports its trimesh plug-in, which imports trimesh: ~1.8 s of the
    ~2 s the converter took to start, and half of its memory (~130 MB, which every fork copies
    page tables for), for code the converter never runs. Falls back to the package if the
    extension is not where cascadio 0.1 keeps it."""
    try:
        spec = importlib.util.find_spec("cascadio")  # finds the package without running it
        folders = list(spec.submodule_search_locations or []) if spec else []
        path = next(p for folder in folders for p in sorted(Path(folder).glob("_core.*.so")))
        loader = importlib.machinery.ExtensionFileLoader("cascadio._core", str(path))
        core = importlib.util.spec_from_loader("cascadio._core", loader)
        if core is None:
            raise ImportError("no spec for cascadio._core")
        module = importlib.util.module_from_spec(core)
        loader.exec_module(module)
        return module
    except (ImportError, StopIteration, OSError):
        import cascadio

        return cascadio


_converter: Any = None  # set by serve(); inherited by every child


def _no_network(event: str, args: tuple[Any, ...]) -> None:
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo", "socket.__new__"):
        raise PermissionError(f"network access is not allowed in the conversion sandbox ({event})")


def _child(request: dict[str, Any], log_fd: int) -> None:
    """Runs in the forked child; never returns."""
    code = EXIT_ERROR
    try:
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        limit = int(request["memory_mb"]) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        converter = _converter or load_converter()
        converter.step_to_glb(
            request["input"],
            request["output"],
            tol_linear=float(request["tol_linear"]),
            tol_angular=float(request["tol_angular"]),
            tol_relative=bool(request.get("tol_relative", False)),
        )
        code = EXIT_OK
    except MemoryError:
        code = EXIT_MEMORY
    except BaseException as exc:
        os.write(2, f"\nautomat-sandbox: {exc.__class__.__name__}: {exc}\n".encode())
    finally:
        os._exit(code)


def _wait(pid: int, timeout_s: float) -> tuple[str, int]:
    """Reap the child, killing it after ``timeout_s``; wakes up the moment it exits (a pidfd
    becomes readable then), where polling would add up to its interval to every conversion."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux ≥ 5.3: poll
        return _wait_polling(pid, timeout_s)
    try:
        exited = bool(select.select([fd], [], [], timeout_s)[0])
    finally:
        os.close(fd)
    if not exited:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if not exited:
        return "timeout", 0
    if os.WIFSIGNALED(status):
        return "signaled", os.WTERMSIG(status)
    return "exited", os.WEXITSTATUS(status)


def _wait_polling(pid: int, timeout_s: float) -> tuple[str, int]:
    deadline = time.monotonic() + timeout_s
    delay = 0.002
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            if os.WIFSIGNALED(status):
                return "signaled", os.WTERMSIG(status)
            return "exited", os.WEXITSTATUS(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout", 0
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


class _Spare:
    """A forked child waiting for its one request (``_spare_main``), with its log file."""

    def __init__(self, warm_up: str) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by output())
        read_fd, self.requests = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.requests)
            _spare_main(read_fd, self.log.fileno(), warm_up)
        os.close(read_fd)

    def alive(self) -> bool:
        return os.waitpid(self.pid, os.WNOHANG)[0] == 0

    def send(self, request: dict[str, Any]) -> None:
        os.write(self.requests, json.dumps(request).encode())
        os.close(self.requests)

    def output(self) -> str:
        self.log.seek(0)
        text = self.log.read()[-8000:].decode("utf-8", errors="replace")
        self.log.close()
        return text


def _spare_main(requests_fd: int, log_fd: int, warm_up: str) -> None:
    """Runs in the spare child; never returns. Warm up, wait for the request, convert."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # not the zygote's pipes: only the zygote talks to the platform
            os.dup2(null, fd)
        _converter.step_to_glb(warm_up, warm_up + ".glb", tol_linear=1.0)  # no geometry: writes nothing
        chunks = []
        while chunk := os.read(requests_fd, 65536):
            chunks.append(chunk)
    except BaseException:
        os._exit(EXIT_ERROR)
    if not chunks:  # the zygote is gone or shutting down
        os._exit(EXIT_OK)
    _child(json.loads(b"".join(chunks)), log_fd)


def _ready_spare(spare: _Spare | None, warm_up: str) -> _Spare:
    """The spare, or a new one if it is missing or died while waiting (killed from outside)."""
    if spare is not None and spare.alive():
        return spare
    if spare is not None:
        spare.log.close()
        os.close(spare.requests)
    return _Spare(warm_up)


def serve() -> None:
    global _converter
    _converter = load_converter()  # warm: every child starts with it loaded

    sys.addaudithook(_no_network)
    isolated = os.environ.get("AUTOMAT_SANDBOX_NETNS") == "1"
    with tempfile.TemporaryDirectory(prefix="automat-sandbox-") as scratch:
        warm_up = os.path.join(scratch, "warm-up.step")
        with open(warm_up, "wb") as f:
            f.write(WARM_UP_STEP)
        spare = _Spare(warm_up)
        print(json.dumps({"ready": True, "pid": os.getpid(), "network_isolated": isolated}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            started = time.perf_counter()
            child = _ready_spare(spare, warm_up)
            child.send(request)
            status, value = _wait(child.pid, float(request["timeout_s"]))
            output = child.output()
            reply = {
                "id": request.get("id"),
                "child_pid": child.pid,
                "status": status,
                "value": value,
                "duration_s": round(time.perf_counter() - started, 4),
                "log": output,
                "network_isolated": isolated,
            }
            print(json.dumps(reply), flush=True)
            spare = _Spare(warm_up)  # the next request's child warms up while the caller goes on


if __name__ == "__main__":
    serve()

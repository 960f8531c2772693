"""The converter process of the sandbox: ``python -m automat.cad.sandbox_zygote``.

It imports OpenCASCADE (``cascadio``, ~1 s) once, refuses sockets from then on, and serves one
JSON request per line on stdin: for each it forks a child that caps its own address space,
sends its output to a log file and converts; the zygote waits for the child up to the timeout,
kills it if needed, and answers one JSON line on stdout. Forking a warm process costs
milliseconds, so the sandbox adds almost nothing to a conversion.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_MEMORY = 0, 2, 3


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
        import cascadio

        cascadio.step_to_glb(
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


def serve() -> None:
    import cascadio  # noqa: F401  (warm: every child starts with it loaded)

    sys.addaudithook(_no_network)
    isolated = os.environ.get("AUTOMAT_SANDBOX_NETNS") == "1"
    print(json.dumps({"ready": True, "pid": os.getpid(), "network_isolated": isolated}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        with tempfile.TemporaryFile() as log:
            started = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                _child(request, log.fileno())
            status, value = _wait(pid, float(request["timeout_s"]))
            log.seek(0)
            output = log.read()[-8000:].decode("utf-8", errors="replace")
        reply = {
            "id": request.get("id"),
            "status": status,
            "value": value,
            "duration_s": round(time.perf_counter() - started, 4),
            "log": output,
            "network_isolated": isolated,
        }
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    serve()

"""Run a parser of untrusted input in a child process with a memory cap and a timeout.

A hostile file (a spreadsheet that declares a billion cells, a zip that inflates to gigabytes)
can make a parser allocate without bound or run forever. Parsed in the API or a worker process,
it takes that process down, and everything it serves with it. ``run_module`` starts
``python -m <module>`` instead: the child caps its own address space (``RLIMIT_AS``) before it
reads the request (JSON on stdin) and answers with JSON on stdout. Whatever
happens in it reaches the caller as one of three outcomes:

- the answer (a dict), or the child's own ``AutomatError`` re-raised with its status and code;
- ``CappedFailure("memory")``: the child ran out of its memory cap;
- ``CappedFailure("timeout")``: it ran past the timeout and was killed;
- ``CappedFailure("crashed")``: it died another way (signal, exit code), with its last words.

The child side is ``child_main(handler)``: ``if __name__ == "__main__": child_main(handle)``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import queue
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from automat.kit.errors import AutomatError

MEMORY_ENV = "AUTOMAT_CAPPED_MEMORY_MB"
EXIT_OUT_OF_MEMORY = 75  # the child's own MemoryError
_OOM_MARKERS = ("memory allocation of", "MemoryError", "Cannot allocate memory", "std::bad_alloc")

FailureKind = Literal["memory", "timeout", "crashed"]


@dataclass(frozen=True)
class CapLimits:
    timeout_s: float
    memory_mb: int


class CappedFailure(Exception):
    """The child produced no answer; ``kind`` says why, ``detail`` is its last words."""

    def __init__(self, kind: FailureKind, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind: FailureKind = kind
        self.detail = detail


class ChildError(AutomatError):
    """An ``AutomatError`` of the child whose class the parent cannot rebuild (status kept)."""

    def __init__(self, *, status_code: int, code: str, message: str, details: Any) -> None:
        super().__init__(message, details=details, code=code)
        self.status_code = status_code


def _rebuild(err: dict[str, Any]) -> AutomatError:
    """The child's ``AutomatError`` as the same class in the parent (``except BadExcel`` works
    across the process boundary), else a ``ChildError`` with the same status and code."""
    module_name, _, name = str(err.get("type", "")).rpartition(".")
    cls: Any = None
    if module_name.split(".")[0] == "automat":
        with contextlib.suppress(ImportError):
            cls = getattr(importlib.import_module(module_name), name, None)
    if isinstance(cls, type) and issubclass(cls, AutomatError) and cls.status_code == err["status_code"]:
        exc = cls.__new__(cls)
        AutomatError.__init__(exc, str(err["message"]), details=err.get("details"), code=str(err["code"]))
        return exc
    return ChildError(
        status_code=int(err["status_code"]), code=str(err["code"]), message=str(err["message"]),
        details=err.get("details"),
    )  # fmt: skip


def run_module(module: str, request: dict[str, Any], limits: CapLimits) -> dict[str, Any]:
    """Run ``python -m module`` with ``request`` on stdin under ``limits``; its JSON answer (of a
    child that answers in parts, the last)."""
    *_, answer = stream_module(module, request, limits)
    return answer


def stream_module(module: str, request: dict[str, Any], limits: CapLimits) -> Iterator[dict[str, Any]]:
    """``run_module`` for a child that answers in parts (``child_main`` writes each as one JSON
    line): every part as soon as it is written, so the caller works on one while the child makes
    the next. Threads read the child's output as it comes, so it never waits for the caller. A
    failure is raised when it happens, after the parts before it; the timeout counts from the
    start, and a caller that stops early stops the child."""
    env = {**os.environ, MEMORY_ENV: str(limits.memory_mb)}
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # a Ctrl-C meant for the parent is not the child's business
    )
    stdin, stdout, errors = _pipe(child.stdin), _pipe(child.stdout), _pipe(child.stderr)
    lines: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    stderr = bytearray()
    readers = [
        threading.Thread(target=_read_lines, args=(stdout, lines), daemon=True),
        threading.Thread(target=lambda: stderr.extend(errors.read()), daemon=True),
    ]
    timed_out = threading.Event()
    timer = threading.Timer(limits.timeout_s, _stop, args=(child, timed_out))
    timer.daemon = True  # never what keeps a process alive
    for thread in (*readers, timer):
        thread.start()
    answered = False
    try:
        with contextlib.suppress(BrokenPipeError):  # it died before reading: its exit says why
            stdin.write(json.dumps(request).encode())
            stdin.close()
        while (line := lines.get()) is not None and line.endswith(b"\n"):  # a cut line: it died
            part: dict[str, Any] = json.loads(line)
            if "error" in part:
                raise _rebuild(part["error"])
            answered = True
            yield part
        returncode = child.wait()
    finally:
        timer.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
        for thread in readers:
            thread.join()
    if timed_out.is_set():
        raise CappedFailure("timeout", f"still running after {limits.timeout_s:g} s")
    if returncode == 0 and answered:
        return
    raise _failure(returncode, stderr.decode(errors="replace").strip(), limits)


def _pipe(stream: IO[bytes] | None) -> IO[bytes]:
    assert stream is not None  # every stream is a pipe
    return stream


def _read_lines(stream: IO[bytes], lines: queue.SimpleQueue[bytes | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _stop(child: subprocess.Popen[bytes], timed_out: threading.Event) -> None:
    if child.poll() is None:
        timed_out.set()
        child.kill()


def _failure(returncode: int, stderr: str, limits: CapLimits) -> CappedFailure:
    last_words = stderr.splitlines()[-1] if stderr else ""
    if returncode == EXIT_OUT_OF_MEMORY or any(m in stderr for m in _OOM_MARKERS):
        return CappedFailure("memory", f"needed more than {limits.memory_mb} MB ({last_words})")
    if returncode < 0:
        name = signal.Signals(-returncode).name
        return CappedFailure("crashed", f"killed by {name}" + (f" ({last_words})" if last_words else ""))
    said = f" ({last_words})" if last_words else ""
    return CappedFailure("crashed", f"exit status {returncode}{said}" if returncode else f"no answer{said}")


def _cap_memory() -> None:
    raw = os.environ.get(MEMORY_ENV)
    if raw:
        limit = int(raw) * 1_048_576
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def child_main(handler: Callable[[dict[str, Any]], dict[str, Any] | Iterator[dict[str, Any]]]) -> None:
    """The child's side: cap memory, read the request, answer (or say which error it raised). A
    handler that yields its answer in parts has each written as it comes (``stream_module``)."""
    _cap_memory()
    request = json.loads(sys.stdin.buffer.read())
    try:
        answer = handler(request)
        for part in [answer] if isinstance(answer, dict) else answer:
            _write(part)
    except AutomatError as exc:
        kind = type(exc)
        _write(
            {
                "error": {
                    "type": f"{kind.__module__}.{kind.__qualname__}", "status_code": exc.status_code,
                    "code": exc.code, "message": exc.message, "details": exc.details,
                }
            }
        )  # fmt: skip
    except MemoryError:
        sys.stderr.write("MemoryError: the memory cap was reached\n")
        sys.stderr.flush()
        os._exit(EXIT_OUT_OF_MEMORY)


def _write(part: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(part, separators=(",", ":")) + "\n")
    sys.stdout.flush()

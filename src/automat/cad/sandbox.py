"""STEP→GLB conversion in a sandbox.

OpenCASCADE is C++ that reads untrusted files: it can crash, hang or eat all memory. Every
conversion runs in a child process forked from a warm converter process (the "zygote",
``automat.cad.sandbox_zygote``), with

- a wall-clock timeout (the child is killed; a zygote that stops answering is replaced),
- an address-space cap (``RLIMIT_AS``) and no core dumps,
- no network: the zygote runs in a network namespace of its own where the kernel allows it
  (root, or unprivileged user namespaces), and refuses Python-level sockets in any case,

and every way a conversion can end is turned into a ``ConversionError`` with a stable code and
a message a person understands. One ``Sandbox`` per process (``default_sandbox()``).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

CLONE_NEWNET = 0x40000000
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_OCC_ERROR = re.compile(r"(StepFile\s*:.*|.*Failed to read.*|automat-sandbox:.*)", re.IGNORECASE)
ZYGOTE_START_TIMEOUT_S = 60.0


# What running out of memory under the address-space cap prints before the converter aborts:
# C++'s std::bad_alloc, or glibc failing a thread's allocation ("cannot allocate memory for
# thread-local data: ABORT", when the cap is hit while a thread starts).
_OUT_OF_MEMORY = ("bad_alloc", "cannot allocate memory", "Cannot allocate memory")


class ConversionError(Exception):
    """A conversion that produced no usable GLB; ``code`` is stable, ``message`` is for people
    (``cad.failures.explain`` words it for users), ``detail`` the converter's own words, if any."""

    def __init__(self, code: str, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class SandboxLimits:
    timeout_s: float = 300.0
    memory_mb: int = 4096


@dataclass(frozen=True)
class ConversionResult:
    output: Path
    duration_s: float
    tol_linear_mm: float
    tol_angular: float
    network_isolated: bool
    child_pid: int | None = None  # the process that read the file (one per file)


def _enter_network_namespace() -> None:  # preexec of the zygote
    os.setsid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        isolated = libc.unshare(CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        isolated = False
    os.environ["AUTOMAT_SANDBOX_NETNS"] = "1" if isolated else "0"


def occ_message(log: str) -> str | None:
    """The first line of the converter's output that says what went wrong, cleaned up."""
    for line in log.splitlines():
        clean = _ANSI.sub("", line).strip(" *")
        if match := _OCC_ERROR.search(clean):
            return match.group(1).removeprefix("automat-sandbox:").strip(" *")
    return None


class Sandbox:
    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._counter = 0
        self._ready = False  # the converter said it is ready (cascadio imported)
        self.network_isolated = False

    # -- the zygote ---------------------------------------------------------------------------
    def _spawn(self) -> subprocess.Popen[bytes]:
        self._ready = False
        return subprocess.Popen(
            [sys.executable, "-m", "automat.cad.sandbox_zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=_enter_network_namespace,
            close_fds=True,
        )

    def _await_ready(self, proc: subprocess.Popen[bytes]) -> None:
        hello = self._read_line(proc, ZYGOTE_START_TIMEOUT_S)
        if hello is None or not hello.get("ready"):
            self._kill(proc)
            self._proc = None
            raise ConversionError("sandbox_unavailable", "the conversion sandbox did not start")
        self.network_isolated = bool(hello.get("network_isolated"))
        self._ready = True

    def spawn(self) -> None:
        """Start the converter now and return at once (a worker process starting up): the first
        conversion then waits only for what is left of its ~1 s start instead of all of it."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._spawn()

    @staticmethod
    def _read_line(proc: subprocess.Popen[bytes], timeout_s: float) -> dict[str, Any] | None:
        stdout: IO[bytes] = proc.stdout  # type: ignore[assignment]
        with selectors.DefaultSelector() as sel:
            sel.register(stdout, selectors.EVENT_READ)
            if not sel.select(timeout_s):
                return None
        line = stdout.readline()
        if not line:
            return None
        value = json.loads(line)
        return value if isinstance(value, dict) else None

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def close(self) -> None:
        with self._lock:
            if self._proc is not None:
                self._kill(self._proc)
                self._proc = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _ask(self, request: dict[str, Any], limits: SandboxLimits) -> dict[str, Any] | None:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._spawn()
        if not self._ready:
            self._await_ready(self._proc)
        assert self._proc is not None
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write((json.dumps(request) + "\n").encode())
            self._proc.stdin.flush()
            reply = self._read_line(self._proc, limits.timeout_s + 30)
        except (BrokenPipeError, ValueError):
            reply = None
        if reply is None:  # dead or hanging: replace it
            self._kill(self._proc)
            self._proc = None
        return reply

    # -- conversions --------------------------------------------------------------------------
    def convert(
        self,
        step_path: Path,
        out_path: Path,
        *,
        tol_linear_mm: float,
        tol_angular: float = 0.5,
        tol_relative: bool = False,
        limits: SandboxLimits | None = None,
    ) -> ConversionResult:
        """Convert ``step_path`` into ``out_path`` (GLB, metres) or raise ``ConversionError``."""
        limits = limits or SandboxLimits()
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.unlink(missing_ok=True)
        with self._lock:
            self._counter += 1
            request = {
                "id": self._counter,
                "input": str(step_path),
                "output": str(out_path),
                "tol_linear": tol_linear_mm,
                "tol_angular": tol_angular,
                "tol_relative": tol_relative,
                "timeout_s": limits.timeout_s,
                "memory_mb": limits.memory_mb,
            }
            # A converter that died since the last call (killed, OOM-killed) is replaced once.
            reply = self._ask(request, limits) or self._ask(request, limits)
            if reply is None:
                out_path.unlink(missing_ok=True)
                raise ConversionError(
                    "conversion_crashed", "conversion crashed (the converter stopped answering)"
                )
        return self._judge(reply, out_path, tol_linear_mm, tol_angular, limits)

    def _judge(
        self,
        reply: dict[str, Any],
        out_path: Path,
        tol_linear: float,
        tol_angular: float,
        limits: SandboxLimits,
    ) -> ConversionResult:
        status, value, log = reply["status"], int(reply["value"]), str(reply.get("log", ""))
        failed = status != "exited" or value != 0
        if failed:
            out_path.unlink(missing_ok=True)
        if status == "timeout":
            raise ConversionError("conversion_timeout", f"conversion timed out after {limits.timeout_s:g} s")
        if status == "signaled":
            if value == signal.SIGKILL:
                raise ConversionError(
                    "conversion_out_of_memory",
                    f"conversion was killed, most likely out of memory (limit {limits.memory_mb} MB)",
                )
            raise ConversionError("conversion_crashed", f"conversion crashed ({signal.Signals(value).name})")
        if value == 3 or any(marker in log for marker in _OUT_OF_MEMORY):
            raise ConversionError(
                "conversion_out_of_memory", f"conversion ran out of memory (limit {limits.memory_mb} MB)"
            )
        if value != 0:
            detail = occ_message(log) or (log.strip()[-300:] or f"exit status {value}")
            raise ConversionError("conversion_failed", f"conversion failed: {detail}")
        if not out_path.exists() or out_path.stat().st_size == 0:
            out_path.unlink(missing_ok=True)
            reason = occ_message(log)
            if reason:
                raise ConversionError("unreadable_step", f"the file could not be read as STEP ({reason})")
            raise ConversionError("no_geometry", "file has no solid geometry")
        return ConversionResult(
            output=out_path,
            duration_s=float(reply["duration_s"]),
            tol_linear_mm=tol_linear,
            tol_angular=tol_angular,
            network_isolated=bool(reply.get("network_isolated")),
            child_pid=reply.get("child_pid"),
        )


_default: tuple[int, Sandbox] | None = None
_default_lock = threading.Lock()


def default_sandbox() -> Sandbox:
    """This process's sandbox (a forked worker process gets its own, never its parent's)."""
    global _default
    with _default_lock:
        if _default is None or _default[0] != os.getpid():
            _default = (os.getpid(), Sandbox())
            atexit.register(_default[1].close)
        return _default[1]

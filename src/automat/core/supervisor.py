"""Runs Automat's processes as children and stops them all together (``automat up``)."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None


@dataclass
class Supervisor:
    children: list[Child] = field(default_factory=list)
    stop_timeout_s: float = 20.0
    _stopping: bool = False

    def add(self, name: str, argv: list[str]) -> None:
        self.children.append(Child(name, argv))

    def start(self) -> None:
        for child in self.children:
            # Own process group each, so Ctrl-C in the terminal reaches only us and we stop
            # the children in order instead of all at once.
            child.process = subprocess.Popen(child.argv, env=os.environ.copy(), start_new_session=True)  # noqa: S603
            log.info("started %s (pid %d)", child.name, child.process.pid)

    def wait(self) -> int:
        """Block until a signal arrives or a child exits; then stop everything. Returns an exit code."""

        def on_signal(signum: int, _frame: object) -> None:
            self._stopping = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        code = 0
        while not self._stopping:
            for child in self.children:
                if child.process is not None and child.process.poll() is not None:
                    log.error("%s exited with %s; stopping Automat", child.name, child.process.returncode)
                    self._stopping = True
                    code = 1
            time.sleep(0.5)
        self.stop()
        return code

    def stop(self) -> None:
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        for child in reversed(running):
            log.info("stopping %s", child.name)
            assert child.process is not None
            try:
                os.killpg(child.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        deadline = time.monotonic() + self.stop_timeout_s
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in time; killing it", child.name)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait()


def python_argv(*args: str) -> list[str]:
    return [sys.executable, *args]

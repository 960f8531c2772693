"""Runs Automat's processes as children, restarts the ones that die, stops them all together
(``automat up``).

A child that exits on its own is restarted after a backoff (doubling from ``backoff_initial_s``
up to ``backoff_max_s``; a child that had run for ``stable_after_s`` starts again from the
initial delay) and reported through ``on_death`` (``automat up`` records an alert). Only a crash
loop, ``max_deaths`` deaths of one child within ``death_window_s``, stops the installation,
with a message that names the child and how it ended. One bad request that kills the API must
never take the database and the workers down with it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from automat.core import metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestartPolicy:
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 30.0
    stable_after_s: float = 60.0
    max_deaths: int = 5
    death_window_s: float = 300.0


@dataclass(frozen=True)
class Death:
    """One child's unexpected exit, as ``on_death`` hears of it."""

    child: str
    how: str  # "exit status 1", "killed by SIGKILL"
    uptime_s: float
    deaths_in_window: int
    restart_in_s: float | None  # None: a crash loop, the installation stops

    @property
    def message(self) -> str:
        if self.restart_in_s is None:
            return (
                f"{self.child} died {self.deaths_in_window} times in a row ({self.how} last, after "
                f"{self.uptime_s:.0f} s): a crash loop; Automat stops"
            )
        return (
            f"{self.child} ended unexpectedly ({self.how}, after {self.uptime_s:.0f} s); restarting it in "
            f"{self.restart_in_s:.0f} s"
        )


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    backoff_s: float = 0.0
    deaths: deque[float] = field(default_factory=deque)
    restarts: int = 0


@dataclass
class Supervisor:
    children: list[Child] = field(default_factory=list)
    stop_timeout_s: float = 20.0
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    on_death: Callable[[Death], None] | None = None
    poll_s: float = 0.5
    crash_loop: Death | None = None
    _stopping: bool = False

    def add(self, name: str, argv: list[str]) -> None:
        self.children.append(Child(name, argv))

    def _spawn(self, child: Child) -> None:
        # Own process group each, so Ctrl-C in the terminal reaches only us and we stop the
        # children in order instead of all at once.
        child.process = subprocess.Popen(child.argv, env=os.environ.copy(), start_new_session=True)  # noqa: S603
        child.started_at = time.monotonic()
        child.restart_at = None
        log.info("started %s (pid %d)", child.name, child.process.pid)

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)

    def wait(self) -> int:
        """Block until a signal arrives or a child crash-loops; then stop everything. Returns an exit
        code: 0 after a signal, 1 after a crash loop."""

        def on_signal(signum: int, _frame: object) -> None:
            self._stopping = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        while not self._stopping:
            self.tend()
            time.sleep(self.poll_s)
        self.stop()
        return 1 if self.crash_loop is not None else 0

    def tend(self) -> None:
        """One round: notice children that died, restart those whose backoff has passed."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at and not self._stopping:
                    child.restarts += 1
                    self._spawn(child)
                continue
            if child.process is None or (returncode := child.process.poll()) is None:
                continue
            death = self._record_death(child, returncode, now)
            if death.restart_in_s is None:
                log.error("%s; see its output above", death.message)
                print(f"automat up: {death.message}.", file=sys.stderr, flush=True)
                self.crash_loop = death
                self._stopping = True
            else:
                log.warning("%s", death.message)
                child.restart_at = now + death.restart_in_s
            self._report(death)
            if self._stopping:
                return

    def _record_death(self, child: Child, returncode: int, now: float) -> Death:
        uptime = now - child.started_at
        if child.process is not None:  # what the child left in its process group goes with it
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)
            metrics.process_exited(child.process.pid)  # its live gauges stop counting
        child.deaths.append(now)
        while child.deaths and now - child.deaths[0] > self.policy.death_window_s:
            child.deaths.popleft()
        how = describe_exit(returncode)
        if len(child.deaths) >= self.policy.max_deaths:
            return Death(child.name, how, uptime, len(child.deaths), None)
        if uptime >= self.policy.stable_after_s or child.backoff_s == 0:
            child.backoff_s = self.policy.backoff_initial_s
        else:
            child.backoff_s = min(child.backoff_s * 2, self.policy.backoff_max_s)
        return Death(child.name, how, uptime, len(child.deaths), child.backoff_s)

    def _report(self, death: Death) -> None:
        if self.on_death is None:
            return
        try:
            self.on_death(death)
        except Exception:  # an alert that cannot be written must not stop the supervision
            log.exception("could not report that %s died", death.child)

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

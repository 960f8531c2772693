"""`automat up`'s supervisor: a dead child is restarted with backoff and reported; only a crash loop
stops everything, naming the child and how it ended."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from automat.core.supervisor import Death, RestartPolicy, Supervisor, describe_exit

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
FAST = RestartPolicy(
    backoff_initial_s=0.1, backoff_max_s=0.4, stable_after_s=60, max_deaths=4, death_window_s=60
)


def tend_until(sup: Supervisor, done: object, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the supervisor did not get there in time"
        sup.tend()
        time.sleep(0.05)


def test_describe_exit() -> None:
    assert describe_exit(3) == "exit status 3"
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"


def test_a_killed_child_is_restarted_and_reported_while_the_others_run_on() -> None:
    heard: list[Death] = []
    sup = Supervisor(policy=FAST, on_death=heard.append)
    sup.add("api", SLEEPER)
    sup.add("worker", SLEEPER)
    sup.start()
    try:
        api, worker = (c.process for c in sup.children)
        assert api is not None and worker is not None
        os.kill(api.pid, signal.SIGKILL)
        tend_until(sup, lambda: sup.children[0].process is not api and sup.children[0].process is not None)
        restarted = sup.children[0].process
        assert restarted is not None and restarted.poll() is None
        assert sup.children[1].process is worker and worker.poll() is None  # untouched
        assert [(d.child, d.how, d.restart_in_s) for d in heard] == [("api", "killed by SIGKILL", 0.1)]
        assert "restarting it in" in heard[0].message
        assert sup.crash_loop is None
    finally:
        sup.stop()
    assert all(c.process is not None and c.process.poll() is not None for c in sup.children)


def test_backoff_doubles_up_to_the_cap_and_a_crash_loop_stops_everything() -> None:
    heard: list[Death] = []
    sup = Supervisor(policy=FAST, on_death=heard.append, poll_s=0.05, stop_timeout_s=5)
    sup.add("flaky", [sys.executable, "-c", "raise SystemExit(3)"])
    sup.add("steady", SLEEPER)
    sup.start()
    steady = sup.children[1].process
    started = time.monotonic()
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        assert sup.wait() == 1
    finally:
        for s, handler in previous.items():  # wait() installed its own
            signal.signal(s, handler)
    assert time.monotonic() - started < 20
    assert [d.restart_in_s for d in heard] == [0.1, 0.2, 0.4, None]
    assert sup.crash_loop is not None and sup.crash_loop.child == "flaky"
    assert sup.crash_loop.how == "exit status 3"
    assert "flaky died 4 times in a row (exit status 3 last" in sup.crash_loop.message
    assert steady is not None and steady.poll() is not None  # stopped with the rest


def test_a_child_that_ran_for_a_while_starts_again_from_the_first_delay() -> None:
    policy = RestartPolicy(backoff_initial_s=0.1, backoff_max_s=5, stable_after_s=0.5, max_deaths=10)
    heard: list[Death] = []
    sup = Supervisor(policy=policy, on_death=heard.append)
    sup.add("api", [sys.executable, "-c", "import time; time.sleep(0.7)"])
    sup.start()
    try:
        tend_until(sup, lambda: len(heard) >= 2)
    finally:
        sup.stop()
    assert [d.restart_in_s for d in heard[:2]] == [0.1, 0.1]


def test_a_failing_report_does_not_stop_the_supervision() -> None:
    def broken(_death: Death) -> None:
        raise RuntimeError("database is down")

    sup = Supervisor(policy=FAST, on_death=broken)
    sup.add("api", SLEEPER)
    sup.start()
    try:
        first = sup.children[0].process
        assert first is not None
        first.kill()
        tend_until(sup, lambda: sup.children[0].process is not first)
    finally:
        sup.stop()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_everything_with_status_0(signum: int) -> None:
    sup = Supervisor(policy=FAST, poll_s=0.05, stop_timeout_s=5)
    sup.add("api", SLEEPER)
    sup.start()
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(), signum))
        assert sup.wait() == 0
    finally:
        for s, handler in previous.items():  # wait() installed its own
            signal.signal(s, handler)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    process = sup.children[0].process
    assert process is not None and process.poll() is not None

"""Celery workers a test starts for itself: real processes on the session's broker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from automat.worker.celery_app import celery_app

REPO = Path(__file__).resolve().parents[2]


@dataclass
class CeleryWorker:
    proc: subprocess.Popen[bytes]
    name: str  # the Celery node name ("label@host"; "%h" stands for this host)
    log: Path

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), killed if it takes over 30 s."""
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_celery_worker(
    log_dir: Path, name: str, queue: str, *, test_tasks: bool = False, timeout_s: float = 180
) -> CeleryWorker:
    """Start a worker of concurrency 1 on ``queue`` named ``name`` and wait until it answers a
    ping; ``test_tasks`` loads ``tests.support.celery_tasks`` into it as well."""
    log = log_dir / f"{name.replace('%h', 'host')}.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    include = ["--include", "tests.support.celery_tasks"] if test_tasks else []
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "automat.worker_app:celery_app", "worker",
             "-Q", queue, "-n", name, "--concurrency", "1", *include, "--loglevel", "INFO",
             "--without-gossip", "--without-mingle"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    worker = CeleryWorker(proc, name, log)
    label = name.split("@", 1)[0]
    deadline = time.monotonic() + timeout_s
    while not any(label in node for reply in celery_app.control.ping(timeout=0.5) for node in reply):
        if proc.poll() is not None or time.monotonic() > deadline:
            worker.stop()
            raise AssertionError(f"worker {name} did not answer:\n{log.read_text()}")
    return worker

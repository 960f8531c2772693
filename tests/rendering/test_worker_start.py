"""Workers start their render host and their converter when they start, not on the first job.

Real Celery worker processes, real Blender, real converter; the processes are found in /proc.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from automat.config import Settings
from automat.models.user import Role
from automat.worker.celery_app import celery_app
from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE
from tests.cad.conftest import BEARING, fixture
from tests.cad.test_thumbnail import AsRole, wait_thumbnail
from tests.support.factories import MadeTenant
from tests.support.workers import CeleryWorker, start_celery_worker

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _child_running(parent: int, module: str) -> int | None:
    return next((pid for pid in _children(parent) if f"-m {module}" in _cmdline(pid)), None)


class Worker(CeleryWorker):
    def pool_process(self) -> int:
        """The prefork process that runs the tasks (concurrency 1: the only child running celery)."""
        pool = [pid for pid in _children(self.proc.pid) if "celery" in _cmdline(pid)]
        assert len(pool) == 1, pool
        return pool[0]


@pytest.fixture
def start_worker(tmp_root: Path) -> Iterator[object]:
    started: list[Worker] = []

    def start(queue: str) -> Worker:
        name = f"start-{queue}-{uuid.uuid4().hex[:6]}@%h"
        worker = Worker(**vars(start_celery_worker(tmp_root, name, queue, timeout_s=START_TIMEOUT_S)))
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _wait_for(what: str, check: object, timeout_s: float = START_TIMEOUT_S) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()  # type: ignore[operator]
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} after {timeout_s} s")


def test_a_step_worker_has_its_converter_running_before_any_file(start_worker: object) -> None:
    worker: Worker = start_worker(STEP_QUEUE)  # type: ignore[operator]
    pool = worker.pool_process()
    converter = _wait_for(
        "no converter in the step worker", lambda: _child_running(pool, "automat.cad.sandbox_zygote")
    )
    assert converter
    assert _child_running(pool, "automat.blender.host") is None  # no Blender in a step worker


@pytest.fixture
def only_our_render_workers() -> Iterator[None]:
    """Workers already running (the session's test worker) stop taking the render queue for this
    test, so the worker the test starts is the one that renders."""
    replies = celery_app.control.cancel_consumer(RENDER_QUEUE, reply=True, timeout=2)
    others = [node for reply in replies for node in reply]
    yield
    if others:
        celery_app.control.add_consumer(RENDER_QUEUE, destination=others, reply=True, timeout=2)


@pytest.mark.usefixtures("celery_worker_process", "only_our_render_workers")
def test_the_first_thumbnail_after_a_render_worker_starts_does_not_wait_for_blender(
    start_worker: object, client: TestClient, as_role: AsRole, tenant: MadeTenant, settings: Settings
) -> None:
    worker: Worker = start_worker(RENDER_QUEUE)  # type: ignore[operator]
    pool = worker.pool_process()
    # Before any job: the worker's host is running, and it warms up on its own.
    host = _wait_for(
        "no render host in the render worker", lambda: _child_running(pool, "automat.blender.host")
    )
    host_log = settings.resolved_home() / "logs" / f"render-host-{pool}.log"
    _wait_for(
        "the host did not warm up",
        lambda: host_log.is_file() and "[WARM_UP] completed" in host_log.read_text(),
    )

    pm = as_role(tenant, Role.PROJECT_MANAGER)
    created = client.post(
        "/api/cad-files", files={"file": (BEARING, fixture(BEARING).read_bytes())}, headers=pm.headers
    ).json()
    body = wait_thumbnail(client, pm, created["id"])
    step = next(s for s in body["job_document"]["steps"] if s["name"] == "render_thumbnail")
    assert step["status"] == "completed", step.get("error")
    assert "host_start" not in step["outputs"]["timings"]  # the job found its host ready
    assert _child_running(pool, "automat.blender.host") == host  # and rendered in that host

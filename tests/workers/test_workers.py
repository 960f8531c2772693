"""Operators see the workers and the metrics of the work they do (issue 17): ``GET /metrics`` in
Prometheus' format, with what the real worker process did (multiprocess mode), and
``GET /api/workers`` from the workers' heartbeats."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from automat.config import get_settings
from automat.core.metrics import MULTIPROC_ENV
from automat.models.user import Role
from tests.cad.conftest import BEARING, fixture
from tests.cad.test_thumbnail import wait_thumbnail
from tests.support.factories import MadeTenant
from tests.support.fixtures import REPO, Party

AsRole = Callable[[MadeTenant | None, Role], Party]
TOKEN = "metrics-test-token"


@pytest.fixture
def metrics_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    monkeypatch.setenv("AUTOMAT_METRICS_TOKEN", TOKEN)
    get_settings.cache_clear()
    yield {"Authorization": f"Bearer {TOKEN}"}
    monkeypatch.delenv("AUTOMAT_METRICS_TOKEN")
    get_settings.cache_clear()


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in found.items() if n == name and wanted <= set(ls))


def test_metrics_are_only_for_the_monitoring_network_or_the_token(client: TestClient) -> None:
    # The test client's peer is no IP address of an allowed network, and no token is configured.
    refused = client.get("/metrics")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "metrics_forbidden"


def test_request_durations_by_route_template_and_status(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, metrics_token: dict[str, str]
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    assert client.get(f"/api/orders/{uuid.uuid4()}", headers=pm.headers).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    answer = client.get("/metrics", headers=metrics_token)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    found = samples(answer.text)
    # The route's template, never the id in the path.
    assert (
        value(
            found, "automat_http_request_duration_seconds_count", route="/api/orders/{order_id}", status="404"
        )
        >= 1
    )
    routes = {dict(labels).get("route", "") for name, labels in found if name.startswith("automat_http")}
    assert not [r for r in routes if re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", r)], routes
    # Read from the broker at scrape time: every queue has a length.
    for queue in ("step_processing", "thumbnail_rendering"):
        assert ("automat_queue_length", frozenset({("queue", queue)})) in found, queue


@pytest.mark.usefixtures("celery_worker_process")
def test_work_done_in_the_worker_process_is_in_the_metrics(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    metrics_token: dict[str, str],
    worker_metrics_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def scrape() -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
        monkeypatch.setenv(MULTIPROC_ENV, str(worker_metrics_dir))  # as the API on the worker's host
        try:
            return samples(client.get("/metrics", headers=metrics_token).text)
        finally:
            monkeypatch.delenv(MULTIPROC_ENV)

    before = scrape()
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    created = client.post(
        "/api/cad-files", files={"file": (BEARING, fixture(BEARING).read_bytes())}, headers=pm.headers
    ).json()
    body = wait_thumbnail(client, pm, created["id"])
    assert body["status"] == "ready"
    after = scrape()

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("automat_pipeline_steps_total", step="occ_glb_export", outcome="done") >= 1
    assert grew("automat_cad_conversion_duration_seconds_count", outcome="done") >= 1
    assert grew("automat_pipeline_step_duration_seconds_count", step="render_thumbnail") >= 1
    # No GPU here: the thumbnail was rendered on the CPU fallback, and counted as such.
    assert grew("automat_renders_total", device="cpu", status="completed") >= 1
    assert grew("automat_render_duration_seconds_count", step="render_thumbnail", device="cpu") >= 1
    assert grew("automat_celery_tasks_total", outcome="succeeded") >= 2
    # The worker's pool process holds database connections while it lives.
    assert value(after, "automat_db_pool_connections_open", role="worker") >= 1


def test_the_workers_page_lists_the_running_worker_and_the_queues(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    celery_worker_process: subprocess.Popen[bytes],
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    deadline = time.monotonic() + 30
    while True:
        overview = client.get("/api/workers", headers=ga.headers).json()
        mine = [
            w
            for w in overview["workers"]
            if w["name"].startswith("test@") and w["pid"] == celery_worker_process.pid
        ]
        if mine or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert mine, overview
    worker = mine[0]
    assert worker["state"] == "online"
    assert worker["queues"] == ["step_processing", "thumbnail_rendering"]
    assert worker["pool_size"] == 1
    assert {q["name"] for q in overview["queues"]} == {"step_processing", "thumbnail_rendering"}
    assert all(q["workers_online"] >= 1 and q["length"] >= 0 for q in overview["queues"])

    for role in (Role.TENANT_ADMIN, Role.PROJECT_MANAGER, Role.CLIENT):
        refused = client.get("/api/workers", headers=as_role(tenant, role).headers)
        assert refused.status_code == 403, role


def test_a_worker_that_shuts_down_is_shown_stopped(
    client: TestClient, as_role: AsRole, tmp_path: Path
) -> None:
    """A second worker (its own node name, a queue nobody sends to in the tests) starts, is listed
    online with the task it runs, and is listed stopped after a clean shutdown."""
    name = f"probe-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "automat.worker_app:celery_app", "worker",
         "-Q", f"{name}-queue", "-n", f"{name}@%h", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=REPO, env=env, stdout=(tmp_path / "probe.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    ga = as_role(None, Role.GLOBAL_ADMIN)

    def listed() -> dict[str, object] | None:
        workers = client.get("/api/workers", headers=ga.headers).json()["workers"]
        return next((w for w in workers if str(w["name"]).startswith(f"{name}@")), None)

    try:
        deadline = time.monotonic() + 60
        while (found := listed()) is None or found["state"] != "online":
            assert time.monotonic() < deadline, (tmp_path / "probe.log").read_text()
            assert proc.poll() is None, (tmp_path / "probe.log").read_text()
            time.sleep(0.5)
        assert found["queues"] == [f"{name}-queue"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    stopped = listed()
    assert stopped is not None and stopped["state"] == "stopped"

"""Operators see the workers and the metrics of the work they do (issue 17): ``GET /metrics`` in
Prometheus' format, with what the real worker process did (multiprocess mode), and
``GET /api/workers`` from the workers' heartbeats."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, text

from automat.config import get_settings
from automat.core.metrics import MULTIPROC_ENV
from automat.models.user import Role
from automat.worker import status
from automat.worker.queues import base_queue
from automat.workers.tasks import apply_worker_concurrency
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
    # The shared queues first; after them tenants' own queues (another test's dedicated tenant).
    names = [q["name"] for q in overview["queues"]]
    assert names[:2] == ["step_processing", "thumbnail_rendering"]
    assert all(base_queue(name) not in (None, name) for name in names[2:]), names
    shared = overview["queues"][:2]
    assert all(q["workers_online"] >= 1 and q["length"] >= 0 for q in shared)

    for role in (Role.TENANT_ADMIN, Role.PROJECT_MANAGER, Role.CLIENT):
        refused = client.get("/api/workers", headers=as_role(tenant, role).headers)
        assert refused.status_code == 403, role


@contextmanager
def probe_worker(log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A second real worker with a node name of its own on a queue nobody sends to in the tests."""
    name = f"probe-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "automat.worker_app:celery_app", "worker",
         "-Q", f"{name}-queue", "-n", f"{name}@%h", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
        cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield name, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_listed(
    client: TestClient, ga: Party, name: str, log: Path, until: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        workers = client.get("/api/workers", headers=ga.headers).json()["workers"]
        found = next((w for w in workers if str(w["name"]).startswith(f"{name}@")), None)
        if found is not None and until(found):
            return found
        assert time.monotonic() < deadline, (found, log.read_text())
        time.sleep(0.5)


def test_a_worker_that_shuts_down_is_shown_stopped(
    client: TestClient, as_role: AsRole, tmp_path: Path
) -> None:
    """A second worker starts, is listed online with its queue, and stopped after a clean shutdown."""
    ga = as_role(None, Role.GLOBAL_ADMIN)
    log = tmp_path / "probe.log"
    with probe_worker(log) as (name, _):
        found = wait_listed(client, ga, name, log, lambda w: w["state"] == "online")
        assert found["queues"] == [f"{name}-queue"]
        assert found["pool_size"] == 1
    stopped = wait_listed(client, ga, name, log, lambda w: True)
    assert stopped["state"] == "stopped"


def test_beat_grows_and_shrinks_a_pool_to_its_configured_bounds(
    client: TestClient,
    as_role: AsRole,
    admin_engine: Engine,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The beat task reads worker_configs and asks the real worker for its pool over Celery's remote
    control; the worker's next heartbeat shows the new size; each change is an audit entry."""
    caplog.set_level(logging.INFO, logger="automat.workers.scaling")
    ga = as_role(None, Role.GLOBAL_ADMIN)
    log = tmp_path / "probe.log"
    with probe_worker(log) as (name, _):
        queue = f"{name}-queue"
        wait_listed(client, ga, name, log, lambda w: w["state"] == "online" and w["pool_size"] == 1)
        try:
            for bounds, size in (((3, 3), 3), ((1, 2), 1)):
                with admin_engine.begin() as conn:
                    conn.execute(
                        text(
                            "INSERT INTO worker_configs (queue_name, min_concurrency, max_concurrency) "
                            "VALUES (:q, :lo, :hi) ON CONFLICT (queue_name) DO UPDATE "
                            "SET min_concurrency = :lo, max_concurrency = :hi"
                        ),
                        {"q": queue, "lo": bounds[0], "hi": bounds[1]},
                    )
                # Beat runs it every minute: a command the worker missed (a broadcast sent while
                # its control channel was still subscribing) is sent again by the next round.
                for _ in range(5):
                    done = apply_worker_concurrency.apply().get()
                    mine = [d for d in done if str(d["worker"]).startswith(f"{name}@")]
                    if not mine:
                        break  # the worker is at its target
                    assert len(mine) == 1 and mine[0]["to"] == size, done
                    time.sleep(status.HEARTBEAT_S + 1)  # its next heartbeat shows the pool
                assert wait_listed(client, ga, name, log, lambda w: True)["pool_size"] == size
            scaling_lines = [r.getMessage() for r in caplog.records if "[WORKER_SCALING]" in r.getMessage()]
            assert any(f"{name}@" in line and "pool 1 -> 3" in line for line in scaling_lines), scaling_lines
            with admin_engine.connect() as conn:
                scaled = (
                    conn.execute(
                        text(
                            "SELECT detail FROM audit_log WHERE action = 'worker.scaled' "
                            "AND target_id LIKE :n ORDER BY created_at"
                        ),
                        {"n": f"{name}@%"},
                    )
                    .scalars()
                    .all()
                )
            assert scaled and {(d["from"], d["to"]) for d in scaled} == {(1, 3), (3, 1)}, scaled
        finally:
            with admin_engine.begin() as conn:
                conn.execute(text("DELETE FROM worker_configs WHERE queue_name = :q"), {"q": queue})


def test_global_admins_bound_the_pools_of_a_queue(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, admin_engine: Engine
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    try:
        listed = client.get("/api/workers/configs", headers=ga.headers).json()
        assert {c["queue_name"] for c in listed} >= {"step_processing", "thumbnail_rendering"}
        body = {"min_concurrency": 1, "max_concurrency": 3}
        saved = client.put("/api/workers/configs/step_processing", json=body, headers=ga.headers)
        assert saved.status_code == 200, saved.text
        step = next(c for c in saved.json() if c["queue_name"] == "step_processing")
        assert (step["configured"], step["min_concurrency"], step["max_concurrency"]) == (True, 1, 3)
        assert step["updated_by"] == ga.user.email

        wrong = client.put(
            "/api/workers/configs/step_processing",
            json={"min_concurrency": 4, "max_concurrency": 2},
            headers=ga.headers,
        )
        assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "invalid_concurrency")
        unknown = client.put("/api/workers/configs/nope", json=body, headers=ga.headers)
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_queue")
        for role in (Role.TENANT_ADMIN, Role.PROJECT_MANAGER):
            assert (
                client.put(
                    "/api/workers/configs/step_processing", json=body, headers=as_role(tenant, role).headers
                ).status_code
                == 403
            )

        cleared = client.delete("/api/workers/configs/step_processing", headers=ga.headers).json()
        assert next(c for c in cleared if c["queue_name"] == "step_processing")["configured"] is False
        with admin_engine.connect() as conn:
            actions = (
                conn.execute(
                    text(
                        "SELECT action FROM audit_log WHERE target_type = 'queue' "
                        "AND target_id = 'step_processing' AND actor_id = :a ORDER BY created_at"
                    ),
                    {"a": ga.user.id},
                )
                .scalars()
                .all()
            )
        assert actions == ["worker_config.set", "worker_config.clear"]
    finally:
        with admin_engine.begin() as conn:
            conn.execute(text("DELETE FROM worker_configs WHERE queue_name = 'step_processing'"))

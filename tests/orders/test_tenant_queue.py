"""A tenant with its own render queue (``tenant_config.dedicated_render_queue``): its lines wait,
saying why, while only the shared workers run, and a worker started for its queue with
``automat worker --queue <slug>.thumbnail_rendering`` renders them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from automat.worker import status
from tests.cad.conftest import fixture
from tests.cad.test_assign_material import PULLEY, STEEL, upload, wait_thumbnail
from tests.orders.conftest import AsRole, create_order, wait_order
from tests.orders.test_rendering import bearing_product
from tests.support.factories import MadeTenant, make_output_type
from tests.support.fixtures import Party

pytestmark = pytest.mark.usefixtures("celery_worker_process")
REPO = Path(__file__).resolve().parents[2]


def _dedicate_render_queue(client: TestClient, ta: Party) -> None:
    """The tenant admin turns on ``dedicated_render_queue`` on the tenant settings page."""
    read = client.get("/api/tenant-config", headers=ta.headers).json()
    patched = client.patch(
        "/api/tenant-config",
        json={"version": read["version"], "config": {"dedicated_render_queue": True}},
        headers=ta.headers,
    )
    assert patched.status_code == 200, patched.text


def _line(body: dict[str, Any]) -> dict[str, Any]:
    (line,) = body["lines"]
    return line


def test_a_tenants_own_render_queue_waits_for_its_worker_and_only_that_worker_renders(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase, tmp_root: Path
) -> None:
    ta, pm = as_role(tenant, Role.TENANT_ADMIN), as_role(tenant, Role.PROJECT_MANAGER)
    _dedicate_render_queue(client, ta)
    queue = f"{tenant.slug}.thumbnail_rendering"
    product = bearing_product(client, pm, "6204")
    still = make_output_type(
        app_db, tenant=tenant, kind=OutputKind.STILL, name="Still", width=64, height=64, samples=8
    )
    order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[still])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200

    # The shared worker checks the CAD file (step_processing), then the render waits for the
    # tenant's own worker, and says so.
    waiting = wait_order(
        client, pm, order["id"],
        lambda o: (_line(o).get("queue") or {}).get("reason") == "no_worker",
        timeout_s=120, what="the line waiting for its queue's worker",
    )  # fmt: skip
    assert _line(waiting)["queue"]["message"] == (
        f"No worker of your own render queue {queue} is running: the line waits until one starts."
    )
    time.sleep(3)  # the shared render worker is idle and still does not take it
    assert (
        _line(client.get(f"/api/orders/{order['id']}", headers=pm.headers).json())["render_status"]
        == "queued"
    )

    log = (tmp_root / f"worker-{tenant.slug}.log").open("wb")
    own = subprocess.Popen(
        [sys.executable, "-m", "automat.cli", "worker", "--queue", queue, "--concurrency", "1",
         "--without-gossip", "--without-mingle"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        done = wait_order(
            client, pm, order["id"], lambda o: o["status"] in ("completed", "cancelled"),
            timeout_s=240, what="the order rendered by the tenant's worker",
        )  # fmt: skip
        line = _line(done)
        assert line["render_status"] == "completed", line["job_document"].get("error")
        assert len(line["media"]) == 1
        ga = as_role(None, Role.GLOBAL_ADMIN)
        overview = client.get("/api/workers", headers=ga.headers).json()
        own_worker = next(w for w in overview["workers"] if queue in w["queues"])
        assert own_worker["name"].startswith(f"render-{tenant.slug}@")
        assert own_worker["queues"] == [queue]  # it takes the tenant's queue, nothing shared
        listed = {q["name"]: q for q in overview["queues"]}
        assert listed[queue]["workers_online"] == 1 and listed[queue]["length"] == 0
    finally:
        os.killpg(own.pid, signal.SIGTERM)
        try:
            own.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(own.pid, signal.SIGKILL)
        log.close()


def test_a_tenants_thumbnail_rerender_and_admin_renders_wait_on_its_own_queue(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, redis_client: redis.Redis
) -> None:
    """Render work that does not go through a workflow (a thumbnail after a material was assigned,
    an admin action's re-render) is the tenant's too: its own render worker does it, not a shared one."""
    ta = as_role(tenant, Role.TENANT_ADMIN)
    cad = wait_thumbnail(client, ta, upload(client, ta, fixture(PULLEY).read_bytes(), PULLEY)["id"])
    assert cad["status"] == "ready", cad["error"]
    part = next(p["name"] for p in cad["parts"] if p["material_reason"] == "fallback")
    _dedicate_render_queue(client, ta)
    queue = f"{tenant.slug}.thumbnail_rendering"

    assigned = client.post(
        f"/api/cad-files/{cad['id']}/assign-material", json={"material": STEEL, "pattern": part},
        headers=ta.headers,
    )  # fmt: skip
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["thumbnail_only"] == [cad["id"]]
    job = client.post("/api/admin/actions/regenerate-thumbnails", json={}, headers=ta.headers)
    assert job.status_code == 202, job.text
    try:
        deadline = time.monotonic() + 10
        while status.queue_lengths(redis_client, [queue])[queue] < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status.queue_lengths(redis_client, [queue])[queue] == 2
        time.sleep(3)  # the session's shared render worker is idle and takes neither
        now = client.get(f"/api/cad-files/{cad['id']}", headers=ta.headers).json()
        assert now["thumbnail_status"]["state"] == "pending"
        assert (
            client.get(f"/api/admin/jobs/{job.json()['id']}", headers=ta.headers).json()["state"] == "queued"
        )
    finally:
        client.post(f"/api/admin/jobs/{job.json()['id']}/cancel", headers=ta.headers)
        redis_client.delete(queue)

"""A job whose worker was lost does not block its action for ever: the real worker's pool process is
killed mid-render, its heartbeat stops, and the recovery (beat's task on the real worker, or the
API before it lists or starts the actions) fails the job with a reason a person understands, as an
alert, and the action starts again. A job that is really still working (its heartbeat fresh) is
left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from sqlalchemy.engine import Engine

from automat.admin_actions.stalls import HEARTBEAT_S
from automat.admin_actions.tasks import recover_stalled_admin_jobs
from automat.core.db import SyncDatabase
from automat.kit.time import utcnow
from automat.models.admin_job import AdminJob
from automat.models.user import Role
from tests.admin_actions.test_admin_actions import FINISHED, _ps_pids, start_rendering, wait_job
from tests.cad.conftest import fixture
from tests.cad.test_assign_material import upload, wait_thumbnail
from tests.support.celery_tasks import SLOW_THUMBNAIL
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

pytestmark = pytest.mark.usefixtures("celery_worker_process")
AsRole = Callable[[MadeTenant | None, Role], Party]
SCREW = "screw_m6x12_countersunk.step"
START = "/api/admin/actions/regenerate-thumbnails"


@pytest.fixture
def ta(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


def recover_on_worker() -> list[str]:
    """Beat's recovery task, run by the real worker."""
    result: dict[str, Any] = recover_stalled_admin_jobs.delay().get(timeout=120)
    return list(result["recovered"])


def heartbeat_age_s(admin_engine: Engine, job_id: str) -> float:
    with admin_engine.connect() as conn:
        return float(
            conn.execute(
                text("SELECT extract(epoch FROM now() - updated_at) FROM admin_jobs WHERE id = :id"),
                {"id": job_id},
            ).scalar_one()
        )


def backdate(admin_engine: Engine, job_id: str, minutes: int) -> None:
    """As if the heartbeat had been silent this long."""
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE admin_jobs SET updated_at = now() - make_interval(mins => :m) WHERE id = :id"),
            {"m": minutes, "id": job_id},
        )


def pool_process_of(host_pid: int) -> int:
    """The worker's pool process that runs the render host (its parent)."""
    out = subprocess.run(["ps", "-o", "ppid=", "-p", str(host_pid)], capture_output=True, text=True)
    return int(out.stdout.strip())


def stalled_alerts(admin_engine: Engine, job_id: str) -> list[dict[str, Any]]:
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT channel, action, detail, actor_id FROM audit_log "
                "WHERE target_type = 'admin_job' AND target_id = :id AND action = 'admin_action.stalled'"
            ),
            {"id": job_id},
        ).mappings()
        return [dict(r) for r in rows]


def test_a_job_whose_worker_was_killed_fails_as_stalled_and_the_action_runs_again(
    client: TestClient,
    ta: Party,
    tenant: MadeTenant,
    redis_client: redis.Redis,
    admin_engine: Engine,
    celery_worker_process: subprocess.Popen[bytes],
) -> None:
    cad = wait_thumbnail(client, ta, upload(client, ta, fixture(SCREW).read_bytes(), SCREW)["id"])
    assert cad["thumbnail_status"]["state"] == "ready", cad
    redis_client.set(SLOW_THUMBNAIL.format(tenant=tenant.id), "1", ex=600)
    try:
        running = start_rendering(client, ta, START)
        job_id = running["id"]
        host_pid = running["progress"]["host_pid"]
        pool_pid = pool_process_of(host_pid)
        assert pool_pid != celery_worker_process.pid and pool_pid in _ps_pids()

        # The worker's process dies mid-render (as when it is killed or its host is lost).
        os.kill(pool_pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (host_pid in _ps_pids() or pool_pid in _ps_pids()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pool_pid not in _ps_pids() and host_pid not in _ps_pids(), "the render died with its worker"

        # Not yet stalled (its last heartbeat is seconds old): the job still holds the action.
        assert job_id not in recover_on_worker()
        assert client.get(f"/api/admin/jobs/{job_id}", headers=ta.headers).json()["state"] == "running"
        refused = client.post(START, json={}, headers=ta.headers)
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "admin_action_running"

        # Nothing beats for it any more (the redelivered message found it running and left it):
        # after more than one heartbeat interval its heartbeat is as old as the kill.
        time.sleep(HEARTBEAT_S + 2)
        assert heartbeat_age_s(admin_engine, job_id) > HEARTBEAT_S
        # The tenant's threshold (10 min by default) passes: beat's recovery fails it.
        backdate(admin_engine, job_id, 11)
        assert recover_on_worker() == [job_id]
        job = client.get(f"/api/admin/jobs/{job_id}", headers=ta.headers).json()
        assert job["state"] == "failed" and job["finished_at"], job
        assert job["error"] == (
            "stalled: no progress for 11 min — the worker was probably lost; start it again"
        )
        assert job["progress"]["stalled"]["minutes"] == 11
        alerts = stalled_alerts(admin_engine, job_id)
        assert len(alerts) == 1 and alerts[0]["channel"] == "alert", alerts
        assert alerts[0]["actor_id"] is None and alerts[0]["detail"]["action"] == "regenerate_thumbnails"
        assert recover_on_worker() == [], "a failed job is not recovered twice"

        # The action is free again: a new job starts and renders (the worker has a new pool process).
        live_id = start_rendering(client, ta, START)["id"]

        # A job really working keeps its heartbeat fresh: even made to look silent for 11 min, it is
        # beating again within an interval, and the recovery (here the API's, when the page is
        # opened: the test worker's one process is busy rendering) leaves it alone.
        backdate(admin_engine, live_id, 11)
        deadline = time.monotonic() + HEARTBEAT_S + 10
        while heartbeat_age_s(admin_engine, live_id) > 60 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert heartbeat_age_s(admin_engine, live_id) < 60, "the running job's heartbeat"
        actions = {a["name"]: a for a in client.get("/api/admin/actions", headers=ta.headers).json()}
        assert actions["regenerate_thumbnails"]["running_job"]["id"] == live_id
        still = client.get(f"/api/admin/jobs/{live_id}", headers=ta.headers).json()
        assert still["state"] == "running", still
        assert client.post(f"/api/admin/jobs/{live_id}/cancel", headers=ta.headers).status_code == 200
        assert (
            wait_job(client, ta, live_id, lambda j: j["state"] in FINISHED, timeout_s=60)["state"]
            == "cancelled"
        )
    finally:
        redis_client.delete(SLOW_THUMBNAIL.format(tenant=tenant.id))


def test_the_page_and_a_start_recover_a_dead_job_at_once_by_the_tenants_threshold(
    client: TestClient, ta: Party, tenant: MadeTenant, app_db: SyncDatabase, admin_engine: Engine
) -> None:
    """A job row left running by a task that no longer exists (its worker lost), last heard of 3 min
    ago; the tenant recovers after 2 min."""
    dead = uuid.uuid4()
    with app_db.session(tenant.id) as session:
        session.add(
            AdminJob(
                id=dead, tenant_id=tenant.id, action="recompute_media_search_columns", params={},
                state="running", total=10, done=4, items=[], progress={"after": str(uuid.uuid4())},
                task_id=str(uuid.uuid4()), started_at=utcnow() - timedelta(minutes=20),
            )
        )  # fmt: skip
    backdate(admin_engine, str(dead), 3)
    action = next(
        a for a in client.get("/api/admin/actions", headers=ta.headers).json()
        if a["name"] == "recompute_media_search_columns"
    )  # fmt: skip
    assert action["running_job"]["id"] == str(dead), "3 min is not stalled by the default 10 min"

    setting = client.put(
        "/api/settings/admin_job_stall_timeout_minutes", json={"value": 2}, headers=ta.headers
    )
    assert setting.status_code == 204, setting.text
    action = next(
        a for a in client.get("/api/admin/actions", headers=ta.headers).json()
        if a["name"] == "recompute_media_search_columns"
    )  # fmt: skip
    assert action["running_job"] is None, "opening the page recovered it"
    job = client.get(f"/api/admin/jobs/{dead}", headers=ta.headers).json()
    assert (job["state"], job["done"], job["total"]) == ("failed", 4, 10)
    assert job["error"] == "stalled: no progress for 3 min — the worker was probably lost; start it again"
    assert len(stalled_alerts(admin_engine, str(dead))) == 1

    # A second dead one, recovered by the start itself (200-class, not 409).
    with app_db.session(tenant.id) as session:
        session.execute(update(AdminJob).where(AdminJob.id == dead).values(state="running"))
    backdate(admin_engine, str(dead), 5)
    started = client.post("/api/admin/actions/recompute-media-search-columns", headers=ta.headers)
    assert started.status_code == 202, started.text
    with app_db.session(tenant.id) as session:
        state = session.scalar(select(AdminJob.state).where(AdminJob.id == dead))
    assert state == "failed"
    assert (
        wait_job(client, ta, started.json()["id"], lambda j: j["state"] in FINISHED)["state"] == "succeeded"
    )

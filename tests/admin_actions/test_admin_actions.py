"""Admin actions end to end on a real Celery worker and Blender: regenerate thumbnails (new files,
live progress, counts), cancel mid-render (Blender dies, the job is cancelled), one job per action
at a time (409), who may run them, and jobs stay in their tenant."""

from __future__ import annotations

import json
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from automat.core import events
from automat.core.storage import default_storage
from automat.kit.storage import cad_prefix
from automat.models.user import Role
from tests.cad.conftest import fixture
from tests.cad.test_assign_material import magenta_share, upload, wait_thumbnail
from tests.support.celery_tasks import SLOW_THUMBNAIL
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

pytestmark = pytest.mark.usefixtures("celery_worker_process")
AsRole = Callable[[MadeTenant | None, Role], Party]
FILES = ("screw_m6x12_countersunk.step", "bearing_20x37x9__freecad_ap214.stp", "pulley_at3_t10_center.STEP")
PULLEY = FILES[2]
STEEL = "SCHAEFFLER_010101_Steel-Bare"
FINISHED = {"succeeded", "failed", "cancelled"}


@pytest.fixture
def ta(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


def thumbnail_path(tenant_id: uuid.UUID, cad_id: str) -> Path:
    return default_storage().path(f"{cad_prefix(tenant_id, uuid.UUID(cad_id))}/thumbnail.png")


def wait_job(
    client: TestClient,
    party: Party,
    job_id: str,
    done: Callable[[dict[str, Any]], bool],
    timeout_s: float = 240,
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/admin/jobs/{job_id}", headers=party.headers).json()
        if done(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} is still {job}")


def start_rendering(
    client: TestClient, party: Party, path: str = "/api/admin/actions/regenerate-thumbnails"
) -> dict[str, Any]:
    """Start the action and wait until its job renders (its render host's pid is known)."""
    started = client.post(path, json={}, headers=party.headers)
    assert started.status_code == 202, started.text
    running = wait_job(
        client, party, started.json()["id"],
        lambda j: j["state"] in FINISHED or (j["state"] == "running" and j["progress"].get("host_pid")),
    )  # fmt: skip
    assert running["state"] == "running", running
    return running


class Listener:
    """The tenant's live channel, as the WebSocket forwards it: the admin_job events."""

    def __init__(self, client: redis.Redis, tenant_id: uuid.UUID) -> None:
        self.pubsub = client.pubsub()
        self.pubsub.subscribe(events.channel_for(tenant_id))
        self.seen: list[dict[str, Any]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            message = self.pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
            if message is not None:
                event = json.loads(message["data"])
                if event.get("type") == "admin_job":
                    self.seen.append(event["job"])

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.pubsub.close()


@pytest.fixture
def listener(redis_client: redis.Redis, tenant: MadeTenant) -> Iterator[Listener]:
    found = Listener(redis_client, tenant.id)
    yield found
    found.close()


def _ps_pids() -> set[int]:
    out = subprocess.run(["ps", "-eo", "pid="], capture_output=True, text=True, check=True).stdout
    return {int(p) for p in out.split()}


def test_regenerate_thumbnails_renders_each_file_again_with_live_progress(
    client: TestClient, ta: Party, tenant: MadeTenant, listener: Listener
) -> None:
    cads = [
        wait_thumbnail(client, ta, upload(client, ta, fixture(name).read_bytes(), name)["id"])
        for name in FILES
    ]
    assert [c["thumbnail_status"]["state"] for c in cads] == ["ready"] * 3, cads
    pulley = next(c for c in cads if c["original_name"] == PULLEY)
    assert magenta_share(client, ta, pulley["id"]) > 0.2
    before = {c["id"]: (thumbnail_path(tenant.id, c["id"]).stat().st_mtime_ns,
                        thumbnail_path(tenant.id, c["id"]).read_bytes()) for c in cads}  # fmt: skip

    # The files with a part in the fallback material (the pulley among them); an alias then gives
    # the pulley's part steel.
    magenta = [c["id"] for c in cads if any(p["material_reason"] == "fallback" for p in c["parts"])]
    assert pulley["id"] in magenta
    preview = client.post(
        "/api/admin/actions/regenerate_thumbnails/preview", json={"only_fallback": True}, headers=ta.headers
    )
    assert preview.status_code == 200, preview.text
    assert preview.json()["items"] == len(magenta)
    part = next(p["name"] for p in pulley["parts"] if p["material_reason"] == "fallback")
    alias = client.post(
        "/api/material-aliases",
        json={"pattern": part, "kind": "exact", "material": STEEL},
        headers=ta.headers,
    )
    assert alias.status_code == 201, alias.text

    actions = {a["name"]: a for a in client.get("/api/admin/actions", headers=ta.headers).json()}
    thumbs = actions["regenerate_thumbnails"]
    assert thumbs["estimate"]["items"] == 3
    assert thumbs["estimate"]["basis"] == "measured"  # the three thumbnails just rendered
    assert thumbs["estimate"]["per_item_s"] > 0
    assert thumbs["running_job"] is None
    assert thumbs["help_key"] == "action.regenerate_thumbnails"

    started = client.post(
        "/api/admin/actions/regenerate-thumbnails",
        json={"cad_file_ids": [c["id"] for c in cads]},
        headers=ta.headers,
    )
    assert started.status_code == 202, started.text
    assert started.json()["state"] == "queued" and started.json()["total"] == 3
    job = wait_job(client, ta, started.json()["id"], lambda j: j["state"] in FINISHED)
    assert (job["state"], job["total"], job["done"], job["failed"]) == ("succeeded", 3, 3, 0), job["error"]
    assert job["started_at"] and job["finished_at"] and job["error"] is None

    for c in cads:
        mtime, _ = before[c["id"]]
        assert thumbnail_path(tenant.id, c["id"]).stat().st_mtime_ns > mtime, c["original_name"]
    assert thumbnail_path(tenant.id, pulley["id"]).read_bytes() != before[pulley["id"]][1]
    assert magenta_share(client, ta, pulley["id"]) < 0.01, "rendered with the material the alias gives"
    detail = client.get(f"/api/cad-files/{pulley['id']}", headers=ta.headers).json()
    assert detail["status"] == "ready"
    assert all(p["material"] == STEEL for p in detail["parts"] if p["name"] == part)

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(e["state"] == "succeeded" for e in listener.seen):
        time.sleep(0.1)
    mine = [e for e in listener.seen if e["id"] == job["id"]]
    assert mine[0]["state"] == "queued"
    assert mine[-1]["state"] == "succeeded"
    assert sorted({e["done"] for e in mine}) == [0, 1, 2, 3], "progress after each file"
    assert any(e["progress"].get("fraction") is not None for e in mine), "the render's own progress"

    listed = client.get("/api/admin/jobs", headers=ta.headers).json()
    assert listed["total"] == 1 and listed["next_cursor"] is None
    assert listed["items"][0]["id"] == job["id"]


def test_cancel_mid_render_kills_blender_and_a_second_start_is_refused(
    client: TestClient, ta: Party, tenant: MadeTenant, redis_client: redis.Redis
) -> None:
    names = FILES[:2]
    cads = [wait_thumbnail(client, ta, upload(client, ta, fixture(n).read_bytes(), n)["id"]) for n in names]
    redis_client.set(SLOW_THUMBNAIL.format(tenant=tenant.id), "1", ex=600)
    try:
        running = start_rendering(client, ta)
        job_id = running["id"]
        pid = running["progress"]["host_pid"]
        time.sleep(1.0)  # well into the render
        assert pid in _ps_pids()

        again = client.post("/api/admin/actions/regenerate-thumbnails", json={}, headers=ta.headers)
        assert again.status_code == 409, again.text
        assert again.json()["error"]["code"] == "admin_action_running"
        other = client.post("/api/admin/actions/recompute-media-search-columns", headers=ta.headers)
        assert other.status_code == 202, "another action may run meanwhile"

        cancelled = client.post(f"/api/admin/jobs/{job_id}/cancel", headers=ta.headers)
        assert cancelled.status_code == 200, cancelled.text
        job = wait_job(client, ta, job_id, lambda j: j["state"] in FINISHED, timeout_s=60)
        assert job["state"] == "cancelled", job
        assert job["done"] == 0 and job["total"] == 2
        deadline = time.monotonic() + 30
        while pid in _ps_pids() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pid not in _ps_pids(), "the render host survived the cancel"
        assert client.post(f"/api/admin/jobs/{job_id}/cancel", headers=ta.headers).status_code == 409
    finally:
        redis_client.delete(SLOW_THUMBNAIL.format(tenant=tenant.id))
    for c in cads:  # the files keep their thumbnails, still ready
        body = client.get(f"/api/cad-files/{c['id']}", headers=ta.headers).json()
        assert (body["status"], body["thumbnail_status"]["state"]) == ("ready", "ready"), body
    # Finished, so it may run again.
    again = client.post(
        "/api/admin/actions/regenerate-thumbnails", json={"cad_file_ids": [cads[0]["id"]]}, headers=ta.headers
    )
    assert again.status_code == 202, again.text
    assert wait_job(client, ta, again.json()["id"], lambda j: j["state"] in FINISHED)["state"] == "succeeded"


def test_only_admins_run_actions_and_jobs_stay_in_their_tenant(
    client: TestClient, ta: Party, as_role: AsRole, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    for role in (Role.PROJECT_MANAGER, Role.CLIENT):
        party = as_role(tenant, role)
        for method, path in (
            ("GET", "/api/admin/actions"),
            ("GET", "/api/admin/jobs"),
            ("POST", "/api/admin/actions/regenerate-thumbnails"),
        ):
            response = client.request(
                method, path, json={} if method == "POST" else None, headers=party.headers
            )
            assert response.status_code == 403, (role, path, response.text)
            assert response.json()["error"]["code"] == "insufficient_role"

    job = client.post("/api/admin/actions/recompute-media-search-columns", headers=ta.headers)
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    other = as_role(other_tenant, Role.TENANT_ADMIN)
    assert client.get(f"/api/admin/jobs/{job_id}", headers=other.headers).status_code == 404
    assert client.post(f"/api/admin/jobs/{job_id}/cancel", headers=other.headers).status_code == 404
    assert client.get("/api/admin/jobs", headers=other.headers).json()["total"] == 0
    # The other tenant runs the same action at the same time: one live job per tenant, not overall.
    assert (
        client.post("/api/admin/actions/recompute-media-search-columns", headers=other.headers).status_code
        == 202
    )

    ga = as_role(None, Role.GLOBAL_ADMIN)
    mine = client.get("/api/admin/jobs", params={"tenant_id": str(tenant.id)}, headers=ga.headers).json()
    assert [j["id"] for j in mine["items"]] == [job_id]
    done = wait_job(client, ta, job_id, lambda j: j["state"] in FINISHED)
    assert done["state"] == "succeeded", done

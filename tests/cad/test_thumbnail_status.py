"""The API tells a thumbnail being rendered from one that failed (real worker, real Blender)."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from automat.core.storage import default_storage
from automat.models.user import Role
from tests.cad.conftest import BEARING, fixture
from tests.support.celery_tasks import PAUSE_THUMBNAIL, THUMBNAIL_PAUSED, THUMBNAIL_RESUME
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party
from tests.support.redis_wait import blocking_pop

pytestmark = pytest.mark.usefixtures("celery_worker_process")


def upload(client: TestClient, party: Party, name: str) -> dict[str, Any]:
    response = client.post(
        "/api/cad-files", files={"file": (name, fixture(name).read_bytes())}, headers=party.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_final(client: TestClient, party: Party, cad_id: str, timeout_s: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/cad-files/{cad_id}", headers=party.headers).json()
        if (body["thumbnail_status"] or {}).get("state") in ("ready", "failed"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"the thumbnail of {cad_id} is still {body['thumbnail_status']}")


def listed(client: TestClient, party: Party, cad_id: str) -> dict[str, Any]:
    files = client.get("/api/cad-files", headers=party.headers).json()["items"]
    found: dict[str, Any] = next(f for f in files if f["id"] == cad_id)
    return found


@pytest.fixture
def pm(as_role: Any, tenant: MadeTenant) -> Party:
    party: Party = as_role(tenant, Role.PROJECT_MANAGER)
    return party


def test_a_thumbnail_is_pending_until_rendered_then_ready(client: TestClient, pm: Party) -> None:
    created = upload(client, pm, BEARING)
    assert created["status"] == "processing"
    assert created["thumbnail_status"] == {"state": "pending", "reason": None}
    body = wait_final(client, pm, created["id"])
    assert body["thumbnail_status"] == {"state": "ready", "reason": None}
    assert body["thumbnail"] == f"/api/cad-files/{created['id']}/thumbnail"
    assert listed(client, pm, created["id"])["thumbnail_status"] == {"state": "ready", "reason": None}


def test_a_thumbnail_shows_rendering_then_failed_with_the_reason(
    client: TestClient, pm: Party, tenant: MadeTenant, redis_client: redis.Redis
) -> None:
    redis_client.set(PAUSE_THUMBNAIL.format(tenant=tenant.id), "1", ex=300)
    created = upload(client, pm, "shaft_motor_antigravity_4004.STEP")
    # The queue may still hold thumbnails of earlier tests.
    paused = blocking_pop(redis_client, THUMBNAIL_PAUSED.format(tenant=tenant.id), timeout_s=240)
    assert paused == created["id"], "the thumbnail did not start"

    rendering = client.get(f"/api/cad-files/{created['id']}", headers=pm.headers).json()
    assert rendering["status"] == "ready"  # the model is fine; its picture is on its way
    assert rendering["thumbnail_status"] == {"state": "rendering", "reason": None}
    assert listed(client, pm, created["id"])["thumbnail_status"]["state"] == "rendering"

    # The converted model goes missing before Blender reads it: the render fails for real.
    default_storage().path(f"tenants/{tenant.id}/cad/{created['id']}/production.glb").unlink()
    redis_client.rpush(THUMBNAIL_RESUME.format(tenant=tenant.id), "go")

    body = wait_final(client, pm, created["id"])
    assert body["status"] == "ready"
    state = body["thumbnail_status"]
    assert state["state"] == "failed"
    assert state["reason"] and "production.glb" in state["reason"], state
    assert str(default_storage().root) not in state["reason"]  # no server folders in what users read
    assert body["thumbnail"] is None
    assert listed(client, pm, created["id"])["thumbnail_status"] == state


def test_a_failed_file_makes_no_thumbnail(client: TestClient, pm: Party) -> None:
    created = upload(client, pm, "madehere_truncated.step")
    deadline = time.monotonic() + 120
    while (body := client.get(f"/api/cad-files/{created['id']}", headers=pm.headers).json())[
        "status"
    ] != "failed":
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert body["thumbnail_status"] is None

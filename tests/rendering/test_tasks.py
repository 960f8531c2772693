"""A ready CAD file gets a thumbnail from the render queue (real worker, real Blender)."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from automat.models.user import Role
from tests.cad.conftest import BEARING, fixture
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]
pytestmark = pytest.mark.usefixtures("celery_worker_process")


def wait_thumbnail(client: TestClient, party: Party, cad_id: str, timeout_s: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/cad-files/{cad_id}", headers=party.headers).json()
        steps = {s["name"]: s for s in body["job_document"].get("steps", [])}
        thumb = steps.get("render_thumbnail")
        if body["status"] == "failed" or (thumb and thumb["status"] in ("completed", "failed")):
            return body
        time.sleep(0.5)
    raise AssertionError("no thumbnail in time")


def test_ready_cad_file_gets_a_transparent_thumbnail(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    created = client.post(
        "/api/cad-files", files={"file": (BEARING, fixture(BEARING).read_bytes())}, headers=pm.headers
    ).json()
    body = wait_thumbnail(client, pm, created["id"])
    assert body["status"] == "ready"
    step = next(s for s in body["job_document"]["steps"] if s["name"] == "render_thumbnail")
    assert step["status"] == "completed", step.get("error")
    assert step["engine"] == "cycles"
    assert step["device"].startswith("CPU")
    assert step["gpu_info"]["fallback"] is True  # no GPU on this machine: the logged CPU fallback
    assert body["thumbnail"] == f"/api/cad-files/{created['id']}/thumbnail"

    png = client.get(body["thumbnail"], headers=pm.headers)
    assert png.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.mode == "RGBA"
    assert image.size == (256, 256)
    assert image.getpixel((0, 0))[3] == 0  # transparent background
    opaque = sum(image.getchannel("A").histogram()[201:])
    assert opaque > 0.1 * 256 * 256  # the bearing fills a good part of the frame

    listed = client.get("/api/cad-files", headers=pm.headers).json()
    assert next(f for f in listed if f["id"] == created["id"])["thumbnail"] == body["thumbnail"]


def test_other_tenants_get_404_for_the_thumbnail(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    created = client.post(
        "/api/cad-files",
        files={"file": ("s.step", fixture("shaft_motor_antigravity_4004.STEP").read_bytes())},
        headers=pm.headers,
    ).json()
    wait_thumbnail(client, pm, created["id"])
    stranger = as_role(other_tenant, Role.PROJECT_MANAGER)
    assert (
        client.get(f"/api/cad-files/{created['id']}/thumbnail", headers=stranger.headers).status_code == 404
    )

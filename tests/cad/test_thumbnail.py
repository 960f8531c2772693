"""A ready CAD file gets a thumbnail from the render queue (real worker, real Blender)."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from automat.core.db import SyncDatabase
from automat.models.user import Role
from tests.cad.conftest import BEARING, fixture
from tests.support.factories import MadeTenant, make_tenant
from tests.support.fixtures import Party
from tests.support.step_boxes import Box, boxes_step

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
    # A transparent background: at most the faint edge of the floor's shadow reaches the corner
    # (denoised, as in a converged render of the studio, rather than left as sparse speckles).
    assert image.getpixel((0, 0))[3] < 32
    opaque = sum(image.getchannel("A").histogram()[201:])
    assert opaque > 0.1 * 256 * 256  # the bearing fills a good part of the frame

    listed = client.get("/api/cad-files", headers=pm.headers).json()["items"]
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


def thumbnail_step(body: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in body["job_document"]["steps"] if s["name"] == "render_thumbnail")


def test_a_thumbnail_that_would_show_nothing_fails_with_what_to_check(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    """A 40 mm housing and a 2 mm pin 20 m away: framed together, the housing is a dot."""
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    step = boxes_step([Box("Housing", (40, 30, 20)), Box("Stray_Pin", (2, 2, 2), (20_000, 0, 0))])
    created = client.post("/api/cad-files", files={"file": ("stray.step", step)}, headers=pm.headers).json()
    body = wait_thumbnail(client, pm, created["id"])

    assert body["status"] != "failed"  # the model itself converted; only its picture is refused
    step_record = thumbnail_step(body)
    assert step_record["status"] == "failed"
    error = step_record["error"]
    assert "would show almost nothing" in error and "less than the 0.5% a render needs" in error
    assert "Part 'Stray_Pin' lies 20.0 m away from the rest of the model" in error
    assert body["thumbnail"] is None
    assert client.get(f"/api/cad-files/{created['id']}/thumbnail", headers=pm.headers).status_code == 404


TWO_COLOURS = [
    Box("Widget_Left", (20, 20, 20), (0, 0, 0), colour=(1.0, 0.0, 0.0)),
    Box("Widget_Right", (20, 20, 20), (24, 0, 0), colour=(0.0, 0.0, 1.0)),
]


def thumbnail_colours(client: TestClient, party: Party, body: dict[str, Any]) -> dict[str, int]:
    png = client.get(body["thumbnail"], headers=party.headers)
    pixels = np.asarray(Image.open(io.BytesIO(png.content)).convert("RGBA")).astype(int)
    r, g, b, a = (pixels[..., i] for i in range(4))
    opaque = a >= 250
    return {
        "red": int((opaque & (r > 120) & (r > 2.5 * g) & (r > 2.5 * b)).sum()),
        "blue": int((opaque & (b > 120) & (b > 2.5 * r) & (b > 1.8 * g)).sum()),
        "magenta": int((opaque & (r > 200) & (g < 60) & (b > 200)).sum()),
    }


def test_a_tenant_with_cad_colours_sees_the_step_colours_in_table_and_thumbnail(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase
) -> None:
    opted_in = make_tenant(app_db, unmatched_part_material="cad_colour")
    pm = as_role(opted_in, Role.PROJECT_MANAGER)
    step = boxes_step(TWO_COLOURS)
    created = client.post("/api/cad-files", files={"file": ("two.step", step)}, headers=pm.headers).json()
    body = wait_thumbnail(client, pm, created["id"])

    parts = {p["name"]: (p["material"], p["material_reason"]) for p in body["parts"]}
    assert parts == {
        "Widget_Left": ("CAD_COLOUR_FF0000", "cad_colour"),
        "Widget_Right": ("CAD_COLOUR_0000FF", "cad_colour"),
    }
    steps = {s["name"]: s for s in body["job_document"]["steps"]}
    assert steps["auto_materials"]["outputs"]["reasons"] == {"cad_colour": 2}
    thumb = steps["render_thumbnail"]
    assert thumb["status"] == "completed", thumb.get("error")
    assert thumb["outputs"]["materials"] == {"material": 0, "cad_colour": 2, "fallback": 0}
    assert 0.05 < thumb["outputs"]["coverage"] < 0.9
    seen = thumbnail_colours(client, pm, body)
    assert seen["red"] > 1000 and seen["blue"] > 1000 and seen["magenta"] == 0, seen


def test_by_default_unmatched_parts_stay_magenta_whatever_their_cad_colour(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    step = boxes_step(TWO_COLOURS)
    created = client.post("/api/cad-files", files={"file": ("two.step", step)}, headers=pm.headers).json()
    body = wait_thumbnail(client, pm, created["id"])

    assert {p["material_reason"] for p in body["parts"]} == {"fallback"}
    assert {p["material"] for p in body["parts"]} == {"SCHAEFFLER_059999_FailedMaterial"}
    thumb = thumbnail_step(body)
    assert thumb["outputs"]["materials"] == {"material": 0, "cad_colour": 0, "fallback": 2}
    seen = thumbnail_colours(client, pm, body)
    assert seen["magenta"] > 1000 and seen["red"] == 0 and seen["blue"] == 0, seen

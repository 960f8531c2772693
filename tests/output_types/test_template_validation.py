"""Template upload → validation in a real Celery worker's render host (real Blender).

Two tests only: each opens .blend files in Blender, which is slow next to the rest."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.output_types.resolve import template_path_for
from automat.output_types.templates import NO_CAMERA_NOR_ANCHOR
from tests.blender.test_template import make_template
from tests.output_types.conftest import code_of, create_output_type
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

pytestmark = pytest.mark.usefixtures("celery_worker_process")


def upload(client: TestClient, party: Party, content: bytes, name: str) -> dict[str, Any]:
    response = client.post(
        "/api/render-templates",
        files={"file": ("scene.blend", content, "application/octet-stream")},
        data={"name": name},
        headers=party.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "validating"
    return body


def wait_validated(
    client: TestClient, party: Party, template_id: str, timeout_s: float = 180
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(
            f"/api/render-templates/{template_id}", headers=party.headers
        ).json()
        if body["status"] != "validating":
            return body
        time.sleep(0.3)
    raise AssertionError(f"template {template_id} still validating after {timeout_s} s")


def test_a_template_with_a_camera_becomes_ready(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, admin: Party, tmp_path: Path
) -> None:
    blend = make_template(tmp_path / "rig.blend")
    created = upload(client, admin, blend.read_bytes(), "Studio rig")
    duplicate = client.post(
        "/api/render-templates", files={"file": ("x.blend", blend.read_bytes())}, data={"name": "Studio rig"},
        headers=admin.headers,
    )  # fmt: skip
    assert (duplicate.status_code, code_of(duplicate)) == (409, "duplicate_template")

    body = wait_validated(client, admin, created["id"])
    assert body["status"] == "ready", body["error"]
    assert body["error"] is None
    found = body["inspection"]
    assert found["cameras"] == ["RigCam"]
    assert found["active_camera"] == "RigCam"
    assert found["has_anchor"] is True
    assert found["objects"] == 3  # camera, light, anchor
    assert found["blender_version"].startswith("5.")
    # What the templates screen shows besides: the file's own render settings (the output type's
    # decide), and no linked library is missing.
    assert found["resolution"] == [1920, 1080]
    assert found["frame_range"] == [1, 250]
    assert isinstance(found["samples"], int) and found["samples"] > 0
    assert found["missing_libraries"] == []
    assert body["size_bytes"] == len(blend.read_bytes())

    linked = create_output_type(client, admin, template_id=created["id"])
    assert linked.status_code == 201, linked.text
    with app_db.session(tenant.id) as session:
        path = template_path_for(session, tenant.id, uuid.UUID(created["id"]))
    assert path is not None and path.read_bytes() == blend.read_bytes()


def test_unusable_templates_become_invalid_with_the_reason(
    client: TestClient, admin: Party, tmp_path: Path
) -> None:
    bare = make_template(tmp_path / "bare.blend", camera=False, anchor=False)
    empty_scene = upload(client, admin, bare.read_bytes(), "Bare")
    broken = upload(client, admin, b"BLENDER-v500" + b"\x00garbage" * 64, "Broken")

    body = wait_validated(client, admin, empty_scene["id"])
    assert (body["status"], body["error"]) == ("invalid", NO_CAMERA_NOR_ANCHOR)
    assert body["inspection"]["lights"] == ["BrandKey"]

    body = wait_validated(client, admin, broken["id"])
    assert body["status"] == "invalid"
    assert body["error"].startswith("not a readable .blend file: ")
    assert "/" not in body["error"]  # no server paths in what the tenant sees

    refused = create_output_type(client, admin, template_id=broken["id"])
    assert (refused.status_code, code_of(refused)) == (422, "template_invalid")

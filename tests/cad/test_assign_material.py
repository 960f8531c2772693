"""Assign a material to a part that renders magenta: preview, save the alias, re-render, no magenta.

The timing pulley's only part matches none of the default aliases, so a new tenant gets its
thumbnail in the magenta fallback material. The tenant admin previews a pattern made from the part
name (it would also change the same part in a second upload of the pulley), saves it on the file
with `assign-material`: the part has the material at once, and the real worker and Blender render
the thumbnail again from the GLB the file has (not converted again: same GLB bytes and mtime, the
conversion's record in the job document untouched), with no magenta left.
"""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from automat.core.storage import default_storage
from automat.kit.storage import cad_prefix
from automat.models.user import Role
from tests.cad.broken_steps import garbage_at_line_11
from tests.cad.conftest import fixture
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

pytestmark = pytest.mark.usefixtures("celery_worker_process")
AsRole = Callable[[MadeTenant | None, Role], Party]
PULLEY = "pulley_at3_t10_center.STEP"
STEEL = "SCHAEFFLER_010101_Steel-Bare"


def upload(client: TestClient, party: Party, data: bytes, name: str) -> dict[str, Any]:
    response = client.post("/api/cad-files", files={"file": (name, data)}, headers=party.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_thumbnail(client: TestClient, party: Party, cad_id: str, timeout_s: float = 240) -> dict[str, Any]:
    """The file once processed and its thumbnail rendered (or failed)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/cad-files/{cad_id}", headers=party.headers).json()
        if body["status"] == "failed" or (
            body["status"] == "ready" and (body["thumbnail_status"] or {}).get("state") in ("ready", "failed")
        ):
            return body
        time.sleep(0.3)
    raise AssertionError(f"{cad_id} is still {body['status']} / {body['thumbnail_status']}")


def magenta_share(client: TestClient, party: Party, cad_id: str) -> float:
    """The share of the thumbnail's visible pixels that are magenta (the fallback material)."""
    response = client.get(f"/api/cad-files/{cad_id}/thumbnail", headers=party.headers)
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content)).convert("RGBA")
    visible = magenta = 0
    pixels = image.tobytes()
    for i in range(0, len(pixels), 4):
        r, g, b, a = pixels[i : i + 4]
        if a < 128:
            continue
        visible += 1
        if r > 120 and b > 120 and g < 0.6 * min(r, b):
            magenta += 1
    assert visible > 0, "the thumbnail shows nothing"
    return magenta / visible


def stored(tenant: MadeTenant, cad_id: str, name: str) -> Path:
    return default_storage().path(f"{cad_prefix(tenant.id, uuid.UUID(cad_id))}/{name}")


def files_of(tenant: MadeTenant, cad_id: str) -> dict[str, tuple[int, bytes]]:
    """The file's GLBs and thumbnail: (mtime, bytes)."""
    return {
        name: (stored(tenant, cad_id, name).stat().st_mtime_ns, stored(tenant, cad_id, name).read_bytes())
        for name in ("production.glb", "viewer.glb", "thumbnail.png")
    }


def step_records(cad: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["name"]: step for step in cad["job_document"]["steps"]}


@pytest.fixture
def ta(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


def test_a_magenta_part_gets_a_material_and_the_thumbnail_is_rendered_again(
    client: TestClient, ta: Party, as_role: AsRole, tenant: MadeTenant
) -> None:
    data = fixture(PULLEY).read_bytes()
    cad = wait_thumbnail(client, ta, upload(client, ta, data, PULLEY)["id"])
    assert cad["status"] == "ready", cad["error"]
    assert cad["thumbnail_status"]["state"] == "ready"
    unmatched = [p["name"] for p in cad["parts"] if p["material_reason"] == "fallback"]
    assert unmatched, [(p["name"], p["material_reason"]) for p in cad["parts"]]
    part = unmatched[0]
    assert magenta_share(client, ta, cad["id"]) > 0.2, "the unmatched part renders magenta"

    # A second file with the same part (the pulley saved again, other bytes): the preview finds it.
    other = upload(client, ta, data + b"\n", "pulley_copy.step")
    other = wait_thumbnail(client, ta, other["id"])
    before = {c["id"]: (files_of(tenant, c["id"]), step_records(c)) for c in (cad, other)}

    prefix = part.split("_")[0] + "*"
    preview = client.post(
        "/api/material-aliases/preview",
        json={"parts": [part], "candidate": {"pattern": prefix, "kind": "glob", "material": STEEL.lower()}},
        headers=ta.headers,
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert [(r["part"], r["before"], r["material"], r["reason"]) for r in body["results"]] == [
        (part, body["fallback_material"], STEEL, "pattern")
    ]
    impact = body["impact"]
    assert [(p["name"], p["after"], p["files"]) for p in impact["parts"]] == [(part, STEEL, 2)]
    assert impact["files_total"] == 2
    assert {f["id"] for f in impact["files"]} == {cad["id"], other["id"]}
    assert client.get("/api/material-aliases", headers=ta.headers).json() == [
        a for a in client.get("/api/material-aliases", headers=ta.headers).json() if a["pattern"] != prefix
    ], "a preview saves nothing"

    # Project managers may reprocess, but assigning materials is the tenant admin's.
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    denied = client.post(
        f"/api/cad-files/{cad['id']}/assign-material",
        json={"material": STEEL, "pattern": prefix, "kind": "glob"},
        headers=pm.headers,
    )
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "insufficient_role"

    assigned = client.post(
        f"/api/cad-files/{cad['id']}/assign-material",
        json={"material": STEEL, "pattern": prefix, "kind": "glob", "also_reprocess": [other["id"]]},
        headers=ta.headers,
    )
    assert assigned.status_code == 200, assigned.text
    result = assigned.json()
    # Ready, its parts resolved again at once, only the thumbnail waiting to be rendered.
    assert result["cad_file"]["status"] == "ready"
    assert result["cad_file"]["thumbnail_status"]["state"] in ("pending", "rendering", "ready")
    assert {
        (p["material"], p["material_reason"]) for p in result["cad_file"]["parts"] if p["name"] == part
    } == {(STEEL, "pattern")}
    assert result["reprocessed"] == [cad["id"], other["id"]]
    assert result["thumbnail_only"] == [cad["id"], other["id"]]
    aliases = client.get("/api/material-aliases", headers=ta.headers).json()
    assert [(a["pattern"], a["kind"], a["material"]) for a in aliases if a["id"] == result["alias_id"]] == [
        (prefix, "glob", STEEL)
    ]

    for cad_id in (cad["id"], other["id"]):
        again = wait_thumbnail(client, ta, cad_id)
        assert again["status"] == "ready", again["error"]
        assert again["thumbnail_status"]["state"] == "ready"
        files, steps = before[cad_id]
        now, steps_now = files_of(tenant, cad_id), step_records(again)
        for glb in ("production.glb", "viewer.glb"):
            assert now[glb] == files[glb], f"{glb} is the one the file had: not converted again"
        for step in ("occ_glb_export", "extract_metadata", "auto_materials"):
            assert steps_now[step] == steps[step], f"{step} did not run again"
        assert steps_now["render_thumbnail"]["started_at"] > steps["render_thumbnail"]["completed_at"]
        assert now["thumbnail.png"][0] > files["thumbnail.png"][0]
        assert now["thumbnail.png"][1] != files["thumbnail.png"][1], "a new thumbnail"
        assert {(p["material"], p["material_reason"]) for p in again["parts"] if p["name"] == part} == {
            (STEEL, "pattern")
        }
        assert magenta_share(client, ta, cad_id) < 0.01, "no magenta left in the new thumbnail"


def test_nothing_is_saved_while_the_file_is_processing(client: TestClient, ta: Party) -> None:
    created = upload(client, ta, fixture(PULLEY).read_bytes() + b"\n\n", "busy.step")
    assert created["status"] == "processing"
    busy = client.post(
        f"/api/cad-files/{created['id']}/assign-material",
        json={"material": STEEL, "pattern": "busy_part", "kind": "exact"},
        headers=ta.headers,
    )
    assert busy.status_code == 409
    assert busy.json()["error"]["code"] == "already_processing"
    patterns = [a["pattern"] for a in client.get("/api/material-aliases", headers=ta.headers).json()]
    assert "busy_part" not in patterns
    wait_thumbnail(client, ta, created["id"])  # leave the worker idle for the next test


def test_an_unknown_material_is_refused_before_anything_is_queued(client: TestClient, ta: Party) -> None:
    preview = client.post(
        "/api/material-aliases/preview",
        json={"parts": ["Widget"], "candidate": {"pattern": "Widget", "material": "SCHAEFFLER_000000_Nope"}},
        headers=ta.headers,
    )
    assert preview.status_code == 422
    assert preview.json()["error"]["code"] == "unknown_material"


def test_a_file_without_a_glb_is_processed_whole(client: TestClient, ta: Party) -> None:
    """A failed file has no GLB to render from: assigning a material on it processes it again."""
    failed = wait_thumbnail(client, ta, upload(client, ta, garbage_at_line_11(), "broken.step")["id"])
    assert failed["status"] == "failed", failed
    assigned = client.post(
        f"/api/cad-files/{failed['id']}/assign-material",
        json={"material": STEEL, "pattern": "Broken_Part", "kind": "exact"},
        headers=ta.headers,
    )
    assert assigned.status_code == 200, assigned.text
    result = assigned.json()
    assert result["cad_file"]["status"] == "processing"
    assert (result["reprocessed"], result["thumbnail_only"]) == ([failed["id"]], [])
    assert wait_thumbnail(client, ta, failed["id"])["status"] == "failed"  # the same bytes fail again

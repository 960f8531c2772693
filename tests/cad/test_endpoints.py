"""Upload → sandboxed conversion → metadata → materials, through the API and a real worker."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.models.user import Role
from tests.cad import broken_steps
from tests.cad.conftest import BEARING, fixture, validate_gltf
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]
pytestmark = pytest.mark.usefixtures("celery_worker_process")


def upload(client: TestClient, party: Party, data: bytes, name: str = "part.step") -> Any:
    return client.post(
        "/api/cad-files", files={"file": (name, data, "application/octet-stream")}, headers=party.headers
    )


def wait_done(client: TestClient, party: Party, cad_id: str, timeout_s: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/cad-files/{cad_id}", headers=party.headers).json()
        if body["status"] in ("ready", "failed"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"CAD file {cad_id} still {body['status']} after {timeout_s} s")


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


@pytest.fixture(scope="module")
def bearing_bytes() -> bytes:
    return fixture(BEARING).read_bytes()


def test_bearing_upload_becomes_ready_with_parts_metadata_and_materials(
    client: TestClient, pm: Party, bearing_bytes: bytes, tmp_path: Path
) -> None:
    created = upload(client, pm, bearing_bytes, BEARING)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "processing"
    body = wait_done(client, pm, created.json()["id"])
    assert body["status"] == "ready", body["error"]

    meta = body["metadata"]
    assert meta["application_protocol"] == "AP214"
    assert meta["units"]["length"] == "millimetre"
    assert sorted(meta["size_mm"]) == pytest.approx([9.0, 37.0, 37.0], rel=0.01)
    assert meta["counts"]["parts"] == 16
    assert meta["counts"]["triangles"] > 1000
    assert body["parts_count"] == 16
    listed = client.get("/api/cad-files", headers=pm.headers).json()["items"]
    assert [f["parts_count"] for f in listed if f["id"] == body["id"]] == [16]

    names = [p["name"] for p in body["parts"]]
    assert names.count("Ball") == 14
    assert {"Inner_Ring", "Outer_Ring"} <= set(names)
    assert all(p["material"] and p["material_reason"] != "fallback" for p in body["parts"])
    ball = next(p for p in body["parts"] if p["name"] == "Ball")
    assert ball["volume_mm3"] == pytest.approx(4 / 3 * 3.14159 * 2.54**3, rel=0.03)  # a 5.08 mm ball

    doc = body["job_document"]
    assert doc["state"] == "completed"
    # The thumbnail step may follow on the render queue; the processing steps come first.
    assert [s["name"] for s in doc["steps"][:3]] == ["occ_glb_export", "extract_metadata", "auto_materials"]
    assert all(s["status"] == "completed" and s["duration_s"] is not None for s in doc["steps"][:3])
    assert doc["celery_task_id"]

    for kind in ("viewer", "production"):
        glb = client.get(f"/api/cad-files/{body['id']}/glb?kind={kind}", headers=pm.headers)
        assert glb.status_code == 200
        assert glb.headers["content-type"] == "model/gltf-binary"
        assert glb.content[:4] == b"glTF"
        (tmp_path / f"{kind}.glb").write_bytes(glb.content)
    assert [r["errors"] for r in validate_gltf(tmp_path / "viewer.glb", tmp_path / "production.glb")] == [
        0,
        0,
    ]


def test_same_content_twice_is_the_same_record(client: TestClient, pm: Party, bearing_bytes: bytes) -> None:
    first = upload(client, pm, bearing_bytes, "a.step")
    again = upload(client, pm, bearing_bytes, "b.step")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    listed = client.get("/api/cad-files", headers=pm.headers).json()["items"]
    assert [f["id"] for f in listed].count(first.json()["id"]) == 1


def test_bom_and_comments_before_the_magic_line_are_accepted(
    client: TestClient, pm: Party, bearing_bytes: bytes
) -> None:
    data = b"\xef\xbb\xbf/* exported for a test */\n" + bearing_bytes
    assert upload(client, pm, data).status_code == 201


def test_a_byte_order_mark_is_read_and_noted_not_a_failure(client: TestClient, pm: Party) -> None:
    """OpenCASCADE refuses a file that starts with a UTF-8 BOM; the platform removes it and says so."""
    created = upload(client, pm, broken_steps.with_bom(), "windows.stp")
    body = wait_done(client, pm, created.json()["id"])
    assert body["status"] == "ready", body["error"]
    assert body["parts_count"] == 16
    assert body["metadata"]["utf8_bom"] is True
    assert [(w["code"], w["severity"], w["step"]) for w in body["warnings"]] == [
        ("utf8_bom_stripped", "info", "occ_glb_export")
    ]
    assert "byte-order mark" in body["warnings"][0]["message"]


def test_a_file_opencascade_reads_only_in_part_is_ready_with_warnings(
    client: TestClient, pm: Party, app_db: Any
) -> None:
    from sqlalchemy import text

    created = upload(client, pm, broken_steps.lost_outer_ring(), "bearing-edited.stp")
    body = wait_done(client, pm, created.json()["id"])
    assert body["status"] == "ready", body["error"]
    assert body["parts_count"] == 15  # the outer ring is gone
    codes = ["malformed_records", "products_without_geometry"]
    assert [(w["code"], w["severity"], w["step"]) for w in body["warnings"]] == [
        (code, "warning", "extract_metadata") for code in codes
    ]
    assert "#520 MANIFOLD_SOLID_BREP" in body["warnings"][0]["message"]
    assert "Outer_Ring" in body["warnings"][1]["message"]

    doc = body["job_document"]
    assert [w["code"] for w in doc["warnings"]] == codes
    metadata_step = next(s for s in doc["steps"] if s["name"] == "extract_metadata")
    assert metadata_step["outputs"]["warnings"] == codes
    listed = client.get("/api/cad-files", headers=pm.headers).json()["items"]
    assert [[w["code"] for w in f["warnings"]] for f in listed if f["id"] == body["id"]] == [codes]
    with app_db.session(pm.user.tenant_id) as session:
        logged = session.scalars(
            text("SELECT message FROM pipeline_events WHERE job_id = :j AND message LIKE 'warning %'"),
            {"j": f"cad:{body['id']}"},
        ).all()
    assert [m.split(":")[0] for m in logged] == [f"warning {code}" for code in codes]

    clean = wait_done(client, pm, upload(client, pm, broken_steps.bearing()).json()["id"])
    assert clean["warnings"] == [] and clean["job_document"]["warnings"] == []
    assert clean["metadata"]["utf8_bom"] is False


@pytest.mark.parametrize("name", ["madehere_png_renamed.step", "madehere_empty.step"])
def test_non_step_content_is_415_whatever_its_name(client: TestClient, pm: Party, name: str) -> None:
    response = upload(client, pm, fixture(name).read_bytes(), name)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "not_step"


def test_truncated_file_fails_clearly_and_the_worker_goes_on(
    client: TestClient, pm: Party, bearing_bytes: bytes
) -> None:
    broken = upload(client, pm, fixture("madehere_truncated.step").read_bytes(), "cut.step")
    assert broken.status_code == 201
    failed = wait_done(client, pm, broken.json()["id"])
    assert failed["status"] == "failed"
    assert failed["error"].startswith("The file is cut off: it ends before its end marker")
    assert failed["error_code"] == "truncated_step"
    assert "incomplete" in failed["error_detail"]  # the pre-check's own words
    assert failed["job_document"]["state"] == "failed"
    assert failed["job_document"]["steps"][0]["status"] == "failed"
    assert client.get(f"/api/cad-files/{failed['id']}/glb", headers=pm.headers).status_code == 404

    shaft = upload(client, pm, fixture("shaft_motor_antigravity_4004.STEP").read_bytes())
    assert wait_done(client, pm, shaft.json()["id"])["status"] == "ready"


def test_reprocess_runs_the_steps_again(client: TestClient, pm: Party) -> None:
    created = upload(client, pm, fixture("screw_m6x12_countersunk.step").read_bytes())
    wait_done(client, pm, created.json()["id"])
    again = client.post(f"/api/cad-files/{created.json()['id']}/reprocess", headers=pm.headers)
    assert again.status_code == 200
    assert again.json()["status"] == "processing"
    done = wait_done(client, pm, created.json()["id"])
    assert done["status"] == "ready"
    assert done["job_document"]["history"][0]["to_state"] == "queued"


def test_upload_over_the_tenant_limit_is_413(client: TestClient, as_role: AsRole, tenant: MadeTenant) -> None:
    admin = as_role(tenant, Role.TENANT_ADMIN)
    assert (
        client.put("/api/settings/max_upload_mb", json={"value": 1}, headers=admin.headers).status_code == 204
    )
    big = fixture("lower_leg_structure_base.STEP").read_bytes() + b"/*" + b" " * 100_000 + b"*/"
    assert len(big) > 1_048_576
    response = upload(client, admin, big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_clients_cannot_upload(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, bearing_bytes: bytes
) -> None:
    customer = as_role(tenant, Role.CLIENT)
    assert upload(client, customer, bearing_bytes).status_code == 403


def test_missing_file_field_and_wrong_content_type(client: TestClient, pm: Party) -> None:
    no_file = client.post("/api/cad-files", files={"other": ("x.step", b"x")}, headers=pm.headers)
    assert no_file.json()["error"]["code"] == "file_required"
    as_json = client.post("/api/cad-files", json={"file": "x"}, headers=pm.headers)
    assert as_json.json()["error"]["code"] == "multipart_required"


def test_other_tenants_cannot_see_fetch_or_delete(
    client: TestClient, pm: Party, as_role: AsRole, other_tenant: MadeTenant, bearing_bytes: bytes
) -> None:
    cad_id = upload(client, pm, bearing_bytes).json()["id"]
    wait_done(client, pm, cad_id)
    stranger = as_role(other_tenant, Role.TENANT_ADMIN)
    for method, path in [
        ("GET", f"/api/cad-files/{cad_id}"),
        ("GET", f"/api/cad-files/{cad_id}/glb?kind=viewer"),
        ("POST", f"/api/cad-files/{cad_id}/reprocess"),
        ("DELETE", f"/api/cad-files/{cad_id}"),
    ]:
        assert client.request(method, path, headers=stranger.headers).status_code == 404, (method, path)
    assert cad_id not in [
        f["id"] for f in client.get("/api/cad-files", headers=stranger.headers).json()["items"]
    ]
    # The same content uploaded by the other tenant is a record of its own.
    theirs = upload(client, stranger, bearing_bytes)
    assert theirs.status_code == 201
    assert theirs.json()["id"] != cad_id


def test_a_global_admin_uploads_into_a_tenant_and_lists_one_tenant_or_all(
    client: TestClient, pm: Party, as_role: AsRole, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    admin = as_role(None, Role.GLOBAL_ADMIN)
    screw = fixture("screw_m6x12_countersunk.step").read_bytes()
    assert upload(client, admin, screw).json()["error"]["code"] == "tenant_required"
    theirs = client.post(
        f"/api/cad-files?tenant_id={other_tenant.id}",
        files={"file": ("screw.step", screw, "application/octet-stream")},
        headers=admin.headers,
    )
    assert theirs.status_code == 201
    assert theirs.json()["tenant_id"] == str(other_tenant.id)
    ours = upload(client, pm, screw).json()

    def listed(party: Party, query: str = "") -> dict[str, str]:
        response = client.get(f"/api/cad-files{query}", headers=party.headers)
        assert response.status_code == 200, response.text
        return {f["id"]: f["tenant_id"] for f in response.json()["items"]}

    everything = listed(admin)
    assert everything[ours["id"]] == str(tenant.id)
    assert everything[theirs.json()["id"]] == str(other_tenant.id)
    only_other = listed(admin, f"?tenant_id={other_tenant.id}")
    assert theirs.json()["id"] in only_other and ours["id"] not in only_other
    # Anyone else naming another tenant learns nothing.
    assert client.get(f"/api/cad-files?tenant_id={other_tenant.id}", headers=pm.headers).status_code == 404


def test_delete_removes_record_and_files(client: TestClient, pm: Party, settings: Any) -> None:
    cad_id = upload(client, pm, fixture("pulley_at3_t10_center.STEP").read_bytes()).json()["id"]
    body = wait_done(client, pm, cad_id)
    folder = settings.resolved_home() / "storage" / "tenants" / str(pm.user.tenant_id) / "cad" / cad_id
    assert (folder / "viewer.glb").exists()
    assert body["status"] == "ready"
    assert client.delete(f"/api/cad-files/{cad_id}", headers=pm.headers).status_code == 204
    assert client.get(f"/api/cad-files/{cad_id}", headers=pm.headers).status_code == 404
    assert not folder.exists()


def test_worker_logged_every_step(client: TestClient, pm: Party, app_db: Any, bearing_bytes: bytes) -> None:
    from sqlalchemy import text

    cad_id = upload(client, pm, b"\n" + bearing_bytes).json()["id"]
    wait_done(client, pm, cad_id)
    with app_db.session(pm.user.tenant_id) as session:
        rows = session.execute(
            text("SELECT step_name, message FROM pipeline_events WHERE job_id = :j ORDER BY id"),
            {"j": f"cad:{cad_id}"},
        ).all()
    steps = [r.step_name for r in rows]
    assert {"occ_glb_export", "extract_metadata", "auto_materials"} <= set(steps)
    assert any("part 'Outer_Ring' →" in r.message and "(pattern match)" in r.message for r in rows)


def test_cli_convert_prints_metadata_and_fails_cleanly(tmp_path: Path) -> None:
    import json
    import sys

    def convert(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "automat.cli", "convert", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    ok = convert(str(fixture(BEARING)), "-o", str(tmp_path / "b.glb"), "--json")
    assert ok.returncode == 0, ok.stderr
    report = json.loads(ok.stdout)
    assert sorted(report["bbox_mm"]["size"]) == pytest.approx([9.0, 37.0, 37.0], rel=0.01)
    assert all(p["material_reason"] != "fallback" for p in report["parts"])
    assert (tmp_path / "b.glb").read_bytes()[:4] == b"glTF"
    bad = convert(str(fixture("madehere_png_renamed.step")), "-o", str(tmp_path / "x.glb"))
    assert bad.returncode == 1
    failed = json.loads(bad.stdout)
    assert failed["error"]["code"] == failed["error_code"] == "not_step"
    assert failed["error"]["message"].startswith("This is not a STEP file (it is a PNG image).")
    assert failed["error_detail"]  # the pre-check's own words, as the API's error_detail
    assert report["warnings"] == []

    # What OpenCASCADE said, beside the plain words, as the API keeps them.
    damaged = tmp_path / "damaged.stp"
    damaged.write_bytes(broken_steps.garbage_at_line_11())
    syntax = convert(str(damaged), "-o", str(tmp_path / "d.glb"), "--json")
    assert syntax.returncode == 1
    failed = json.loads(syntax.stdout)
    assert failed["error_code"] == "step_syntax_error"
    assert failed["error"]["message"].startswith("The file has a syntax error at line 11")
    assert "Undefined Parsing: Line 11" in failed["error_detail"]

    moved = tmp_path / "moved.stp"
    moved.write_bytes(broken_steps.moved_ball())
    warned = convert(str(moved), "-o", str(tmp_path / "m.glb"), "--json")
    assert warned.returncode == 0, warned.stderr  # converted, with warnings
    (far,) = json.loads(warned.stdout)["warnings"]
    assert (far["code"], far["severity"]) == ("parts_far_outside", "warning")
    assert far["details"]["parts"][0]["name"] == "Ball"
    text = convert(str(moved), "-o", str(tmp_path / "m.glb"))
    assert "warning: 1 part lies far outside the rest of the model" in text.stdout

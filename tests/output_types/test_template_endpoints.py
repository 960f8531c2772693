"""/api/render-templates without a worker: content sniffing, roles, listing, deletion, verdicts."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.kit.storage import OWNERS_DIR
from automat.models.output import TemplateStatus
from automat.models.user import Role
from automat.output_types.templates import NO_CAMERA_NOR_ANCHOR, sniff_blend, verdict
from tests.output_types.conftest import AsRole, code_of, create_output_type, make_template_row
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party


@pytest.mark.parametrize(
    ("head", "ok"),
    [
        (b"BLENDER-v500REND", True),
        (gzip.compress(b"BLENDER-v279"), True),
        (b"\x28\xb5\x2f\xfd" + b"\x00" * 8, True),
        (b"ISO-10303-21;", False),
        (b"PK\x03\x04", False),
        (b"blender", False),
    ],
)
def test_sniff_by_content(head: bytes, ok: bool) -> None:
    error = sniff_blend(head, len(head))
    assert (error is None) is ok
    if error is not None:
        assert (error.status_code, error.code) == (415, "not_blend")
    assert sniff_blend(b"", 0) is not None


def test_verdict() -> None:
    assert verdict({"status": "completed", "cameras": ["Cam"], "has_anchor": False}) == (
        TemplateStatus.READY,
        None,
    )
    assert verdict({"status": "completed", "cameras": [], "has_anchor": True}) == (TemplateStatus.READY, None)
    assert verdict({"status": "completed", "cameras": [], "has_anchor": False}) == (
        TemplateStatus.INVALID,
        NO_CAMERA_NOR_ANCHOR,
    )
    status, error = verdict({"status": "failed", "error": "Missing DNA block"})
    assert (status, error) == (TemplateStatus.INVALID, "not a readable .blend file: Missing DNA block")


def _temp_entries() -> set[str]:
    """What uploads left in the temp folder (the processes' owner locks are not uploads)."""
    return {p.name for p in default_storage().root.joinpath(".tmp").iterdir() if p.name != OWNERS_DIR}


def test_a_template_of_several_mb_is_not_held_to_the_json_body_limit(
    client: TestClient, admin: Party
) -> None:
    big = b"BLENDER-v500REND" + b"\0" * (3 * 1_048_576)  # over the 1 MB limit of JSON bodies
    response = client.post(
        "/api/render-templates",
        files={"file": ("studio.blend", big, "application/octet-stream")},
        data={"name": "Big studio"},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text


def test_a_non_blend_upload_is_415_and_nothing_is_kept(client: TestClient, admin: Party) -> None:
    before = _temp_entries()
    for content in (b"ISO-10303-21;\nHEADER;", b""):
        refused = client.post(
            "/api/render-templates",
            files={"file": ("studio.blend", content, "application/octet-stream")},
            data={"name": "Studio"},
            headers=admin.headers,
        )
        assert (refused.status_code, code_of(refused)) == (415, "not_blend")
    assert _temp_entries() == before
    assert client.get("/api/render-templates", headers=admin.headers).json() == []


def test_roles(client: TestClient, app_db: SyncDatabase, as_role: AsRole, tenant: MadeTenant) -> None:
    template_id = make_template_row(app_db, tenant=tenant)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    assert [t["id"] for t in client.get("/api/render-templates", headers=pm.headers).json()] == [
        str(template_id)
    ]
    assert client.get(f"/api/render-templates/{template_id}", headers=pm.headers).json()["status"] == "ready"
    upload = client.post(
        "/api/render-templates", files={"file": ("a.blend", b"BLENDER-v500")}, headers=pm.headers
    )
    assert upload.status_code == 403
    assert client.delete(f"/api/render-templates/{template_id}", headers=pm.headers).status_code == 403
    reader = as_role(tenant, Role.CLIENT)
    assert client.get("/api/render-templates", headers=reader.headers).status_code == 403


def test_list_by_status_and_delete_removes_the_file(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, admin: Party
) -> None:
    ready = make_template_row(app_db, tenant=tenant)
    make_template_row(app_db, tenant=tenant, status=TemplateStatus.INVALID, error=NO_CAMERA_NOR_ANCHOR)
    invalid = client.get("/api/render-templates?status=invalid", headers=admin.headers).json()
    assert [t["error"] for t in invalid] == [NO_CAMERA_NOR_ANCHOR]
    folder = default_storage().path(f"tenants/{tenant.id}/templates/{ready}")
    assert folder.is_dir()
    assert client.delete(f"/api/render-templates/{ready}", headers=admin.headers).status_code == 204
    assert not folder.exists()
    assert client.get(f"/api/render-templates/{ready}", headers=admin.headers).status_code == 404


def test_a_deactivated_template_cannot_be_linked_but_linked_output_types_keep_it(
    client: TestClient, app_db: SyncDatabase, as_role: AsRole, tenant: MadeTenant, admin: Party
) -> None:
    template_id = make_template_row(app_db, tenant=tenant)
    url = f"/api/render-templates/{template_id}"
    linked = create_output_type(client, admin, template_id=str(template_id))
    assert linked.status_code == 201, linked.text

    pm = as_role(tenant, Role.PROJECT_MANAGER)
    assert client.patch(url, json={"is_active": False}, headers=pm.headers).status_code == 403
    body = client.patch(url, json={"is_active": False, "name": "Old rig"}, headers=admin.headers).json()
    assert (body["is_active"], body["name"]) == (False, "Old rig")
    assert client.get(url, headers=pm.headers).json()["is_active"] is False

    refused = create_output_type(client, admin, template_id=str(template_id))
    assert (refused.status_code, code_of(refused)) == (422, "template_inactive")
    # The output type that links it already is untouched and may change otherwise.
    kept = client.patch(
        f"/api/output-types/{linked.json()['id']}", json={"price": "2.50"}, headers=admin.headers
    )
    assert (kept.status_code, kept.json()["template_id"]) == (200, str(template_id))

    assert client.patch(url, json={"is_active": True}, headers=admin.headers).json()["is_active"] is True
    assert create_output_type(client, admin, template_id=str(template_id)).status_code == 201

    other = make_template_row(app_db, tenant=tenant)
    taken = client.patch(f"/api/render-templates/{other}", json={"name": "Old rig"}, headers=admin.headers)
    assert (taken.status_code, code_of(taken)) == (409, "duplicate_template")

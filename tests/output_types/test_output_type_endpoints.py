"""/api/output-types: CRUD, render settings checks, template links, roles, deletion rules."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.core.db import SyncDatabase
from automat.models.output import TemplateStatus
from automat.models.user import Role
from tests.output_types.conftest import AsRole, code_of, create_output_type, make_template_row
from tests.support.factories import MadeTenant, make_tenant, unique
from tests.support.fixtures import Party, login


def test_crud_round_trip(client: TestClient, admin: Party) -> None:
    made = create_output_type(
        client, admin, name="Still 512", kind="still", price="12.5",
        render_settings={"width": 512, "height": 512, "format": "JPG", "position": "ISO"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    body = made.json()
    settings = body["render_settings"]
    assert (settings["width"], settings["format"], settings["position"]) == (512, "jpeg", "iso")
    assert (settings["engine"], settings["samples"], settings["transparent_bg"]) == ("cycles", None, True)
    assert body["price"] == "12.50"
    assert body["is_active"] is True
    assert body["template_id"] is None

    url = f"/api/output-types/{body['id']}"
    assert client.get(url, headers=admin.headers).json() == body
    assert [t["name"] for t in client.get("/api/output-types", headers=admin.headers).json()] == ["Still 512"]

    patched = client.patch(url, json={"render_settings": {"width": 640}, "price": 9}, headers=admin.headers)
    assert patched.status_code == 200, patched.text
    assert (patched.json()["render_settings"]["width"], patched.json()["render_settings"]["height"]) == (
        640,
        512,
    )
    assert patched.json()["price"] == "9.00"
    # A new kind without a format takes the kind's default format.
    turned = client.patch(
        url, json={"kind": "turntable", "render_settings": {"frames": 12}}, headers=admin.headers
    )
    assert turned.status_code == 200, turned.text
    assert (turned.json()["render_settings"]["format"], turned.json()["render_settings"]["frames"]) == (
        "mp4",
        12,
    )

    again = create_output_type(client, admin, name="Still 512")
    assert (again.status_code, code_of(again)) == (409, "duplicate_output_type")
    assert client.patch(url, json={"name": None}, headers=admin.headers).status_code == 422

    assert client.delete(url, headers=admin.headers).status_code == 204
    assert client.get(url, headers=admin.headers).status_code == 404


def test_list_filters_by_kind_and_hides_inactive(client: TestClient, admin: Party) -> None:
    create_output_type(client, admin, name="A thumb", kind="thumbnail")
    create_output_type(client, admin, name="B glb", kind="glb")
    create_output_type(client, admin, name="C old", kind="thumbnail", is_active=False)

    def names(**params: Any) -> list[str]:
        return [
            t["name"] for t in client.get("/api/output-types", params=params, headers=admin.headers).json()
        ]

    assert names() == ["A thumb", "B glb"]
    assert names(kind="thumbnail") == ["A thumb"]
    assert names(kind="thumbnail", include_inactive="true") == ["A thumb", "C old"]
    assert client.get("/api/output-types?kind=video", headers=admin.headers).status_code == 422


def test_every_user_reads_only_admins_write(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, admin: Party
) -> None:
    made = create_output_type(client, admin, kind="thumbnail").json()
    url = f"/api/output-types/{made['id']}"
    for role in (Role.CLIENT, Role.PROJECT_MANAGER):
        party = as_role(tenant, role)
        assert [t["id"] for t in client.get("/api/output-types", headers=party.headers).json()] == [
            made["id"]
        ]
        assert client.get(url, headers=party.headers).status_code == 200
        refused = create_output_type(client, party)
        assert (refused.status_code, code_of(refused)) == (403, "insufficient_role")
        assert client.patch(url, json={"price": 1}, headers=party.headers).status_code == 403
        assert client.delete(url, headers=party.headers).status_code == 403
    assert client.get("/api/output-types").status_code == 401


def test_render_settings_are_checked_with_stable_codes(client: TestClient, admin: Party) -> None:
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"kind": "still", "render_settings": {"width": 10}}, "invalid_render_settings", "width"),
        ({"kind": "still", "render_settings": {"resolution": 5}}, "invalid_render_settings", "resolution"),
        ({"kind": "still", "render_settings": {"format": "gif"}}, "invalid_render_settings", "gif"),
        ({"kind": "turntable", "render_settings": {"format": "png"}}, "invalid_render_settings", "mp4"),
        ({"kind": "still", "render_settings": {"position": "nadir"}}, "unknown_position", "nadir"),
        ({"kind": "still", "render_settings": {"engine": "eevee"}}, "engine_not_allowed", "eevee"),
        ({"kind": "still", "template_id": str(uuid.uuid4())}, "unknown_template", "template"),
    ]
    for body, code, mentioned in cases:
        response = create_output_type(client, admin, **body)
        assert (response.status_code, code_of(response)) == (422, code), (body, response.text)
        assert mentioned in response.json()["error"]["message"], response.text
    assert create_output_type(client, admin, price=-1).status_code == 422
    assert create_output_type(client, admin, kind="video").status_code == 422
    made = create_output_type(client, admin).json()
    eevee = client.patch(
        f"/api/output-types/{made['id']}",
        json={"render_settings": {"engine": "eevee"}},
        headers=admin.headers,
    )
    assert (eevee.status_code, code_of(eevee)) == (422, "engine_not_allowed")


def test_engines_follow_the_tenant_config(client: TestClient, app_db: SyncDatabase, as_role: AsRole) -> None:
    both = as_role(make_tenant(app_db, render_engines_allowed=["cycles", "eevee"]), Role.TENANT_ADMIN)
    made = create_output_type(client, both, render_settings={"engine": "eevee"})
    assert made.status_code == 201, made.text
    eevee_only = as_role(make_tenant(app_db, render_engines_allowed=["eevee"]), Role.TENANT_ADMIN)
    refused = create_output_type(client, eevee_only)  # cycles by default
    assert (refused.status_code, code_of(refused)) == (422, "engine_not_allowed")
    # A GLB export renders nothing, so its engine does not matter.
    assert create_output_type(client, eevee_only, kind="glb").status_code == 201


def test_template_links(client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, admin: Party) -> None:
    ready = make_template_row(app_db, tenant=tenant)
    validating = make_template_row(app_db, tenant=tenant, status=TemplateStatus.VALIDATING)
    invalid = make_template_row(app_db, tenant=tenant, status=TemplateStatus.INVALID, error="no camera")

    linked = create_output_type(client, admin, template_id=str(ready))
    assert linked.status_code == 201, linked.text
    assert create_output_type(client, admin, template_id=str(validating)).status_code == 201
    refused = create_output_type(client, admin, template_id=str(invalid))
    assert (refused.status_code, code_of(refused)) == (422, "template_invalid")

    url = f"/api/output-types/{linked.json()['id']}"
    in_use = client.delete(f"/api/render-templates/{ready}", headers=admin.headers)
    assert (in_use.status_code, code_of(in_use)) == (409, "template_in_use")
    assert in_use.json()["error"]["details"]["output_types"] == [linked.json()["name"]]
    unlinked = client.patch(url, json={"template_id": None}, headers=admin.headers)
    assert unlinked.json()["template_id"] is None
    assert client.delete(f"/api/render-templates/{ready}", headers=admin.headers).status_code == 204


def _order_line(admin_engine: Engine, tenant: MadeTenant, output_type_id: str) -> None:
    with admin_engine.begin() as conn:
        product = conn.execute(
            text("INSERT INTO products (tenant_id, pim_id, name) VALUES (:t, :p, 'Bearing') RETURNING id"),
            {"t": tenant.id, "p": unique("pim")},
        ).scalar_one()
        order = conn.execute(
            text("INSERT INTO orders (tenant_id, number) VALUES (:t, :n) RETURNING id"),
            {"t": tenant.id, "n": unique("ORD")},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO order_lines (tenant_id, order_id, product_id, output_type_id) "
                "VALUES (:t, :o, :p, :k)"
            ),
            {"t": tenant.id, "o": order, "p": product, "k": output_type_id},
        )


def test_an_ordered_output_type_is_deactivated_not_deleted(
    client: TestClient, admin_engine: Engine, tenant: MadeTenant, admin: Party
) -> None:
    made = create_output_type(client, admin, name="Ordered").json()
    _order_line(admin_engine, tenant, made["id"])
    url = f"/api/output-types/{made['id']}"
    refused = client.delete(url, headers=admin.headers)
    assert (refused.status_code, code_of(refused)) == (409, "output_type_in_use")
    assert "is_active=false" in refused.json()["error"]["message"]
    assert refused.json()["error"]["details"] == {"order_lines": 1}
    assert client.patch(url, json={"is_active": False}, headers=admin.headers).json()["is_active"] is False
    assert client.get("/api/output-types", headers=admin.headers).json() == []
    assert client.get(url, headers=admin.headers).status_code == 200


def test_global_admins_name_the_tenant(client: TestClient, user_factory: Any, tenant: MadeTenant) -> None:
    headers = login(client, user_factory(None, Role.GLOBAL_ADMIN))
    body = {"name": "By the admin", "kind": "thumbnail"}
    made = client.post(f"/api/output-types?tenant_id={tenant.id}", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["tenant_id"] == str(tenant.id)
    missing = client.post("/api/output-types", json=body, headers=headers)
    assert (missing.status_code, code_of(missing)) == (422, "tenant_required")
    assert (
        client.post(f"/api/output-types?tenant_id={uuid.uuid4()}", json=body, headers=headers).status_code
        == 404
    )
    listed = client.get(f"/api/output-types?tenant_id={tenant.id}", headers=headers).json()
    assert [t["name"] for t in listed] == ["By the admin"]

"""/api/materials: the read-only built-in library plus each tenant's own materials."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from automat.materials.library import BUILTIN_MATERIALS, FALLBACK_MATERIAL
from tests.materials.conftest import audit_actions, error_code, ok
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

STEEL = "SCHAEFFLER_010101_Steel-Bare"


def own_name() -> str:
    return f"SCHAEFFLER_9{uuid.uuid4().int % 100000:05d}_Custom-Blue"


def create(client: TestClient, party: Party, **body: Any) -> httpx.Response:
    body.setdefault("name", own_name())
    body.setdefault("base_color", [0.1, 0.2, 0.9])
    response: httpx.Response = client.post("/api/materials", json=body, headers=party.headers)
    return response


def created(client: TestClient, party: Party, **body: Any) -> dict[str, Any]:
    return dict(ok(create(client, party, **body), 201))


def names(client: TestClient, party: Party, query: str = "") -> dict[str, str]:
    return {m["name"]: m["source"] for m in ok(client.get(f"/api/materials{query}", headers=party.headers))}


# --- reading -------------------------------------------------------------------------------------


def test_list_holds_the_builtin_library(client: TestClient, pm: Party) -> None:
    listing = ok(client.get("/api/materials", headers=pm.headers))
    assert [m["name"] for m in listing] == [m.name for m in BUILTIN_MATERIALS]
    assert {m["source"] for m in listing} == {"builtin"}
    fallback = next(m for m in listing if m["name"] == FALLBACK_MATERIAL)
    assert fallback["base_color"] == [1.0, 0.0, 1.0, 1.0]
    glass = next(m for m in listing if m["name"] == "SCHAEFFLER_080801_Glass")
    assert glass["params"] == {"transmission": 1.0, "ior": 1.5}
    assert glass["id"] is None


def test_get_one_builtin(client: TestClient, pm: Party) -> None:
    body = ok(client.get(f"/api/materials/{STEEL}", headers=pm.headers))
    assert (body["name"], body["source"], body["metallic"]) == (STEEL, "builtin", 1.0)


def test_unknown_material_is_404(client: TestClient, pm: Party) -> None:
    assert (
        error_code(client.get("/api/materials/SCHAEFFLER_999999_Nope", headers=pm.headers), 404)
        == "not_found"
    )


def test_clients_and_anonymous_cannot_read(client: TestClient, client_party: Party) -> None:
    assert error_code(client.get("/api/materials", headers=client_party.headers), 403) == "insufficient_role"
    assert error_code(client.get(f"/api/materials/{STEEL}", headers=client_party.headers), 403) == (
        "insufficient_role"
    )
    assert client.get("/api/materials").status_code == 401


# --- writing -------------------------------------------------------------------------------------


def test_tenant_admin_creates_a_material(
    client: TestClient, ta: Party, pm: Party, admin_engine: Engine
) -> None:
    name = own_name()
    body = created(
        client, ta, name=name, description="Customer blue", metallic=0.2, params={"clearcoat": 0.4}
    )
    assert body["source"] == "tenant"
    assert body["base_color"] == [0.1, 0.2, 0.9, 1.0]  # RGB gets alpha 1
    assert (body["metallic"], body["roughness"], body["params"]) == (0.2, 0.5, {"clearcoat": 0.4})
    assert names(client, pm)[name] == "tenant"
    assert list(names(client, pm))[-1] == name  # after the built-in library
    assert ok(client.get(f"/api/materials/{name}", headers=pm.headers)) == body
    assert audit_actions(admin_engine, body["id"]) == ["material.create"]


def test_project_managers_cannot_write(client: TestClient, pm: Party, ta: Party) -> None:
    assert error_code(create(client, pm), 403) == "insufficient_role"
    name = created(client, ta)["name"]
    assert error_code(
        client.patch(f"/api/materials/{name}", json={"metallic": 1}, headers=pm.headers), 403
    ) == ("insufficient_role")
    assert error_code(client.delete(f"/api/materials/{name}", headers=pm.headers), 403) == "insufficient_role"


@pytest.mark.parametrize(
    "name",
    [
        "Steel",
        "SCHAEFFLER_12345_Short",
        "SCHAEFFLER_1234567_Long",
        "SCHAEFFLER_123456_",
        "SCHAEFFLER_123456_Bad Name",
        "schaeffler_123456_Lower",
        "SCHAEFFLER_123456_-Dash",
    ],
)
def test_names_must_follow_the_pattern(client: TestClient, ta: Party, name: str) -> None:
    assert error_code(create(client, ta, name=name), 422) == "invalid_material_name"


@pytest.mark.parametrize(
    "body",
    [
        {"base_color": [1.2, 0, 0]},
        {"base_color": [0.5, 0.5]},
        {"metallic": -0.1},
        {"roughness": 2},
        {"params": {"ior": 0.5}},
    ],
)
def test_parameters_are_validated(client: TestClient, ta: Party, body: dict[str, Any]) -> None:
    assert error_code(create(client, ta, **body), 422) == "validation_error"


def test_unknown_parameters_are_refused(client: TestClient, ta: Party) -> None:
    assert error_code(create(client, ta, params={"sparkle": 1}), 422) == "unknown_field"


def test_duplicates_are_refused(client: TestClient, ta: Party) -> None:
    name = created(client, ta)["name"]
    assert error_code(create(client, ta, name=name), 409) == "duplicate_material"
    code, rest = name.rsplit("_", 1)
    assert error_code(create(client, ta, name=f"{code}_{rest.upper()}"), 409) == "duplicate_material"


def test_builtin_names_cannot_be_taken(client: TestClient, ta: Party) -> None:
    assert error_code(create(client, ta, name=STEEL), 409) == "builtin_material"
    assert error_code(create(client, ta, name="SCHAEFFLER_010101_STEEL-BARE"), 409) == "builtin_material"


def test_builtin_materials_are_read_only(client: TestClient, ta: Party) -> None:
    patch = client.patch(f"/api/materials/{STEEL}", json={"roughness": 0.9}, headers=ta.headers)
    assert error_code(patch, 409) == "builtin_material"
    assert error_code(client.delete(f"/api/materials/{STEEL}", headers=ta.headers), 409) == "builtin_material"
    assert ok(client.get(f"/api/materials/{STEEL}", headers=ta.headers))["roughness"] == 0.32


def test_update_changes_parameters(client: TestClient, ta: Party, admin_engine: Engine) -> None:
    body = created(client, ta, params={"clearcoat": 0.4})
    changed = ok(
        client.patch(
            f"/api/materials/{body['name']}",
            json={"base_color": [0, 1, 0, 0.5], "roughness": 0.1, "params": {"transmission": 1}},
            headers=ta.headers,
        )
    )
    assert changed["base_color"] == [0.0, 1.0, 0.0, 0.5]
    assert (changed["roughness"], changed["metallic"]) == (0.1, body["metallic"])
    assert changed["params"] == {"transmission": 1.0}
    assert audit_actions(admin_engine, body["id"]) == ["material.create", "material.update"]


def test_rename_carries_the_aliases_along(client: TestClient, ta: Party) -> None:
    old = created(client, ta)["name"]
    alias = ok(
        client.post("/api/material-aliases", json={"pattern": "Widget", "material": old}, headers=ta.headers),
        201,
    )
    new = own_name()
    assert ok(client.patch(f"/api/materials/{old}", json={"name": new}, headers=ta.headers))["name"] == new
    assert ok(client.get(f"/api/material-aliases/{alias['id']}", headers=ta.headers))["material"] == new
    assert client.get(f"/api/materials/{old}", headers=ta.headers).status_code == 404
    bad = client.patch(f"/api/materials/{new}", json={"name": "nope"}, headers=ta.headers)
    assert error_code(bad, 422) == "invalid_material_name"
    clash = client.patch(f"/api/materials/{new}", json={"name": STEEL}, headers=ta.headers)
    assert error_code(clash, 409) == "builtin_material"


def test_delete(client: TestClient, ta: Party, admin_engine: Engine) -> None:
    body = created(client, ta)
    assert client.delete(f"/api/materials/{body['name']}", headers=ta.headers).status_code == 204
    assert client.get(f"/api/materials/{body['name']}", headers=ta.headers).status_code == 404
    assert audit_actions(admin_engine, body["id"]) == ["material.create", "material.delete"]


def test_a_material_in_use_cannot_be_deleted(client: TestClient, ta: Party) -> None:
    name = created(client, ta)["name"]
    alias = ok(
        client.post("/api/material-aliases", json={"pattern": "W", "material": name}, headers=ta.headers), 201
    )
    response = client.delete(f"/api/materials/{name}", headers=ta.headers)
    assert error_code(response, 409) == "material_in_use"
    assert response.json()["error"]["details"] == {"aliases": 1, "fallback": False}
    assert client.delete(f"/api/material-aliases/{alias['id']}", headers=ta.headers).status_code == 204
    assert client.delete(f"/api/materials/{name}", headers=ta.headers).status_code == 204


def test_the_tenants_fallback_cannot_be_deleted(
    client: TestClient, ta: Party, ga: Party, tenant: MadeTenant
) -> None:
    name = created(client, ta)["name"]
    config = {"tenant_config": {"fallback_material": name}}
    ok(client.patch(f"/api/tenants/{tenant.id}", json=config, headers=ga.headers))
    response = client.delete(f"/api/materials/{name}", headers=ta.headers)
    assert error_code(response, 409) == "material_in_use"
    assert response.json()["error"]["details"] == {"aliases": 0, "fallback": True}


# --- tenants -------------------------------------------------------------------------------------


def test_tenants_do_not_see_each_others_materials(
    client: TestClient, ta: Party, other_ta: Party, other_tenant: MadeTenant
) -> None:
    name = created(client, ta)["name"]
    assert name not in names(client, other_ta)
    assert error_code(client.get(f"/api/materials/{name}", headers=other_ta.headers), 404) == "not_found"
    patch = client.patch(f"/api/materials/{name}", json={"metallic": 1}, headers=other_ta.headers)
    assert error_code(patch, 404) == "not_found"
    assert error_code(client.delete(f"/api/materials/{name}", headers=other_ta.headers), 404) == "not_found"
    # Naming the other tenant's id is answered like an unknown tenant.
    assert error_code(client.get(f"/api/materials?tenant_id={other_tenant.id}", headers=ta.headers), 404) == (
        "not_found"
    )
    assert error_code(create(client, ta, tenant_id=str(other_tenant.id)), 404) == "not_found"
    assert ok(client.get(f"/api/materials/{name}", headers=ta.headers))["metallic"] == 0.0
    # The same name may exist in both tenants.
    assert created(client, other_ta, name=name)["name"] == name


def test_global_admins_act_on_a_named_tenant(
    client: TestClient, ga: Party, pm: Party, tenant: MadeTenant
) -> None:
    assert error_code(create(client, ga), 422) == "tenant_required"
    assert error_code(create(client, ga, tenant_id=str(uuid.uuid4())), 404) == "not_found"
    name = created(client, ga, tenant_id=str(tenant.id))["name"]
    assert names(client, pm)[name] == "tenant"
    assert name not in names(client, ga)  # no tenant named: the built-in library only
    assert names(client, ga, f"?tenant_id={tenant.id}")[name] == "tenant"
    assert ok(client.get(f"/api/materials/{name}?tenant_id={tenant.id}", headers=ga.headers))["name"] == name
    patch = client.patch(
        f"/api/materials/{name}?tenant_id={tenant.id}", json={"metallic": 1}, headers=ga.headers
    )
    assert ok(patch)["metallic"] == 1.0
    assert (
        client.delete(f"/api/materials/{name}?tenant_id={tenant.id}", headers=ga.headers).status_code == 204
    )

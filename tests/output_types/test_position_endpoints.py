"""/api/positions: the presets plus a tenant's own camera positions."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.models.user import Role
from automat.output_types.service import normalise_azimuth
from automat.rendering.spec import PRESET_ANGLES
from tests.output_types.conftest import AsRole, code_of, create_output_type
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party


def create(client: TestClient, party: Party, **body: Any) -> Any:
    return client.post("/api/positions", json=body, headers=party.headers)


def test_presets_then_own_positions(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, admin: Party
) -> None:
    made = create(client, admin, name="Hero", azimuth_deg=-30, elevation_deg=15)
    assert made.status_code == 201, made.text
    assert (made.json()["azimuth_deg"], made.json()["builtin"]) == (330.0, False)

    reader = as_role(tenant, Role.CLIENT)
    listed = client.get("/api/positions", headers=reader.headers).json()
    presets = [p for p in listed if p["builtin"]]
    assert [p["name"] for p in presets] == [p.value for p in PRESET_ANGLES]
    assert all(p["id"] is None for p in presets)
    assert [p["name"] for p in listed if not p["builtin"]] == ["Hero"]
    assert client.get(f"/api/positions/{made.json()['id']}", headers=reader.headers).status_code == 200
    assert create(client, reader, name="Mine", azimuth_deg=0, elevation_deg=0).status_code == 403


@pytest.mark.parametrize(
    ("given", "stored"), [(0, 0.0), (360, 0.0), (725.5, 5.5), (-90, 270.0), (-1e-20, 0.0), (359.5, 359.5)]
)
def test_azimuth_is_normalised(given: float, stored: float) -> None:
    assert normalise_azimuth(given) == pytest.approx(stored)
    assert 0.0 <= normalise_azimuth(given) < 360.0


def test_names_and_angles_are_checked(client: TestClient, admin: Party) -> None:
    for name in ("iso", "Front", " TOP "):
        shadow = create(client, admin, name=name, azimuth_deg=0, elevation_deg=0)
        assert (shadow.status_code, code_of(shadow)) == (422, "preset_position")
    assert create(client, admin, name="Low", azimuth_deg=0, elevation_deg=-89).status_code == 201
    assert create(client, admin, name="Below", azimuth_deg=0, elevation_deg=-90).status_code == 422
    assert create(client, admin, name="Above", azimuth_deg=0, elevation_deg=90.5).status_code == 422
    assert create(client, admin, name="", azimuth_deg=0, elevation_deg=0).status_code == 422
    duplicate = create(client, admin, name="low", azimuth_deg=10, elevation_deg=0)
    assert (duplicate.status_code, code_of(duplicate)) == (409, "duplicate_position")


def test_a_used_position_cannot_go_and_a_rename_follows(client: TestClient, admin: Party) -> None:
    position = create(client, admin, name="Hero", azimuth_deg=20, elevation_deg=10).json()
    output_type = create_output_type(client, admin, render_settings={"position": "hero"})
    assert output_type.status_code == 201, output_type.text
    assert output_type.json()["render_settings"]["position"] == "Hero"  # the stored name

    url = f"/api/positions/{position['id']}"
    in_use = client.delete(url, headers=admin.headers)
    assert (in_use.status_code, code_of(in_use)) == (409, "position_in_use")
    assert in_use.json()["error"]["details"]["output_types"] == [output_type.json()["name"]]

    renamed = client.patch(url, json={"name": "Hero shot", "azimuth_deg": 370}, headers=admin.headers)
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["azimuth_deg"]) == ("Hero shot", 10.0)
    again = client.get(f"/api/output-types/{output_type.json()['id']}", headers=admin.headers).json()
    assert again["render_settings"]["position"] == "Hero shot"
    shadow = client.patch(url, json={"name": "side"}, headers=admin.headers)
    assert code_of(shadow) == "preset_position"

    client.patch(
        f"/api/output-types/{output_type.json()['id']}",
        json={"render_settings": {"position": "front"}},
        headers=admin.headers,
    )
    assert client.delete(url, headers=admin.headers).status_code == 204
    assert client.get(url, headers=admin.headers).status_code == 404

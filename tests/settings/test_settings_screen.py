"""What the Settings screen needs of the API: each setting's installation value, override, unit and
help key; installation values only for global admins (manage_system_settings), overrides only where
the registry allows them; the limits' 422 with details; the audit trail with old and new values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from automat.help.registry import catalogue
from automat.models.user import Role
from automat.settings.registry import SETTINGS
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]
KEY = "render_stall_timeout_minutes"  # overridable, 1 to 1440 min, default 30
SYSTEM_ONLY = "temp_max_age_hours"


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json()["error"])


def listing(client: TestClient, party: Party, query: str = "") -> dict[str, dict[str, Any]]:
    response = client.get(f"/api/settings{query}", headers=party.headers)
    assert response.status_code == 200, response.text
    return {s["key"]: s for s in response.json()}


def installation(client: TestClient, party: Party, key: str, value: Any) -> httpx.Response:
    return client.put(f"/api/settings/{key}/installation", json={"value": value}, headers=party.headers)


def reset_installation(client: TestClient, party: Party, key: str) -> httpx.Response:
    return client.delete(f"/api/settings/{key}/installation", headers=party.headers)


def override(client: TestClient, party: Party, key: str, value: Any) -> httpx.Response:
    return client.put(f"/api/settings/{key}", json={"value": value}, headers=party.headers)


def trail(client: TestClient, party: Party, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/audit?target_type=setting{query}", headers=party.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
def ga(client: TestClient, as_role: AsRole) -> Iterator[Party]:
    """A global admin; the installation values the test sets are removed again afterwards."""
    party = as_role(None, Role.GLOBAL_ADMIN)
    before = {k: s["installation_value"] for k, s in listing(client, party).items()}
    yield party
    for key, value in before.items():
        restore = (
            reset_installation(client, party, key)
            if value is None
            else installation(client, party, key, value)
        )
        assert restore.status_code == 204, restore.text


@pytest.fixture
def ta(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


def test_each_setting_carries_what_its_input_needs(client: TestClient, ta: Party) -> None:
    settings = listing(client, ta)
    stall = settings[KEY]
    assert (stall["unit"], stall["step"], stall["minimum"], stall["maximum"]) == ("min", 1, 1, 1440)
    assert (stall["installation_value"], stall["tenant_value"]) == (None, None)
    assert settings["gltf_preview_linear_deflection"]["step"] is None  # a decimal
    assert settings["max_upload_mb"]["unit"] == "MB"
    help_entries = catalogue().entries
    assert all(s["help_key"] == f"setting.{k}" and s["help_key"] in help_entries for k, s in settings.items())
    assert set(settings) == set(SETTINGS)


def test_global_admin_sets_and_resets_an_installation_value(
    client: TestClient, ga: Party, ta: Party, tenant: MadeTenant
) -> None:
    assert installation(client, ga, KEY, 45).status_code == 204
    seen = listing(client, ta)[KEY]
    assert (seen["value"], seen["source"], seen["installation_value"]) == (45, "system", 45)
    # A picked tenant (tenant_id in the query, as the web UI sends it) does not turn it into an override.
    response = client.put(
        f"/api/settings/{KEY}/installation?tenant_id={tenant.id}", json={"value": 50}, headers=ga.headers
    )
    assert response.status_code == 204
    assert listing(client, ta)[KEY]["installation_value"] == 50
    assert reset_installation(client, ga, KEY).status_code == 204
    seen = listing(client, ta)[KEY]
    assert (seen["value"], seen["source"], seen["installation_value"]) == (30, "default", None)
    entries = [e for e in trail(client, ga)["items"] if e["target_id"] == KEY and e["tenant_id"] is None][:3]
    assert [(e["action"], e["detail"]["from"], e["detail"]["to"]) for e in entries] == [
        ("settings.reset", 50, None),
        ("settings.set", 45, 50),
        ("settings.set", None, 45),
    ]
    assert {e["actor_email"] for e in entries} == {ga.user.email}


@pytest.mark.parametrize("role", [Role.TENANT_ADMIN, Role.PROJECT_MANAGER])
def test_only_global_admins_write_installation_values(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ta: Party, role: Role
) -> None:
    party = as_role(tenant, role)
    for response in (installation(client, party, KEY, 45), reset_installation(client, party, KEY)):
        found = error(response, 403)
        assert (found["code"], found["details"]["permission"]) == (
            "insufficient_role",
            "manage_system_settings",
        )
    assert listing(client, ta)[KEY]["installation_value"] is None


def test_a_tenant_admin_cannot_override_an_installation_only_setting(client: TestClient, ta: Party) -> None:
    assert error(override(client, ta, SYSTEM_ONLY, 12), 403)["code"] == "not_overridable"
    assert listing(client, ta)[SYSTEM_ONLY]["value"] == 6
    assert listing(client, ta)[SYSTEM_ONLY]["tenant_value"] is None


def test_a_tenant_admin_overrides_where_the_registry_allows_and_falls_back(
    client: TestClient, ga: Party, ta: Party
) -> None:
    assert installation(client, ga, KEY, 60).status_code == 204
    assert override(client, ta, KEY, 20).status_code == 204
    seen = listing(client, ta)[KEY]
    assert (seen["value"], seen["source"], seen["tenant_value"], seen["installation_value"]) == (
        20,
        "tenant",
        20,
        60,
    )
    assert (
        client.delete(f"/api/settings/{KEY}", headers=ta.headers).status_code == 204
    )  # use installation value
    seen = listing(client, ta)[KEY]
    assert (seen["value"], seen["source"], seen["tenant_value"]) == (60, "system", None)
    entries = [e for e in trail(client, ta)["items"] if e["target_id"] == KEY][:2]
    assert [(e["action"], e["detail"]["from"], e["detail"]["to"]) for e in entries] == [
        ("settings.reset", 20, None),
        ("settings.set", None, 20),
    ]
    assert {(e["actor_email"], e["tenant_id"]) for e in entries} == {(ta.user.email, str(ta.user.tenant_id))}


@pytest.mark.parametrize(
    ("value", "words"), [(0, "at least 1"), (1441, "at most 1440"), (2.5, "whole number")]
)
def test_values_outside_the_limits_are_422_with_the_limits(
    client: TestClient, ga: Party, ta: Party, value: Any, words: str
) -> None:
    for response in (override(client, ta, KEY, value), installation(client, ga, KEY, value)):
        found = error(response, 422)
        assert found["code"] == "invalid_setting"
        assert words in found["message"]
        assert found["details"] == {"key": KEY, "minimum": 1, "maximum": 1440, "choices": None}
    assert listing(client, ta)[KEY]["value"] == 30


def test_the_audit_trail_is_paged_with_the_one_page_shape(client: TestClient, ta: Party) -> None:
    for minutes in range(2, 7):
        assert override(client, ta, KEY, minutes).status_code == 204
    first = trail(client, ta, "&page_size=2")
    assert (len(first["items"]), first["total"]) == (2, 5)
    seen = [e["detail"]["to"] for e in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = trail(client, ta, f"&page_size=2&cursor={cursor}")
        seen += [e["detail"]["to"] for e in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [6, 5, 4, 3, 2]
    assert error(client.get("/api/audit?cursor=bm9wZQ", headers=ta.headers), 422)["code"] == "invalid_cursor"
    assert (
        error(client.get("/api/audit?page_size=201", headers=ta.headers), 422)["code"] == "validation_error"
    )

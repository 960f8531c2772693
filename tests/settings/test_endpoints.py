"""/api/settings: typed defaults, tenant overrides, installation-wide values, and who may change them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]
KEY = "max_upload_mb"
SYSTEM_ONLY = "pipeline_event_retention_days"


def error_code(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def listing(client: TestClient, party: Party, query: str = "") -> dict[str, dict[str, Any]]:
    response = client.get(f"/api/settings{query}", headers=party.headers)
    assert response.status_code == 200, response.text
    return {s["key"]: s for s in response.json()}


def effective(client: TestClient, party: Party, key: str = KEY, query: str = "") -> tuple[Any, str]:
    setting = listing(client, party, query)[key]
    return setting["value"], setting["source"]


def put(client: TestClient, party: Party, key: str, value: Any, **extra: Any) -> httpx.Response:
    return client.put(f"/api/settings/{key}", json={"value": value, **extra}, headers=party.headers)


def reset(client: TestClient, party: Party, key: str, query: str = "") -> httpx.Response:
    return client.delete(f"/api/settings/{key}{query}", headers=party.headers)


@pytest.fixture
def ga(client: TestClient, as_role: AsRole) -> Iterator[Party]:
    """A global admin; whatever installation-wide values the test changes are put back afterwards."""
    party = as_role(None, Role.GLOBAL_ADMIN)
    before = listing(client, party)
    yield party
    for key, now in listing(client, party).items():
        was = before[key]
        if (now["source"], now["value"]) == (was["source"], was["value"]):
            continue
        restored = (
            put(client, party, key, was["value"]) if was["source"] == "system" else reset(client, party, key)
        )
        assert restored.status_code == 204, restored.text


@pytest.fixture
def ta(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


@pytest.fixture
def other_ta(as_role: AsRole, other_tenant: MadeTenant) -> Party:
    return as_role(other_tenant, Role.TENANT_ADMIN)


# --- reading -----------------------------------------------------------------------------------


def test_list_shows_typed_defaults(client: TestClient, ta: Party) -> None:
    settings = listing(client, ta)
    assert {s["source"] for s in settings.values()} == {"default"}
    assert all(s["value"] == s["default"] for s in settings.values())
    upload = settings[KEY]
    assert (upload["type"], upload["value"], upload["minimum"], upload["maximum"]) == ("int", 200, 1, 10_000)
    device = settings["cycles_device"]
    assert (device["type"], device["value"], device["choices"]) == ("str", "gpu", ["gpu", "cpu", "auto"])
    assert (
        settings["gltf_preview_linear_deflection"]["type"],
        settings["gltf_preview_linear_deflection"]["value"],
    ) == (
        "float",
        0.1,
    )
    assert settings[SYSTEM_ONLY]["tenant_overridable"] is False
    assert settings[KEY]["tenant_overridable"] is True
    assert all(s["description"] for s in settings.values())


# --- tenant overrides --------------------------------------------------------------------------


def test_tenant_override_is_seen_by_that_tenant_only(client: TestClient, ta: Party, other_ta: Party) -> None:
    assert put(client, ta, KEY, 50).status_code == 204
    assert effective(client, ta) == (50, "tenant")
    assert listing(client, ta)[KEY]["default"] == 200
    assert effective(client, other_ta) == (200, "default")
    assert put(client, ta, KEY, 75).status_code == 204
    assert effective(client, ta) == (75, "tenant")


def test_values_are_coerced_to_the_settings_type(client: TestClient, ta: Party) -> None:
    assert put(client, ta, KEY, 64.0).status_code == 204
    assert put(client, ta, "gltf_preview_linear_deflection", 1).status_code == 204
    settings = listing(client, ta)
    assert settings[KEY]["value"] == 64
    assert isinstance(settings[KEY]["value"], int)
    assert settings["gltf_preview_linear_deflection"]["value"] == 1.0


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (KEY, "lots"),
        (KEY, 0),
        (KEY, 10_001),
        (KEY, 1.5),
        (KEY, True),
        (KEY, None),
        (KEY, [1]),
        ("cycles_device", "quantum"),
        ("cycles_device", 1),
        ("gltf_preview_linear_deflection", 0),
    ],
)
def test_an_invalid_value_is_refused(client: TestClient, ta: Party, key: str, value: Any) -> None:
    before = effective(client, ta, key)
    assert error_code(put(client, ta, key, value), 422) == "invalid_setting"
    assert effective(client, ta, key) == before


def test_an_unknown_key_is_a_404(client: TestClient, ta: Party) -> None:
    assert error_code(put(client, ta, "no_such_setting", 1), 404) == "unknown_setting"
    assert error_code(reset(client, ta, "no_such_setting"), 404) == "unknown_setting"


@pytest.mark.parametrize(
    ("body", "code"), [({"value": 5, "scope": "all"}, "unknown_field"), ({}, "validation_error")]
)
def test_a_bad_body_is_refused(client: TestClient, ta: Party, body: dict[str, Any], code: str) -> None:
    response = client.put(f"/api/settings/{KEY}", json=body, headers=ta.headers)
    assert error_code(response, 422) == code


def test_delete_resets_to_the_default(client: TestClient, ta: Party) -> None:
    assert put(client, ta, KEY, 50).status_code == 204
    assert reset(client, ta, KEY).status_code == 204
    assert effective(client, ta) == (200, "default")
    assert reset(client, ta, KEY).status_code == 204  # resetting twice is harmless


def test_tenant_admin_cannot_touch_another_tenants_overrides(
    client: TestClient, ta: Party, other_ta: Party, other_tenant: MadeTenant
) -> None:
    assert put(client, other_ta, KEY, 42).status_code == 204
    assert error_code(put(client, ta, KEY, 1, tenant_id=str(other_tenant.id)), 404) == "not_found"
    assert error_code(reset(client, ta, KEY, f"?tenant_id={other_tenant.id}"), 404) == "not_found"
    assert (
        error_code(client.get(f"/api/settings?tenant_id={other_tenant.id}", headers=ta.headers), 404)
        == "not_found"
    )
    assert effective(client, other_ta) == (42, "tenant")


def test_settings_writes_are_audited(
    client: TestClient, ta: Party, tenant: MadeTenant, admin_engine: Engine
) -> None:
    assert put(client, ta, KEY, 50).status_code == 204
    assert reset(client, ta, KEY).status_code == 204
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, detail FROM audit_log WHERE actor_id = :a AND tenant_id = :t"
                " AND target_type = 'setting' AND target_id = :k ORDER BY id"
            ),
            {"a": ta.user.id, "t": tenant.id, "k": KEY},
        ).all()
    assert [r.action for r in rows] == ["settings.set", "settings.reset"]
    assert rows[0].detail == {"value": 50, "from": None, "to": 50, "scope": "tenant"}
    assert rows[1].detail == {"from": 50, "to": None, "scope": "tenant"}


# --- installation-wide values ------------------------------------------------------------------


def test_global_admin_sets_installation_wide_values(
    client: TestClient, ga: Party, ta: Party, other_ta: Party
) -> None:
    assert put(client, other_ta, KEY, 42).status_code == 204
    assert put(client, ga, KEY, 300).status_code == 204
    assert effective(client, ga) == (300, "system")
    assert effective(client, ta) == (300, "system")
    assert effective(client, other_ta) == (42, "tenant")  # an override still wins
    assert reset(client, other_ta, KEY).status_code == 204
    assert effective(client, other_ta) == (300, "system")  # back to the installation value, not the default
    assert reset(client, ga, KEY).status_code == 204
    assert effective(client, ta) == (200, "default")


def test_global_admin_sets_a_tenants_override(
    client: TestClient, ga: Party, ta: Party, other_ta: Party, tenant: MadeTenant
) -> None:
    assert put(client, ga, KEY, 123, tenant_id=str(tenant.id)).status_code == 204
    assert effective(client, ta) == (123, "tenant")
    assert effective(client, ga, query=f"?tenant_id={tenant.id}") == (123, "tenant")
    assert effective(client, ga) == (200, "default")
    assert effective(client, other_ta) == (200, "default")
    assert reset(client, ga, KEY, f"?tenant_id={tenant.id}").status_code == 204
    assert effective(client, ta) == (200, "default")


def test_installation_wide_only_settings(
    client: TestClient, ga: Party, ta: Party, tenant: MadeTenant
) -> None:
    assert error_code(put(client, ta, SYSTEM_ONLY, 30), 403) == "not_overridable"
    assert error_code(put(client, ga, SYSTEM_ONLY, 30, tenant_id=str(tenant.id)), 403) == "not_overridable"
    assert effective(client, ta, SYSTEM_ONLY) == (90, "default")
    assert put(client, ga, SYSTEM_ONLY, 30).status_code == 204
    assert effective(client, ta, SYSTEM_ONLY) == (30, "system")
    assert reset(client, ga, SYSTEM_ONLY).status_code == 204
    assert effective(client, ta, SYSTEM_ONLY) == (90, "default")


def test_global_admin_values_are_validated_too(client: TestClient, ga: Party) -> None:
    assert error_code(put(client, ga, "cycles_device", "quantum"), 422) == "invalid_setting"
    assert effective(client, ga, "cycles_device") == ("gpu", "default")


def test_global_admin_naming_an_unknown_tenant_gets_404(client: TestClient, ga: Party) -> None:
    missing = uuid.uuid4()
    assert (
        error_code(client.get(f"/api/settings?tenant_id={missing}", headers=ga.headers), 404) == "not_found"
    )
    assert error_code(put(client, ga, KEY, 5, tenant_id=str(missing)), 404) == "not_found"
    assert error_code(reset(client, ga, KEY, f"?tenant_id={missing}"), 404) == "not_found"


# --- who may do it -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.CLIENT])
def test_pm_and_client_cannot_read_or_change_settings(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ta: Party, role: Role
) -> None:
    party = as_role(tenant, role)
    assert error_code(client.get("/api/settings", headers=party.headers), 403) == "insufficient_role"
    assert error_code(put(client, party, KEY, 50), 403) == "insufficient_role"
    assert error_code(reset(client, party, KEY), 403) == "insufficient_role"
    assert effective(client, ta) == (200, "default")


def test_anonymous_callers_are_not_authenticated(client: TestClient) -> None:
    assert error_code(client.get("/api/settings"), 401) == "not_authenticated"
    assert error_code(client.put(f"/api/settings/{KEY}", json={"value": 5}), 401) == "not_authenticated"

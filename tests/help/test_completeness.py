"""The help registry covers everything a user can set, and names nothing that is gone.

Every system setting, tenant setting, output type render setting, workflow step parameter and
notification event type has an entry with a body; every text of ``help/texts.py`` is laid over
an entry that exists; every action names a route of the API; every ``HelpTooltip entry="…"`` of
the web UI names an entry, and every wizard entry is shown somewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from automat.help import registry, texts
from automat.models.user import Role
from automat.notifications.registry import EVENT_TYPES
from automat.output_types.settings import RenderSettings
from automat.settings.registry import SETTINGS, SettingDef
from automat.tenants.schemas import TenantConfig
from automat.workers.schemas import WorkerConfigIn
from automat.workflows.catalogue import steps
from tests.support.factories import MadeTenant

FRONTEND = Path(__file__).resolve().parents[2] / "frontend" / "src"
TOOLTIP = re.compile(r"""<HelpTooltip[^>]*\bentry=["']([^"']+)["']""")


def expected_keys() -> set[str]:
    """What must have help, read from the declarations themselves (not from the registry)."""
    keys = {f"setting.{key}" for key in SETTINGS}
    keys |= {f"tenant.{name}" for name in TenantConfig.model_fields}
    keys |= {f"output_type.render_settings.{name}" for name in RenderSettings.model_fields}
    for step in steps().latest():
        keys |= {f"workflow_step.{step.name.value}.{name}" for name in step.params.model_fields}
    keys |= {f"notification.{event_type.key}" for event_type in EVENT_TYPES}
    keys |= {f"worker_config.{name}" for name in WorkerConfigIn.model_fields}
    return keys


def gaps() -> list[str]:
    """Declared keys without an entry, or whose entry has no body."""
    entries = registry.catalogue().entries
    return sorted(key for key in expected_keys() if key not in entries or not entries[key].body.strip())


def test_every_setting_field_and_parameter_has_an_entry_with_a_body() -> None:
    assert gaps() == [], "no description in the model and no body in help/texts.py"


def test_no_entry_names_something_that_no_longer_exists(client: TestClient) -> None:
    stale = sorted(set(texts.OVERLAY) - expected_keys())
    assert stale == [], "texts for keys that no declaration has any more"
    routes = {
        f"{method.upper()} {path}"
        for path, item in client.app.openapi()["paths"].items()
        for method in item  # type: ignore[attr-defined]
    }
    gone = sorted(key for key, entry in texts.ACTIONS.items() if entry["route"] not in routes)
    assert gone == [], "actions whose route does not exist"
    derived = {e.key for e in registry.derived()}
    assert derived == expected_keys(), "the registry derives exactly the declared keys"


def test_the_web_ui_shows_only_entries_that_exist_and_every_wizard_entry() -> None:
    used = {m for path in FRONTEND.rglob("*.tsx") for m in TOOLTIP.findall(path.read_text())}
    assert used, "no HelpTooltip found: the pattern no longer matches the web UI's source"
    assert sorted(used - set(registry.catalogue().entries)) == []
    assert sorted(set(texts.WIZARD) - used) == [], "wizard entries no field shows"


def test_a_new_setting_without_a_description_is_a_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SETTINGS, "new_knob", SettingDef("new_knob", int, 1, ""))
    registry.catalogue.cache_clear()
    try:
        assert gaps() == ["setting.new_knob"]
    finally:
        monkeypatch.undo()
        registry.catalogue.cache_clear()
    assert gaps() == []


def test_help_is_served_with_an_etag_and_304_when_unchanged(
    client: TestClient, as_role: object, tenant: MadeTenant
) -> None:
    party = as_role(tenant, Role.CLIENT)  # type: ignore[operator]
    first = client.get("/api/help", headers=party.headers)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    body = first.json()
    assert etag == f'"{body["version"]}"'
    assert body["entries"]["setting.render_default_samples"]["affects"] == ["render time", "image noise"]
    assert body["entries"]["tenant.max_concurrent_renders"]["range"] == "1 to 256"
    samples = body["entries"]["output_type.render_settings.samples"]
    assert samples["body"] == "Cycles samples per pixel (None: the tenant's default)", "derived from the step"
    again = client.get("/api/help", headers={**party.headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get("/api/help").status_code == 401

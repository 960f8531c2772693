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

from automat.help import registry, texts, texts_de
from automat.models.user import Role
from automat.notifications.registry import EVENT_TYPES
from automat.output_types.schemas import OutputTypeCreate, PositionCreate, TemplateInspection, TemplateUpdate
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
    keys |= {f"output_type.{name}" for name in OutputTypeCreate.model_fields}
    keys |= {f"template.{name}" for name in (*TemplateUpdate.model_fields, *TemplateInspection.model_fields)}
    keys |= {f"position.{name}" for name in PositionCreate.model_fields}
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


# --- German (issue 15) ------------------------------------------------------------------------------
WORDED = ("affects", "recommendation", "warning")


def test_every_entry_has_german_words_for_each_of_its_texts() -> None:
    english = registry.catalogue("en").entries
    missing = sorted(set(english) - set(texts_de.GERMAN))
    assert missing == [], "entries without German help (help/texts_de.py)"
    unknown = sorted(set(texts_de.GERMAN) - set(english))
    assert unknown == [], "German help for keys the registry does not have"
    problems = []
    for key, entry in english.items():
        german = texts_de.GERMAN[key]
        if not str(german.get("title", "")).strip() or not str(german.get("body", "")).strip():
            problems.append(f"{key}: no German title or body")
        for field in WORDED:
            if bool(getattr(entry, field)) != bool(german.get(field)):
                problems.append(f"{key}: {field} in one language only")
        if entry.affects and len(entry.affects) != len(german.get("affects", [])):
            problems.append(f"{key}: {len(entry.affects)} English affects, {len(german['affects'])} German")
        extra = set(german) - {"title", "body", *WORDED, "range", "unit"}
        if extra or ("range" in german and not entry.range) or ("unit" in german and not entry.unit):
            problems.append(f"{key}: German fields the English entry does not have")
        if german.get("title") == entry.title and german.get("body") == entry.body:
            problems.append(f"{key}: the German is the English text")
    assert problems == []


def test_the_german_catalogue_has_every_entry_in_german_with_the_same_fields() -> None:
    english, german = registry.catalogue("en"), registry.catalogue("de")
    assert german.version != english.version
    assert german.entries.keys() == english.entries.keys()
    for key, entry in german.entries.items():
        assert entry.title == texts_de.GERMAN[key]["title"]
        for field in ("affects", "unit", "range", "default", "recommendation", "warning"):
            assert bool(getattr(entry, field)) == bool(getattr(english.entries[key], field)), (key, field)
        assert " to " not in (entry.range or "") and "any of" not in (entry.range or ""), key
    assert german.entries["tenant.max_concurrent_renders"].range == "1 bis 256"
    assert german.entries["setting.gltf_preview_linear_deflection"].range == "0,001 bis 10"
    assert german.entries["setting.pipeline_event_retention_days"].unit == "Tage"
    assert german.entries["output_type.render_settings.denoise"].default == "nein"


def test_help_answers_in_the_language_asked_for_else_the_users_own(
    client: TestClient, as_role: object, tenant: MadeTenant
) -> None:
    party = as_role(tenant, Role.PROJECT_MANAGER)  # type: ignore[operator]
    english = client.get("/api/help", headers=party.headers)
    german = client.get("/api/help", params={"lang": "de"}, headers=party.headers)
    assert german.status_code == 200
    assert german.headers["content-language"] == "de"
    assert german.json()["entries"]["tenant.max_order_size"]["title"] == "Größter Auftrag"
    assert german.json()["entries"]["tenant.max_order_size"]["affects"] == [
        "Auftragsassistent",
        "Länge der Warteschlange",
    ]
    assert german.headers["etag"] != english.headers["etag"], "one ETag per language"
    again = client.get(
        "/api/help", params={"lang": "de"}, headers={**party.headers, "If-None-Match": german.headers["etag"]}
    )
    assert again.status_code == 304
    stale = client.get(
        "/api/help",
        params={"lang": "de"},
        headers={**party.headers, "If-None-Match": english.headers["etag"]},
    )
    assert stale.status_code == 200, "the English version is no match for the German catalogue"

    refused = client.get("/api/help", params={"lang": "fr"}, headers=party.headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "unsupported_language"

    # Without ?lang the user's stored language (set with the preferences) decides.
    assert english.json()["entries"]["tenant.max_order_size"]["title"] == "Largest order"
    stored = client.put("/api/notification-preferences", json={"locale": "de"}, headers=party.headers)
    assert stored.status_code == 200
    own = client.get("/api/help", headers=party.headers)
    assert own.headers["content-language"] == "de"
    assert own.json()["version"] == german.json()["version"]

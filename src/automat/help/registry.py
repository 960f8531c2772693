"""The help registry: one entry per system setting, tenant setting, output type render setting,
workflow step parameter, admin action and order wizard field, served at ``GET /api/help``.

Most of it is derived from the declarations that exist anyway (the settings registry, the Pydantic
models' descriptions, limits and defaults, the step registry's parameter models), so the help says
what the code enforces; ``texts.py`` adds only what no declaration says (what a value affects,
advice, warnings). Built once per process: the declarations do not change while it runs.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from typing import Any, Literal, get_args

from pydantic import BaseModel

from automat.help.schemas import HelpCatalogue, HelpEntry
from automat.help.texts import ACTIONS, OVERLAY, WIZARD
from automat.help.texts_de import GERMAN
from automat.notifications.registry import EVENT_TYPES, Channel, EventType, Frequency
from automat.output_types.schemas import OutputTypeCreate, PositionCreate, TemplateInspection, TemplateUpdate
from automat.output_types.settings import RenderSettings
from automat.settings.registry import SETTINGS, UNITS, SettingDef
from automat.tenants.schemas import TenantConfig
from automat.workers.schemas import WorkerConfigIn
from automat.workflows.catalogue import steps

_UNITS = UNITS
_NULL_NOTE = re.compile(r"\s*\(null: [^)]*\)\s*$")


def _unit(key: str) -> str | None:
    return next((unit for suffix, unit in _UNITS.items() if key.endswith(suffix)), None)


def _title(key: str) -> str:
    """``conversion_timeout_s`` -> "Conversion timeout (s)"."""
    for suffix, unit in _UNITS.items():
        if key.endswith(suffix):
            return f"{key.removesuffix(suffix).replace('_', ' ').capitalize()} ({unit})"
    return key.replace("_", " ").capitalize()


def _number(value: float) -> str:
    """``1000000`` rather than ``1e+06``: the ranges are read by people."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _default(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value) if isinstance(value, list) else str(value)


def _setting(d: SettingDef) -> HelpEntry:
    span = None
    if d.choices:
        span = ", ".join(map(str, d.choices))
    elif d.minimum is not None and d.maximum is not None:
        span = f"{_number(d.minimum)} to {_number(d.maximum)}"
    scope = (
        "Set for the installation; tenants may override it."
        if d.tenant_overridable
        else ("Set for the installation only.")
    )
    return HelpEntry(
        key=f"setting.{d.key}",
        title=_title(d.key),
        body=f"{d.description} {scope}" if d.description.strip() else "",
        unit=_unit(d.key),
        range=span,
        default=str(d.default),
    )


def _schema_range(prop: dict[str, Any]) -> str | None:
    """'1 to 4096', 'cycles, eevee' or a pattern, from a JSON schema property (any nullable wrapper off)."""
    options = [prop, *prop.get("anyOf", [])]
    for option in options:
        if "enum" in option:
            return ", ".join(map(str, option["enum"]))
        items = option.get("items") or {}
        if "enum" in items:
            return "any of " + ", ".join(map(str, items["enum"]))
        if "minimum" in option and "maximum" in option:
            return f"{_number(option['minimum'])} to {_number(option['maximum'])}"
    return None


def _from_model(
    prefix: str, model: type[BaseModel], fallback: dict[str, str] | None = None
) -> list[HelpEntry]:
    """An entry per field: the description (``fallback[field]`` first where given), limits, default."""
    schema = model.model_json_schema()
    out = []
    for name, prop in schema.get("properties", {}).items():
        own = _NULL_NOTE.sub("", prop.get("description") or "")
        shared = (fallback or {}).get(name, "")
        description = f"{shared} ({own})" if shared and own else shared or own
        default = prop.get("default")
        out.append(
            HelpEntry(
                key=f"{prefix}.{name}",
                title=_title(name),
                body=description[:1].upper() + description[1:] if description else "",
                unit=_unit(name),
                range=_schema_range(prop),
                default=None
                if default is None
                else json.dumps(default)
                if isinstance(default, list)
                else str(default),
            )
        )
    return out


def _step_param_descriptions() -> dict[str, str]:
    """Parameter name -> its description in any step's params model (the render steps describe the
    fields an output type's render settings share with them)."""
    found: dict[str, str] = {}
    for step in steps().latest():
        for name, prop in step.params.model_json_schema().get("properties", {}).items():
            if prop.get("description"):
                found.setdefault(name, _NULL_NOTE.sub("", prop["description"]))
    return found


def derived() -> list[HelpEntry]:
    """The entries the declarations give: settings, tenant config, output types and their render
    settings, render templates (and what their inspection reports), positions, step params."""
    entries = [_setting(d) for d in SETTINGS.values()]
    entries += _from_model("tenant", TenantConfig)
    entries += _from_model("output_type.render_settings", RenderSettings, _step_param_descriptions())
    entries += _from_model("output_type", OutputTypeCreate)
    entries += _from_model("template", TemplateUpdate) + _from_model("template", TemplateInspection)
    entries += _from_model("position", PositionCreate)
    for step in steps().latest():
        entries += _from_model(f"workflow_step.{step.name.value}", step.params)
    entries += [_notification(e) for e in EVENT_TYPES]
    entries += _from_model("worker_config", WorkerConfigIn)
    return entries


_CHANNEL_WORDS = {Channel.IN_APP: "the notification list", Channel.EMAIL: "e-mail"}


def _notification(event_type: EventType) -> HelpEntry:
    """A notification event type of the preferences (``notifications/registry.py``)."""
    return HelpEntry(
        key=f"notification.{event_type.key}",
        title=event_type.label,
        body=event_type.help,
        affects=[_CHANNEL_WORDS[c] for c in event_type.channels],
        range=", ".join(f.value for f in Frequency),
    )


def _standalone(key: str, fields: dict[str, Any]) -> HelpEntry:
    return HelpEntry(key=key, **{k: v for k, v in fields.items() if k != "route"})


Language = Literal["en", "de"]
LANGUAGES: tuple[str, ...] = get_args(Language)

# What registry.py itself writes in English, in German: range words, units, yes/no defaults.
_RANGE_DE = ((re.compile(r"^any of "), "beliebige aus "), (re.compile(r"^(\S+) to (\S+)$"), r"\1 bis \2"))
_DECIMAL = re.compile(r"(\d)\.(\d)")  # 0.5 -> 0,5
_UNIT_DE = {"days": "Tage"}
_DEFAULT_DE = {"True": "ja", "False": "nein"}


def _german(entry: HelpEntry) -> HelpEntry:
    """The entry with ``texts_de.GERMAN``'s words laid over; range words, units and yes/no defaults
    put into German here. A key without German words stays English (the completeness test fails)."""
    words = GERMAN.get(entry.key, {})
    span = entry.range
    for pattern, replacement in _RANGE_DE:
        span = pattern.sub(replacement, span) if span else span
    default = _DEFAULT_DE.get(entry.default, entry.default) if entry.default else None
    update: dict[str, Any] = {
        "range": _DECIMAL.sub(r"\1,\2", span) if span else None,
        "unit": _UNIT_DE.get(entry.unit, entry.unit) if entry.unit else None,
        "default": _DECIMAL.sub(r"\1,\2", default) if default else None,
    }
    return entry.model_copy(update={**update, **words})


def _english() -> dict[str, HelpEntry]:
    entries = {e.key: e for e in derived()}
    for key, extra in OVERLAY.items():
        if key in entries:
            entries[key] = entries[key].model_copy(update=extra)
    for key, fields in {**ACTIONS, **WIZARD}.items():
        entries[key] = _standalone(key, fields)
    return dict(sorted(entries.items()))


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: Language = "en") -> HelpCatalogue:
    """Every entry with the texts laid over, in English or German; the version is a hash of the
    whole (so it differs between the languages, and the ETag with it)."""
    entries = _english()
    if lang == "de":
        entries = {key: _german(entry) for key, entry in entries.items()}
    blob = json.dumps({k: v.model_dump() for k, v in entries.items()}, sort_keys=True).encode()
    return HelpCatalogue(version=hashlib.sha256(f"{lang}:".encode() + blob).hexdigest()[:16], entries=entries)

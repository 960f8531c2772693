"""Effective settings: tenant override, else installation value, else the typed default."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.audit import service as audit
from automat.core.deps import Actor
from automat.core.permissions import Permission, allows
from automat.kit.errors import Forbidden, NotFound
from automat.models.tenant import Tenant
from automat.settings import repository
from automat.settings.registry import SETTINGS, SettingDef, definition
from automat.settings.schemas import SettingRead


def read_system_value(session: Session, defn: SettingDef) -> Any:
    """Installation value or default (workers, maintenance)."""
    stored = repository.system_value_sync(session, defn.key)
    return defn.default if stored is None else stored


def read_tenant_value(session: Session, tenant_id: uuid.UUID, defn: SettingDef) -> Any:
    """The value a tenant's work runs with (workers)."""
    if defn.tenant_overridable:
        stored = repository.tenant_value_sync(session, tenant_id, defn.key)
        if stored is not None:
            return stored
    return read_system_value(session, defn)


def min_coverage(session: Session, tenant_id: uuid.UUID) -> float:
    """The tenant's ``render_min_coverage_percent`` as the fraction a render job takes."""
    return float(read_tenant_value(session, tenant_id, SETTINGS["render_min_coverage_percent"])) / 100


async def effective_value(session: AsyncSession, tenant_id: uuid.UUID | None, key: str) -> Any:
    """The value a tenant's request runs with: override, else installation value, else default."""
    defn = definition(key)
    if tenant_id is not None and defn.tenant_overridable:
        tenant = await repository.tenant_values(session, tenant_id)
        if key in tenant:
            return tenant[key]
    system = await repository.system_values(session)
    return system.get(key, defn.default)


async def _require_tenant(session: AsyncSession, tenant_id: uuid.UUID | None) -> None:
    """A named tenant must exist (global admins may name any id): unknown ids are 404, not a 500."""
    if tenant_id is not None and await session.get(Tenant, tenant_id) is None:
        raise NotFound("Tenant not found.")


async def list_settings(session: AsyncSession, *, tenant_id: uuid.UUID | None) -> list[SettingRead]:
    """Every setting with its effective value for ``tenant_id`` (None: installation-wide)."""
    await _require_tenant(session, tenant_id)
    system = await repository.system_values(session)
    tenant = await repository.tenant_values(session, tenant_id) if tenant_id else {}
    out = []
    for defn in SETTINGS.values():
        if defn.tenant_overridable and defn.key in tenant:
            value, source = tenant[defn.key], "tenant"
        elif defn.key in system:
            value, source = system[defn.key], "system"
        else:
            value, source = defn.default, "default"
        out.append(
            SettingRead(
                key=defn.key,
                type=defn.type_name,
                value=value,
                default=defn.default,
                source=source,
                description=defn.description,
                choices=list(defn.choices) if defn.choices else None,
                minimum=defn.minimum,
                maximum=defn.maximum,
                tenant_overridable=defn.tenant_overridable,
                installation_value=system.get(defn.key),
                tenant_value=tenant.get(defn.key) if defn.tenant_overridable else None,
                unit=defn.unit,
                step=defn.step,
                help_key=f"setting.{defn.key}",
            )
        )
    return out


def _require_installation_rights(actor: Actor) -> None:
    if not allows(actor.role, Permission.MANAGE_SYSTEM_SETTINGS):
        raise Forbidden(
            "Only global admins change installation-wide settings.",
            code="insufficient_role",
            details={"permission": Permission.MANAGE_SYSTEM_SETTINGS.value},
        )


async def set_setting(
    session: AsyncSession, *, actor: Actor, key: str, value: Any, tenant_id: uuid.UUID | None
) -> None:
    """Store a value: a tenant override when ``tenant_id`` is given, else installation-wide.

    The audit entry keeps the value before and after (``detail.from``/``to``; null: none was set
    at that scope, the installation value or default applied).
    """
    defn = definition(key)
    if tenant_id is None:
        _require_installation_rights(actor)
    elif not defn.tenant_overridable:
        raise Forbidden(f"{key} is installation-wide; tenants cannot override it.", code="not_overridable")
    clean = defn.validate(value)
    await _require_tenant(session, tenant_id)
    if tenant_id is None:
        before = (await repository.system_values(session)).get(key)
        await repository.upsert_system(session, key, clean, actor.user_id)
    else:
        before = (await repository.tenant_values(session, tenant_id)).get(key)
        await repository.upsert_tenant(session, tenant_id, key, clean, actor.user_id)
    await audit.record(
        session,
        actor=actor,
        action="settings.set",
        tenant_id=tenant_id,
        target_type="setting",
        target_id=key,
        detail={"value": clean, "from": before, "to": clean, "scope": "tenant" if tenant_id else "system"},
    )


async def reset_setting(
    session: AsyncSession, *, actor: Actor, key: str, tenant_id: uuid.UUID | None
) -> None:
    """Remove the value at one scope: the next one applies (installation value, then default)."""
    definition(key)
    if tenant_id is None:
        _require_installation_rights(actor)
    await _require_tenant(session, tenant_id)
    if tenant_id is None:
        before = (await repository.system_values(session)).get(key)
        await repository.delete_system(session, key)
    else:
        before = (await repository.tenant_values(session, tenant_id)).get(key)
        await repository.delete_tenant(session, tenant_id, key)
    await audit.record(
        session,
        actor=actor,
        action="settings.reset",
        tenant_id=tenant_id,
        target_type="setting",
        target_id=key,
        detail={"from": before, "to": None, "scope": "tenant" if tenant_id else "system"},
    )

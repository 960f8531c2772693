from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.settings import service
from automat.settings.schemas import InstallationValueWrite, SettingRead, SettingWrite

router = APIRouter(prefix="/api/settings", tags=["settings"])

ManageSettings = Annotated[Actor, require(Permission.MANAGE_SETTINGS)]


@router.get("", response_model=list[SettingRead])
async def list_settings(
    session: SessionDep,
    actor: ManageSettings,
    tenant_id: Annotated[uuid.UUID | None, Query(description="global admins: a tenant's view")] = None,
) -> list[SettingRead]:
    """Every setting with its effective value and where that value comes from."""
    return await service.list_settings(session, tenant_id=actor.scope_tenant(tenant_id))


@router.put("/{key}", status_code=status.HTTP_204_NO_CONTENT)
async def set_setting(key: str, body: SettingWrite, session: SessionDep, actor: ManageSettings) -> None:
    await service.set_setting(
        session, actor=actor, key=key, value=body.value, tenant_id=actor.scope_tenant(body.tenant_id)
    )


@router.delete("/{key}", status_code=status.HTTP_204_NO_CONTENT)
async def reset_setting(
    key: str,
    session: SessionDep,
    actor: ManageSettings,
    tenant_id: Annotated[uuid.UUID | None, Query()] = None,
) -> None:
    """Remove an override: the value falls back to the installation value or the default."""
    await service.reset_setting(session, actor=actor, key=key, tenant_id=actor.scope_tenant(tenant_id))


ManageSystemSettings = Annotated[Actor, require(Permission.MANAGE_SYSTEM_SETTINGS)]


@router.put("/{key}/installation", status_code=status.HTTP_204_NO_CONTENT)
async def set_installation_value(
    key: str, body: InstallationValueWrite, session: SessionDep, actor: ManageSystemSettings
) -> None:
    """Global admins: the installation-wide value (whatever tenant the admin has picked)."""
    await service.set_setting(session, actor=actor, key=key, value=body.value, tenant_id=None)


@router.delete("/{key}/installation", status_code=status.HTTP_204_NO_CONTENT)
async def reset_installation_value(key: str, session: SessionDep, actor: ManageSystemSettings) -> None:
    """Global admins: remove the installation-wide value; the registry's default applies again."""
    await service.reset_setting(session, actor=actor, key=key, tenant_id=None)

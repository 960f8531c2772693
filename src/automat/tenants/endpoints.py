from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.bounds import Offset
from automat.kit.errors import NotFound
from automat.models.tenant import Tenant
from automat.tenants import repository, service
from automat.tenants.schemas import (
    FirstAdminRead,
    TenantConfigChange,
    TenantConfigRead,
    TenantCreate,
    TenantCreated,
    TenantRead,
    TenantUpdate,
)

router = APIRouter(prefix="/api/tenants", tags=["tenants"])
config_router = APIRouter(prefix="/api/tenant-config", tags=["tenants"])
ManageSettings = Annotated[Actor, require(Permission.MANAGE_SETTINGS)]
TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to act on")]

ManageTenants = Annotated[Actor, require(Permission.MANAGE_TENANTS)]


@router.get("", response_model=list[TenantRead])
async def list_tenants(
    session: SessionDep,
    _: ManageTenants,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[TenantRead]:
    return [
        TenantRead.model_validate(t) for t in await repository.list_all(session, limit=limit, offset=offset)
    ]


@router.get("/current", response_model=TenantRead)
async def current_tenant(session: SessionDep, actor: Authenticated) -> TenantRead:
    """The caller's own tenant (global admins have none)."""
    if actor.tenant_id is None:
        raise NotFound("Global admins belong to no tenant.")
    return TenantRead.model_validate(await service.get(session, actor.tenant_id))


@router.post("", response_model=TenantCreated, status_code=status.HTTP_201_CREATED)
async def create_tenant(body: TenantCreate, session: SessionDep, actor: ManageTenants) -> TenantCreated:
    """A tenant with the default data set (output types, positions, material aliases; the
    built-in workflows are everyone's) and, when named, its first tenant admin, whose temporary
    password is in this answer only."""
    tenant, admin, password = await service.create(session, actor=actor, data=body)
    return TenantCreated(
        **TenantRead.model_validate(tenant).model_dump(),
        first_admin=FirstAdminRead.model_validate(admin) if admin else None,
        temporary_password=password,
    )


@router.get("/{tenant_id}", response_model=TenantRead)
async def get_tenant(tenant_id: uuid.UUID, session: SessionDep, _: ManageTenants) -> TenantRead:
    return TenantRead.model_validate(await service.get(session, tenant_id))


@router.patch("/{tenant_id}", response_model=TenantRead)
async def update_tenant(
    tenant_id: uuid.UUID, body: TenantUpdate, session: SessionDep, actor: ManageTenants
) -> TenantRead:
    return TenantRead.model_validate(
        await service.update(session, actor=actor, tenant_id=tenant_id, data=body)
    )


@router.delete("/{tenant_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_tenant(
    tenant_id: uuid.UUID,
    session: SessionDep,
    actor: ManageTenants,
    confirm: Annotated[str | None, Query(description="the tenant's slug")] = None,
) -> None:
    await service.delete(session, actor=actor, tenant_id=tenant_id, confirm=confirm)


def _config_read(tenant: Tenant) -> TenantConfigRead:
    return TenantConfigRead(
        tenant_id=tenant.id,
        tenant_config=service.effective_config(tenant),
        version=tenant.config_version,
        updated_at=tenant.updated_at,
    )


@config_router.get("", response_model=TenantConfigRead)
async def get_tenant_config(
    session: SessionDep, actor: ManageSettings, tenant_id: TenantQuery = None
) -> TenantConfigRead:
    """The caller's tenant config (global admins: the named tenant's) and its version."""
    return _config_read(await service.get(session, actor.require_tenant(tenant_id)))


@config_router.patch("", response_model=TenantConfigRead)
async def change_tenant_config(
    body: TenantConfigChange, session: SessionDep, actor: ManageSettings, tenant_id: TenantQuery = None
) -> TenantConfigRead:
    """Change some keys of the caller's tenant config, on top of the `version` the edit was made on
    (an older one is 409 `stale_tenant_config`: someone else saved in between). Audited with each
    key's old and new value."""
    tenant = await service.change_config(
        session, actor=actor, tenant_id=actor.require_tenant(tenant_id), change=body
    )
    return _config_read(tenant)

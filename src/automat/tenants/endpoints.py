from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.bounds import Offset
from automat.kit.errors import NotFound
from automat.tenants import repository, service
from automat.tenants.schemas import FirstAdminRead, TenantCreate, TenantCreated, TenantRead, TenantUpdate

router = APIRouter(prefix="/api/tenants", tags=["tenants"])

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

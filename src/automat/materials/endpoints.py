"""/api/materials and /api/material-aliases: project managers read, tenant admins write."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.materials import service
from automat.materials.schemas import (
    AliasCreate,
    AliasOrder,
    AliasRead,
    AliasUpdate,
    MaterialCreate,
    MaterialRead,
    MaterialUpdate,
    PreviewRequest,
    PreviewResult,
    ResetDefaultsPreview,
    ResetDefaultsRequest,
)

materials_router = APIRouter(prefix="/api/materials", tags=["materials"])
aliases_router = APIRouter(prefix="/api/material-aliases", tags=["materials"])

ManageMaterials = Annotated[Actor, require(Permission.MANAGE_MATERIALS)]
ViewMaterials = Annotated[Actor, require(Permission.VIEW_MATERIALS)]

TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to act on")]


@materials_router.get("", response_model=list[MaterialRead])
async def list_materials(
    session: SessionDep, actor: ViewMaterials, tenant_id: TenantQuery = None
) -> list[MaterialRead]:
    """The built-in library (`source: builtin`) and the tenant's own materials (`source: tenant`)."""
    return await service.list_materials(session, actor=actor, tenant_id=tenant_id)


@materials_router.post("", response_model=MaterialRead, status_code=status.HTTP_201_CREATED)
async def create_material(body: MaterialCreate, session: SessionDep, actor: ManageMaterials) -> MaterialRead:
    return await service.create_material(session, actor=actor, data=body)


@materials_router.get("/{name}", response_model=MaterialRead)
async def get_material(
    name: str, session: SessionDep, actor: ViewMaterials, tenant_id: TenantQuery = None
) -> MaterialRead:
    return await service.get_material(session, actor=actor, tenant_id=tenant_id, name=name)


@materials_router.patch("/{name}", response_model=MaterialRead)
async def update_material(
    name: str,
    body: MaterialUpdate,
    session: SessionDep,
    actor: ManageMaterials,
    tenant_id: TenantQuery = None,
) -> MaterialRead:
    """Change a tenant material (built-in ones are read-only: 409 `builtin_material`)."""
    return await service.update_material(session, actor=actor, tenant_id=tenant_id, name=name, data=body)


@materials_router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_material(
    name: str, session: SessionDep, actor: ManageMaterials, tenant_id: TenantQuery = None
) -> None:
    await service.delete_material(session, actor=actor, tenant_id=tenant_id, name=name)


@aliases_router.get("", response_model=list[AliasRead])
async def list_aliases(
    session: SessionDep, actor: ViewMaterials, tenant_id: TenantQuery = None
) -> list[AliasRead]:
    """The tenant's aliases, highest priority first."""
    aliases = await service.list_aliases(session, actor=actor, tenant_id=tenant_id)
    return [AliasRead.model_validate(a) for a in aliases]


@aliases_router.post("", response_model=AliasRead, status_code=status.HTTP_201_CREATED)
async def create_alias(body: AliasCreate, session: SessionDep, actor: ManageMaterials) -> AliasRead:
    return AliasRead.model_validate(await service.create_alias(session, actor=actor, data=body))


@aliases_router.post("/preview", response_model=PreviewResult)
async def preview(body: PreviewRequest, session: SessionDep, actor: ViewMaterials) -> PreviewResult:
    """Resolve part names with the tenant's aliases as they are now; nothing is saved."""
    return await service.preview(session, actor=actor, data=body)


@aliases_router.post("/reset-defaults", response_model=list[AliasRead])
async def reset_defaults(
    body: ResetDefaultsRequest, session: SessionDep, actor: ManageMaterials
) -> list[AliasRead]:
    """Restore the default aliases; returns the tenant's aliases afterwards."""
    aliases = await service.reset_defaults(session, actor=actor, data=body)
    return [AliasRead.model_validate(a) for a in aliases]


@aliases_router.post("/reset-defaults/preview", response_model=ResetDefaultsPreview)
async def reset_defaults_preview(
    body: ResetDefaultsRequest, session: SessionDep, actor: ManageMaterials
) -> ResetDefaultsPreview:
    """What `POST /reset-defaults` with this body would remove, restore and add; nothing is saved."""
    return await service.reset_defaults_preview(session, actor=actor, data=body)


@aliases_router.put("/order", response_model=list[AliasRead])
async def reorder_aliases(body: AliasOrder, session: SessionDep, actor: ManageMaterials) -> list[AliasRead]:
    """Order the tenant's aliases (first wins among patterns) in one request: `ids` names every alias
    once; their priorities are renumbered as little as the order allows. 409 `aliases_changed` for a
    list that is not the tenant's aliases as they are now. Returns the aliases afterwards."""
    aliases = await service.reorder_aliases(session, actor=actor, data=body)
    return [AliasRead.model_validate(a) for a in aliases]


@aliases_router.get("/{alias_id}", response_model=AliasRead)
async def get_alias(alias_id: uuid.UUID, session: SessionDep, actor: ViewMaterials) -> AliasRead:
    return AliasRead.model_validate(await service.get_alias(session, actor=actor, alias_id=alias_id))


@aliases_router.patch("/{alias_id}", response_model=AliasRead)
async def update_alias(
    alias_id: uuid.UUID, body: AliasUpdate, session: SessionDep, actor: ManageMaterials
) -> AliasRead:
    return AliasRead.model_validate(
        await service.update_alias(session, actor=actor, alias_id=alias_id, data=body)
    )


@aliases_router.delete("/{alias_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_alias(alias_id: uuid.UUID, session: SessionDep, actor: ManageMaterials) -> None:
    await service.delete_alias(session, actor=actor, alias_id=alias_id)

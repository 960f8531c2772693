"""/api/output-types (everyone in the tenant reads, tenant admins and above write),
/api/positions (the same) and /api/render-templates (project managers read, tenant admins write)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.core.storage import default_storage
from automat.kit.upload import receive_upload
from automat.models.output import OutputKind, TemplateStatus
from automat.output_types import service, templates
from automat.output_types.schemas import (
    OutputTypeCreate,
    OutputTypeRead,
    OutputTypeUpdate,
    PositionCreate,
    PositionRead,
    PositionUpdate,
    RenderTemplateRead,
    TemplateUpdate,
)
from automat.settings.service import effective_value

output_types_router = APIRouter(prefix="/api/output-types", tags=["output types"])
positions_router = APIRouter(prefix="/api/positions", tags=["output types"])
templates_router = APIRouter(prefix="/api/render-templates", tags=["output types"])

ManageOutputTypes = Annotated[Actor, require(Permission.MANAGE_OUTPUT_TYPES)]
ViewRenderTemplates = Annotated[Actor, require(Permission.VIEW_RENDER_TEMPLATES)]

TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to act on")]


# -- output types ---------------------------------------------------------------------------------


@output_types_router.get("", response_model=list[OutputTypeRead])
async def list_output_types(
    session: SessionDep,
    actor: Authenticated,
    kind: OutputKind | None = None,
    include_inactive: bool = False,
    tenant_id: TenantQuery = None,
) -> list[OutputTypeRead]:
    """The tenant's output types by name (active ones unless ``include_inactive``)."""
    rows = await service.list_output_types(
        session, actor=actor, tenant_id=tenant_id, kind=kind, include_inactive=include_inactive
    )
    return [OutputTypeRead.model_validate(r) for r in rows]


@output_types_router.post("", response_model=OutputTypeRead, status_code=status.HTTP_201_CREATED)
async def create_output_type(
    body: OutputTypeCreate, session: SessionDep, actor: ManageOutputTypes, tenant_id: TenantQuery = None
) -> OutputTypeRead:
    """422 ``invalid_render_settings``, ``engine_not_allowed``, ``unknown_position``,
    ``unknown_template``, ``template_invalid``; 409 ``duplicate_output_type``."""
    row = await service.create_output_type(session, actor=actor, tenant_id=tenant_id, data=body)
    return OutputTypeRead.model_validate(row)


@output_types_router.get("/{output_type_id}", response_model=OutputTypeRead)
async def get_output_type(
    output_type_id: uuid.UUID, session: SessionDep, actor: Authenticated
) -> OutputTypeRead:
    row = await service.get_output_type(session, actor=actor, output_type_id=output_type_id)
    return OutputTypeRead.model_validate(row)


@output_types_router.patch("/{output_type_id}", response_model=OutputTypeRead)
async def update_output_type(
    output_type_id: uuid.UUID, body: OutputTypeUpdate, session: SessionDep, actor: ManageOutputTypes
) -> OutputTypeRead:
    """Change the fields given; ``render_settings`` keys merge into the stored settings."""
    row = await service.update_output_type(session, actor=actor, output_type_id=output_type_id, data=body)
    return OutputTypeRead.model_validate(row)


@output_types_router.delete("/{output_type_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_output_type(
    output_type_id: uuid.UUID, session: SessionDep, actor: ManageOutputTypes
) -> None:
    """409 ``output_type_in_use`` when order lines use it: deactivate it instead."""
    await service.delete_output_type(session, actor=actor, output_type_id=output_type_id)


# -- positions ------------------------------------------------------------------------------------


@positions_router.get("", response_model=list[PositionRead])
async def list_positions(
    session: SessionDep, actor: Authenticated, tenant_id: TenantQuery = None
) -> list[PositionRead]:
    """The built-in presets (``builtin: true``), then the tenant's own positions."""
    return await service.list_positions(session, actor=actor, tenant_id=tenant_id)


@positions_router.post("", response_model=PositionRead, status_code=status.HTTP_201_CREATED)
async def create_position(
    body: PositionCreate, session: SessionDep, actor: ManageOutputTypes, tenant_id: TenantQuery = None
) -> PositionRead:
    """Azimuth in degrees (any value, stored in [0, 360)), elevation in [-89, 90].
    422 ``preset_position`` for a preset's name; 409 ``duplicate_position``."""
    return await service.create_position(session, actor=actor, tenant_id=tenant_id, data=body)


@positions_router.get("/{position_id}", response_model=PositionRead)
async def get_position(position_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> PositionRead:
    return await service.get_position(session, actor=actor, position_id=position_id)


@positions_router.patch("/{position_id}", response_model=PositionRead)
async def update_position(
    position_id: uuid.UUID, body: PositionUpdate, session: SessionDep, actor: ManageOutputTypes
) -> PositionRead:
    """A new name is carried over to the output types that use the position."""
    return await service.update_position(session, actor=actor, position_id=position_id, data=body)


@positions_router.delete("/{position_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_position(position_id: uuid.UUID, session: SessionDep, actor: ManageOutputTypes) -> None:
    """409 ``position_in_use`` while an output type renders from it."""
    await service.delete_position(session, actor=actor, position_id=position_id)


# -- render templates -----------------------------------------------------------------------------


@templates_router.post("", response_model=RenderTemplateRead, status_code=status.HTTP_201_CREATED)
async def upload_template(
    request: Request, session: SessionDep, actor: ManageOutputTypes, tenant_id: TenantQuery = None
) -> RenderTemplateRead:
    """Upload a ``.blend`` (multipart field ``file``; optional field ``name``, default the file name).

    It is ``validating`` until a render host has opened it, then ``ready`` (it has a camera or an
    ``AUTOMAT_MODEL`` anchor) or ``invalid`` with the reason. 415 ``not_blend``; 413 over the
    upload limit; 409 ``duplicate_template``."""
    target = actor.require_tenant(tenant_id)
    max_mb = int(await effective_value(session, target, "max_upload_mb"))
    storage = default_storage()
    received = await receive_upload(
        request,
        storage=storage,
        max_bytes=max_mb * 1_048_576,
        text_fields=frozenset({"name"}),
        sniff=templates.sniff_blend,
        default_name="template.blend",
    )
    row = await templates.upload(session, actor=actor, storage=storage, received=received, tenant_id=target)
    return RenderTemplateRead.model_validate(row)


@templates_router.get("", response_model=list[RenderTemplateRead])
async def list_templates(
    session: SessionDep,
    actor: ViewRenderTemplates,
    status_filter: Annotated[TemplateStatus | None, Query(alias="status")] = None,
    tenant_id: TenantQuery = None,
) -> list[RenderTemplateRead]:
    rows = await templates.list_templates(session, actor=actor, tenant_id=tenant_id, status=status_filter)
    return [RenderTemplateRead.model_validate(r) for r in rows]


@templates_router.get("/{template_id}", response_model=RenderTemplateRead)
async def get_template(
    template_id: uuid.UUID, session: SessionDep, actor: ViewRenderTemplates
) -> RenderTemplateRead:
    """Status, error and what the render host found (cameras, anchor, objects, Blender version)."""
    return RenderTemplateRead.model_validate(
        await templates.get(session, actor=actor, template_id=template_id)
    )


@templates_router.patch("/{template_id}", response_model=RenderTemplateRead)
async def update_template(
    template_id: uuid.UUID, body: TemplateUpdate, session: SessionDep, actor: ManageOutputTypes
) -> RenderTemplateRead:
    """Rename a template or (de)activate it. An inactive template cannot be linked to an output type
    (422 ``template_inactive``); output types linking it already keep rendering with it.
    409 ``duplicate_template``."""
    return RenderTemplateRead.model_validate(
        await templates.update(session, actor=actor, template_id=template_id, data=body)
    )


@templates_router.delete("/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_template(template_id: uuid.UUID, session: SessionDep, actor: ManageOutputTypes) -> None:
    """409 ``template_in_use`` while an output type links it."""
    await templates.delete(session, actor=actor, storage=default_storage(), template_id=template_id)

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import FileResponse

from automat.cad import repository, service
from automat.cad.schemas import (
    AssignMaterial,
    AssignMaterialResult,
    CadFilePage,
    CadFileRead,
    CadFileSummary,
    CadPartRead,
)
from automat.cad.upload import receive_step
from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.core.storage import default_storage
from automat.kit.errors import NotFound
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize, decode_cursor, page_of
from automat.models.cad import CadFile, CadStatus
from automat.models.user import Role
from automat.settings.service import effective_value

router = APIRouter(prefix="/api/cad-files", tags=["cad"])

ManageCadFiles = Annotated[Actor, require(Permission.MANAGE_CAD_FILES)]
ManageMaterials = Annotated[Actor, require(Permission.MANAGE_MATERIALS)]


async def _read(session: SessionDep, cad: CadFile) -> CadFileRead:
    parts = await repository.parts_of(session, cad.id)
    base = f"/api/cad-files/{cad.id}/glb"
    return CadFileRead(
        **CadFileSummary.of(cad).model_dump(),
        thumbnail_key=cad.thumbnail_key,
        metadata=cad.cad_metadata,
        parts=[CadPartRead.model_validate(p) for p in parts],
        job_document=cad.job_document,
        glb={
            "viewer": f"{base}?kind=viewer" if cad.viewer_glb_key else None,
            "production": f"{base}?kind=production" if cad.production_glb_key else None,
        },
    )


@router.post("", response_model=CadFileRead, status_code=status.HTTP_201_CREATED)
async def upload_cad_file(
    request: Request,
    response: Response,
    session: SessionDep,
    actor: ManageCadFiles,
    tenant_id: Annotated[
        uuid.UUID | None, Query(description="global admins: the tenant to upload into")
    ] = None,
) -> CadFileRead:
    """Upload a STEP file (multipart field ``file``).

    The same content again returns the existing record (200, not 201)."""
    target = actor.require_tenant(tenant_id)
    max_mb = int(await effective_value(session, target, "max_upload_mb"))
    storage = default_storage()
    received = await receive_step(request, storage=storage, max_bytes=max_mb * 1_048_576)
    cad, created = await service.upload(
        session, actor=actor, storage=storage, received=received, tenant_id=target
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return await _read(session, cad)


@router.get("", response_model=CadFilePage)
async def list_cad_files(
    session: SessionDep,
    actor: Authenticated,
    status_filter: Annotated[CadStatus | None, Query(alias="status")] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="only files whose name contains every word of this, ignoring case, spaces and "
            "punctuation ('05 2rsr' finds '05-2RSR.stp'); names starting with it first",
        ),
    ] = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    tenant_id: Annotated[
        uuid.UUID | None, Query(description="global admins: only this tenant's files (default: all)")
    ] = None,
) -> CadFilePage:
    """The files newest first (clients: their own uploads), a page at a time."""
    rows, total = await repository.list_files(
        session,
        tenant_id=actor.scope_tenant(tenant_id),
        status=status_filter.value if status_filter else None,
        uploaded_by=None if actor.at_least(Role.PROJECT_MANAGER) else actor.user_id,
        limit=page_size + 1,
        after=decode_cursor(cursor, repository.FILE_KEY_TYPES),
        q=q,
    )
    page, next_cursor = page_of(rows, page_size, key=lambda row: row[0])
    return CadFilePage(items=[CadFileSummary.of(f) for _, f in page], next_cursor=next_cursor, total=total)


@router.get("/{cad_file_id}", response_model=CadFileRead)
async def get_cad_file(cad_file_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> CadFileRead:
    """Status, metadata, parts with their materials, and the processing job document."""
    return await _read(session, await service.get(session, actor=actor, cad_file_id=cad_file_id))


@router.get("/{cad_file_id}/glb", response_class=FileResponse)
async def get_glb(
    cad_file_id: uuid.UUID,
    session: SessionDep,
    actor: Authenticated,
    kind: Literal["viewer", "production"] = "viewer",
) -> FileResponse:
    cad = await service.get(session, actor=actor, cad_file_id=cad_file_id)
    key = cad.viewer_glb_key if kind == "viewer" else cad.production_glb_key
    if key is None:
        raise NotFound(f"The {kind} GLB is not there (yet): the file is {cad.status}.", code="glb_not_ready")
    stem = cad.original_name.rsplit(".", 1)[0] or "model"
    return FileResponse(
        default_storage().path(key), media_type="model/gltf-binary", filename=f"{stem}.{kind}.glb"
    )


@router.get("/{cad_file_id}/thumbnail", response_class=FileResponse)
async def get_thumbnail(cad_file_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> FileResponse:
    cad = await service.get(session, actor=actor, cad_file_id=cad_file_id)
    if cad.thumbnail_key is None:
        raise NotFound("There is no thumbnail (yet).", code="thumbnail_not_ready")
    return FileResponse(default_storage().path(cad.thumbnail_key), media_type="image/png")


@router.post("/{cad_file_id}/reprocess", response_model=CadFileRead)
async def reprocess(cad_file_id: uuid.UUID, session: SessionDep, actor: ManageCadFiles) -> CadFileRead:
    """Run the processing steps again (after a failure, or after the material aliases changed)."""
    return await _read(session, await service.reprocess(session, actor=actor, cad_file_id=cad_file_id))


@router.post("/{cad_file_id}/assign-material", response_model=AssignMaterialResult)
async def assign_material(
    cad_file_id: uuid.UUID, body: AssignMaterial, session: SessionDep, actor: ManageMaterials
) -> AssignMaterialResult:
    """Save a material alias (exact part name or pattern) and render this file's thumbnail again
    with the material: the fix for a part that renders magenta. A ready file keeps its GLB: its
    parts' materials are resolved again at once and only the thumbnail is rendered (a file that
    failed is processed again as a whole).

    Check first what the alias would change with ``POST /api/material-aliases/preview``
    (``candidate``); its ``impact`` lists the other files, which ``also_reprocess`` queues too."""
    alias_id, cad, queued, thumbnail_only = await service.assign_material(
        session, actor=actor, cad_file_id=cad_file_id, data=body
    )
    return AssignMaterialResult(
        alias_id=alias_id,
        cad_file=await _read(session, cad),
        reprocessed=queued,
        thumbnail_only=thumbnail_only,
    )


@router.delete("/{cad_file_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_cad_file(cad_file_id: uuid.UUID, session: SessionDep, actor: ManageCadFiles) -> None:
    await service.delete(session, actor=actor, storage=default_storage(), cad_file_id=cad_file_id)

"""/api/media/assets: the media the caller may see (clients: of their own orders only),
downloads (streamed, auth-checked) and deletion (project managers and above)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.media import service
from automat.media.repository import Filters
from automat.media.schemas import MediaAssetPage, MediaAssetRead
from automat.models.output import OutputKind

router = APIRouter(prefix="/api/media/assets", tags=["media"])

DeleteRenders = Annotated[Actor, require(Permission.DELETE_RENDERS)]


@router.get("", response_model=MediaAssetPage)
async def list_assets(
    session: SessionDep,
    actor: Authenticated,
    product_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    order_line_id: uuid.UUID | None = None,
    kind: OutputKind | None = None,
    before: Annotated[uuid.UUID | None, Query(description="an asset id: return older assets")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    tenant_id: Annotated[uuid.UUID | None, Query(description="global admins: the tenant")] = None,
) -> MediaAssetPage:
    """Newest first; pass ``next_before`` as ``?before=`` for the next page."""
    filters = Filters(
        product_id=product_id, order_id=order_id, order_line_id=order_line_id,
        kind=kind.value if kind else None,
    )  # fmt: skip
    assets = await service.list_assets(
        session, actor=actor, tenant_id=tenant_id, filters=filters, before=before, limit=limit
    )
    return MediaAssetPage(
        items=[MediaAssetRead.model_validate(a) for a in assets],
        next_before=assets[-1].id if len(assets) == limit else None,
    )


@router.get("/{asset_id}", response_model=MediaAssetRead)
async def get_asset(asset_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> MediaAssetRead:
    return MediaAssetRead.model_validate(await service.get(session, actor=actor, asset_id=asset_id))


@router.get("/{asset_id}/download", response_class=FileResponse)
async def download_asset(
    asset_id: uuid.UUID,
    session: SessionDep,
    actor: Authenticated,
    inline: Annotated[bool, Query(description="show in the browser instead of saving")] = False,
) -> FileResponse:
    """The file, streamed, with its content type; 404 ``media_file_missing`` if it has gone."""
    asset = await service.get(session, actor=actor, asset_id=asset_id)
    return FileResponse(
        service.file_of(asset),
        media_type=asset.content_type,
        headers={
            "Content-Disposition": service.content_disposition(asset.file_name, inline=inline),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=0",
        },
    )


@router.delete("/{asset_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_asset(asset_id: uuid.UUID, session: SessionDep, actor: DeleteRenders) -> None:
    """Delete the asset; its file goes once the deletion is committed."""
    await service.delete(session, actor=actor, asset_id=asset_id)

"""/api/media: the media library (the media the caller may see, filtered, searched, sorted and
paged by keyset; facets for the filter chips; clients: of their own orders only), each asset,
its download and thumbnail, deletion (project managers and above), and bulk downloads (a ZIP
streamed at once, or built by a worker with its progress and an expiring link)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from automat.core.deps import PUBLIC, Actor, Authenticated, SessionDep, database, require
from automat.core.permissions import Permission
from automat.kit.bounds import BIGINT_MAX
from automat.kit.pagination import DEFAULT_PAGE_SIZE, MAX_CURSOR_LENGTH, MAX_PAGE_SIZE
from automat.media import archive, downloads, service
from automat.media.repository import Filters, Sort
from automat.media.schemas import (
    FacetCount,
    MediaAssetPage,
    MediaAssetRead,
    MediaDownloadRead,
    MediaDownloadRequest,
    MediaFacets,
)
from automat.models.order import LineStatus
from automat.models.output import OutputKind

router = APIRouter(prefix="/api/media", tags=["media"])

DeleteRenders = Annotated[Actor, require(Permission.DELETE_RENDERS)]


def media_filters(
    asset_type: Annotated[
        list[OutputKind] | None, Query(description="repeatable: any of these kinds")
    ] = None,
    category_key: Annotated[str | None, Query(max_length=100)] = None,
    lagertyp: Annotated[str | None, Query(max_length=100)] = None,
    render_status: Annotated[LineStatus | None, Query(description="the order line's render status")] = None,
    product_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    order_line_id: uuid.UUID | None = None,
    created_from: Annotated[datetime | None, Query(description="created at or after")] = None,
    created_to: Annotated[datetime | None, Query(description="created before")] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="product name words and PIM id (a prefix, typed with or without separators)",
        ),
    ] = None,
) -> Filters:
    """The media library's filters, shared by the list, the facets and the bulk download."""
    return Filters(
        asset_types=tuple(t.value for t in asset_type or ()), category_key=category_key, lagertyp=lagertyp,
        render_status=render_status.value if render_status else None, product_id=product_id,
        order_id=order_id, order_line_id=order_line_id, created_from=created_from, created_to=created_to, q=q,
    )  # fmt: skip


FiltersDep = Annotated[Filters, Depends(media_filters)]
TenantParam = Annotated[
    uuid.UUID | None,
    Query(description="global admins: one tenant (leave out for all); others: 403 if not theirs"),
]


@router.get("/assets", response_model=MediaAssetPage)
async def list_assets(
    session: SessionDep,
    actor: Authenticated,
    filters: FiltersDep,
    tenant_id: TenantParam = None,
    sort: Sort = Sort.NEWEST,
    cursor: Annotated[
        str | None,
        Query(
            max_length=MAX_CURSOR_LENGTH,
            pattern=r"^[A-Za-z0-9_-]*$",
            description="next_cursor of the last page",
        ),
    ] = None,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
) -> MediaAssetPage:
    """A page of the media library, keyset-paged (pass ``next_cursor`` back as ``cursor`` with the
    same filters and sort); ``total`` exact up to 10,000."""
    found = await service.list_page(
        session,
        actor=actor,
        tenant_id=tenant_id,
        filters=filters,
        sort=sort,
        cursor=cursor,
        page_size=page_size,
    )
    return MediaAssetPage(
        items=[MediaAssetRead.model_validate(a) for a in found.items],
        next_cursor=found.next_cursor,
        total=found.total,
        total_is_estimate=found.total_is_estimate,
    )


@router.get("/facets", response_model=MediaFacets)
async def media_facets(
    session: SessionDep, actor: Authenticated, filters: FiltersDep, tenant_id: TenantParam = None
) -> MediaFacets:
    """Counts per asset type, category, lagertyp and render status among the assets the other
    filters leave (capped as the list's total)."""
    found = await service.facets(session, actor=actor, tenant_id=tenant_id, filters=filters)

    def chips(name: str) -> list[FacetCount]:
        counts = found.get(name, {})
        return [FacetCount(value=v, count=n, is_estimate=e) for v, (n, e) in sorted(counts.items())]

    return MediaFacets(
        asset_type=chips("kind"), category_key=chips("category_key"), lagertyp=chips("lagertyp"),
        render_status=chips("render_status"),
    )  # fmt: skip


@router.get("/assets/{asset_id}", response_model=MediaAssetRead)
async def get_asset(asset_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> MediaAssetRead:
    return MediaAssetRead.model_validate(await service.get(session, actor=actor, asset_id=asset_id))


_FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=0"}


@router.get("/assets/{asset_id}/download", response_class=FileResponse)
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
            **_FILE_HEADERS,
        },
    )


@router.get("/assets/{asset_id}/thumbnail", response_class=FileResponse)
async def asset_thumbnail(asset_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> FileResponse:
    """The list thumbnail (WebP, 256 px on the longer side) of an image; 404 ``no_thumbnail`` for
    videos and 3D files."""
    asset = await service.get(session, actor=actor, asset_id=asset_id)
    return FileResponse(service.thumbnail_of(asset), media_type="image/webp", headers=_FILE_HEADERS)


@router.delete("/assets/{asset_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_asset(asset_id: uuid.UUID, session: SessionDep, actor: DeleteRenders) -> None:
    """Delete the asset; its file goes once the deletion is committed."""
    await service.delete(session, actor=actor, asset_id=asset_id)


def _download_read(download: object) -> MediaDownloadRead:
    read = MediaDownloadRead.model_validate(download)
    return read.model_copy(update={"download_url": downloads.link(download)})  # type: ignore[arg-type]


@router.post(
    "/downloads",
    response_class=Response,
    responses={
        200: {
            "description": "The ZIP (stored, zip64 where needed, `Content-Length` known): the files "
            "under unique safe names and manifest.csv",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        },
        202: {"description": "Too large to stream: a worker builds it", "model": MediaDownloadRead},
    },
)
async def bulk_download(
    body: MediaDownloadRequest,
    request: Request,
    session: SessionDep,
    actor: Authenticated,
    tenant_id: TenantParam = None,
) -> Response:
    """Many assets in one ZIP: by id (in that order) or everything the filters match (newest first).
    Every asset is checked first: one the caller may not see is a 404 and nothing is sent. Above
    the ``media_zip_async_*`` settings (2 GB or 5,000 files) the answer is 202 with the download a
    worker builds: poll ``GET /api/media/downloads/{id}`` or follow ``media_download`` live events;
    the requester is notified with the link when it is ready."""
    found = await downloads.request(
        session, actor=actor, tenant_id=tenant_id, asset_ids=body.asset_ids,
        filters=body.filters.to_filters() if body.filters else None,
    )  # fmt: skip
    if not isinstance(found, downloads.Streamed):
        return JSONResponse(_download_read(found).model_dump(mode="json"), status_code=202)
    return StreamingResponse(
        archive.stream(found.archive),
        media_type="application/zip",
        headers={
            "Content-Length": str(len(found.archive)),
            "Content-Disposition": service.content_disposition(found.file_name),
            **_FILE_HEADERS,
        },
        background=BackgroundTask(_remember_crcs, request, found),
    )


async def _remember_crcs(request: Request, found: downloads.Streamed) -> None:
    """After the whole archive was sent: store the CRCs it computed (assets without one)."""
    if found.tenant_id is None:
        return
    async with database(request).session(found.tenant_id) as session:
        await downloads.remember_crcs(session, found.archive)


@router.get("/downloads/{download_id}", response_model=MediaDownloadRead)
async def get_download(
    download_id: uuid.UUID, session: SessionDep, actor: Authenticated
) -> MediaDownloadRead:
    """A worker-built download's progress; when ready, its ``download_url`` (the requester's only)."""
    return _download_read(await downloads.get(session, actor=actor, download_id=download_id))


@router.get("/downloads/{download_id}/file", response_class=FileResponse, dependencies=[PUBLIC])
async def download_archive(
    download_id: uuid.UUID,
    request: Request,
    tenant: uuid.UUID,
    expires: Annotated[int, Query(ge=0, le=BIGINT_MAX, description="the link's expiry (Unix time)")],
    signature: Annotated[str, Query(pattern=r"^[0-9a-f]{64}$")],
) -> FileResponse:
    """A worker-built archive by its signed link (no login: the link is the permission, until it
    expires). 404 for a link not signed here; 410 ``download_expired`` after ``expires_at``."""
    downloads.check_link(download_id, tenant, expires, signature)
    async with database(request).session(tenant) as session:
        path, download = await downloads.file_of(session, download_id, expires)
    return FileResponse(
        path,
        media_type="application/zip",
        headers={"Content-Disposition": service.content_disposition(download.file_name), **_FILE_HEADERS},
    )

"""/api/products (everyone in the tenant reads, project managers and above write) and
/api/imports (Excel product lists, project managers and above)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.core.storage import default_storage
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize
from automat.kit.upload import receive_upload
from automat.models.product import ImportRowStatus
from automat.products import service
from automat.products.schemas import (
    ImportLogPage,
    ImportPage,
    ProductCreate,
    ProductImportRead,
    ProductPage,
    ProductRead,
    ProductUpdate,
)
from automat.settings.service import effective_value

products_router = APIRouter(prefix="/api/products", tags=["products"])
imports_router = APIRouter(prefix="/api/imports", tags=["products"])

ManageProducts = Annotated[Actor, require(Permission.MANAGE_PRODUCTS)]

TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to act on")]


@products_router.get("", response_model=ProductPage)
async def list_products(
    session: SessionDep,
    actor: Authenticated,
    q: Annotated[
        str | None,
        Query(max_length=200, description="a PIM id or its start, or words prefixing PIM id or name"),
    ] = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    tenant_id: TenantQuery = None,
    cad_file_id: Annotated[
        uuid.UUID | None, Query(description="only products linked to this CAD file")
    ] = None,
) -> ProductPage:
    """The tenant's products ordered by PIM id. With ``q``, PIM ids matching it exactly come first,
    then those starting with it, then name matches, ignoring case, dashes and spaces: ``P-1003``,
    ``p1003`` and ``P 1003`` find ``P-1003`` first; ``81113`` finds ``81113-TV``. The total of words
    matching thousands of products is an estimate (``total_is_estimate``), exact on the last page."""
    return await service.page_products(
        session, actor=actor, tenant_id=tenant_id, q=q, cursor=cursor, page_size=page_size,
        cad_file_id=cad_file_id,
    )  # fmt: skip


@products_router.post("", response_model=ProductRead, status_code=status.HTTP_201_CREATED)
async def create_product(body: ProductCreate, session: SessionDep, actor: ManageProducts) -> ProductRead:
    (read,) = await service.reads(session, [await service.create(session, actor=actor, data=body)])
    return read


@products_router.get("/{product_id}", response_model=ProductRead)
async def get_product(product_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> ProductRead:
    (read,) = await service.reads(session, [await service.get(session, actor=actor, product_id=product_id)])
    return read


@products_router.patch("/{product_id}", response_model=ProductRead)
async def update_product(
    product_id: uuid.UUID, body: ProductUpdate, session: SessionDep, actor: ManageProducts
) -> ProductRead:
    product = await service.update(session, actor=actor, product_id=product_id, data=body)
    (read,) = await service.reads(session, [product])
    return read


@products_router.delete("/{product_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_product(product_id: uuid.UUID, session: SessionDep, actor: ManageProducts) -> None:
    await service.delete(session, actor=actor, product_id=product_id)


@imports_router.post("/excel", response_model=ProductImportRead, status_code=status.HTTP_202_ACCEPTED)
async def import_excel(
    request: Request, session: SessionDep, actor: ManageProducts, tenant_id: TenantQuery = None
) -> ProductImportRead:
    """Import an ``.xlsx`` product list (multipart field ``file``; optional field ``mapping``, a JSON
    object header → field among pim_id, name, category_key, lagertyp, cad_file or "ignore").

    The file is checked now (422 ``bad_excel``, ``missing_columns``, ``invalid_mapping``) and
    parsed by the ``parse_excel`` step; poll ``GET /api/imports/{id}`` for counts and the row log."""
    target = actor.require_tenant(tenant_id)
    max_mb = int(await effective_value(session, target, "max_upload_mb"))
    storage = default_storage()
    received = await receive_upload(
        request,
        storage=storage,
        max_bytes=max_mb * 1_048_576,
        text_fields=frozenset({"mapping"}),
        default_name="products.xlsx",
    )
    record = await service.start_import(
        session, actor=actor, storage=storage, received=received, tenant_id=target
    )
    return ProductImportRead.model_validate(record)


@imports_router.get("", response_model=ImportPage)
async def list_imports(
    session: SessionDep,
    actor: ManageProducts,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    tenant_id: TenantQuery = None,
) -> ImportPage:
    """The tenant's Excel imports, newest first, a page at a time."""
    return await service.list_imports(
        session, actor=actor, tenant_id=tenant_id, cursor=cursor, page_size=page_size
    )


@imports_router.get("/{import_id}", response_model=ProductImportRead)
async def get_import(import_id: uuid.UUID, session: SessionDep, actor: ManageProducts) -> ProductImportRead:
    """Status, counts and the rows per status; the row log itself is paged at ``/rows``."""
    return ProductImportRead.model_validate(
        await service.get_import(session, actor=actor, import_id=import_id)
    )


@imports_router.get("/{import_id}/rows", response_model=ImportLogPage)
async def import_rows(
    import_id: uuid.UUID,
    session: SessionDep,
    actor: ManageProducts,
    status: Annotated[ImportRowStatus | None, Query(description="only rows of this status")] = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
) -> ImportLogPage:
    """The import's row log (row number, status, PIM id, reason) in row order, a page at a time."""
    return await service.import_rows(
        session, actor=actor, import_id=import_id, status=status, cursor=cursor, page_size=page_size
    )

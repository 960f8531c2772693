"""Products (CRUD; project managers and above write, everyone in the tenant reads) and the
start of an Excel import (checked here, parsed by the ``parse_excel`` task)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from anyio import to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.cad.names import cad_key
from automat.core.deps import Actor
from automat.kit.errors import Conflict, NotFound, Unprocessable
from automat.kit.pagination import decode_cursor, page_of
from automat.kit.storage import LocalStorage
from automat.kit.upload import ReceivedUpload, keep_upload
from automat.models.cad import CadFile
from automat.models.product import ImportRowStatus, ImportStatus, Product, ProductImport
from automat.products import excel, repository
from automat.products.schemas import (
    CadFileBrief,
    ImportLogEntry,
    ImportLogPage,
    ImportPage,
    ProductCreate,
    ProductImportSummary,
    ProductPage,
    ProductRead,
    ProductUpdate,
)
from automat.settings.service import effective_value
from automat.worker.queues import STEP_QUEUE, declare_task
from automat.workflows import repository as workflows
from automat.workflows.dispatch import run_builtin

PARSE_EXCEL_TASK = declare_task("automat.products.tasks.parse_excel", queue=STEP_QUEUE)


def import_prefix(tenant_id: uuid.UUID, import_id: uuid.UUID) -> str:
    return f"tenants/{tenant_id}/imports/{import_id}"


# -- products -----------------------------------------------------------------------------------


async def list_products(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    q: str | None,
    limit: int,
    after: repository.ProductKey | None = None,
    cad_file_id: uuid.UUID | None = None,
    exact_total: bool = False,
) -> repository.ProductMatches:
    """Up to ``limit`` of the tenant's products after the key ``after`` and how many match: ordered
    by PIM id, or with ``q`` the PIM-id matches first (however it is typed), then the name matches;
    ``cad_file_id`` keeps the products linked to that CAD file. The total of a broad word search is
    an estimate (``exact`` false) unless ``exact_total``."""
    return await repository.list_products(
        session,
        tenant_id=actor.scope_tenant(tenant_id),
        q=q,
        limit=limit,
        after=after,
        exact_total=exact_total,
        cad_file_id=cad_file_id,
    )


async def page_products(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    q: str | None,
    cursor: str | None,
    page_size: int,
    cad_file_id: uuid.UUID | None = None,
) -> ProductPage:
    """A page of products in the list's order after the cursor, with the total."""
    after = decode_cursor(cursor, repository.PRODUCT_KEY_TYPES)
    found = await list_products(
        session,
        actor=actor,
        tenant_id=tenant_id,
        q=q,
        limit=page_size + 1,
        after=after,  # type: ignore[arg-type]  # typed by PRODUCT_KEY_TYPES
        cad_file_id=cad_file_id,
    )
    rows, next_cursor = page_of(found.rows, page_size, key=lambda row: row[0])
    return ProductPage(
        items=await reads(session, [product for _, product in rows]),
        next_cursor=next_cursor,
        total=found.total,
        total_is_estimate=not found.exact,
    )


async def reads(session: AsyncSession, products: list[Product]) -> list[ProductRead]:
    """The products as the API shows them, each with a brief of its CAD file (one query)."""
    cads = await repository.cad_files_by_id(session, {p.cad_file_id for p in products if p.cad_file_id})
    return [
        ProductRead.model_validate(p).model_copy(
            update={
                "cad_file": CadFileBrief.model_validate(cads[p.cad_file_id])
                if p.cad_file_id in cads
                else None,
                "waiting_for_cad_file": waiting_for(p, cads.get(p.cad_file_id) if p.cad_file_id else None),
            }
        )
        for p in products
    ]


def waiting_for(product: Product, linked: CadFile | None) -> str | None:
    """The CAD file name the product waits for: its import named one, and the file linked (if any)
    has another name (``cad.linking`` links it when a file of the name becomes ready)."""
    if not product.cad_file_name or not product.cad_file_key:
        return None
    if linked is not None and cad_key(linked.original_name) == product.cad_file_key:
        return None
    return product.cad_file_name


async def get(session: AsyncSession, *, actor: Actor, product_id: uuid.UUID) -> Product:
    product = await repository.get(session, product_id, tenant_id=actor.scope_tenant(None))
    if product is None:
        raise NotFound("Product not found.")
    return product


async def _check_cad_file(
    session: AsyncSession, tenant_id: uuid.UUID, cad_file_id: uuid.UUID | None
) -> str | None:
    """The name of the tenant's CAD file ``cad_file_id`` (None for none); 404 ``unknown_cad_file``
    for an id that is not one of the tenant's CAD files (another tenant's is answered the same:
    no existence leak)."""
    if cad_file_id is None:
        return None
    name = await repository.cad_file_name(session, tenant_id, cad_file_id)
    if name is None:
        raise NotFound("There is no such CAD file in this tenant.", code="unknown_cad_file")
    return name


async def _save(session: AsyncSession, product: Product) -> Product:
    try:
        return await repository.save_product(session, product)
    except repository.DuplicatePimId:
        raise Conflict(
            f"This tenant has a product with PIM id {product.pim_id} already.", code="duplicate_pim_id"
        ) from None


async def create(session: AsyncSession, *, actor: Actor, data: ProductCreate) -> Product:
    tenant_id = actor.require_tenant(data.tenant_id)
    await _check_cad_file(session, tenant_id, data.cad_file_id)
    product = await _save(session, Product(tenant_id=tenant_id, **data.model_dump(exclude={"tenant_id"})))
    await audit.record(
        session, actor=actor, action="product.create", tenant_id=tenant_id, target_type="product",
        target_id=product.id, detail={"pim_id": product.pim_id},
    )  # fmt: skip
    return product


async def update(
    session: AsyncSession, *, actor: Actor, product_id: uuid.UUID, data: ProductUpdate
) -> Product:
    """Change the fields given; ``null`` clears the optional ones (category, bearing type, CAD link).

    The audit trail (the product's history) records each changed field with its value before and
    after (attributes: the keys that changed) as ``product.update``, and a changed CAD link as
    ``product.cad_linked`` / ``product.cad_unlinked`` (as the automatic links write it, with the
    user as the actor); a request that changes nothing records nothing."""
    product = await get(session, actor=actor, product_id=product_id)
    requested: dict[str, Any] = data.model_dump(exclude_unset=True)
    for required in ("pim_id", "name", "attributes", "material_overrides"):
        if required in requested and requested[required] is None:
            raise Unprocessable(f"{required} cannot be null.", code="validation_error")
    cad_name = await _check_cad_file(session, product.tenant_id, requested.get("cad_file_id"))
    if "cad_file_id" in requested:  # a link chosen by hand ends the wait for the imported name
        product.cad_file_name = product.cad_file_key = None
    changes = {key: value for key, value in requested.items() if getattr(product, key) != value}
    fields = {key: value for key, value in changes.items() if key != "cad_file_id"}  # the link: below
    trail = {key: _change(key, getattr(product, key), value) for key, value in fields.items()}
    previous_cad = product.cad_file_id
    for key, value in changes.items():
        setattr(product, key, value)
    product = await _save(session, product)
    if trail:
        await audit.record(
            session, actor=actor, action="product.update", tenant_id=product.tenant_id,
            target_type="product", target_id=product.id,
            detail={"pim_id": product.pim_id, "fields": sorted(trail), "changes": trail},
        )  # fmt: skip
    if "cad_file_id" in changes:
        await audit.record(
            session, actor=actor, action="product.cad_linked" if cad_name else "product.cad_unlinked",
            tenant_id=product.tenant_id, target_type="product", target_id=product.id,
            detail={
                "pim_id": product.pim_id,
                "cad_file_id": _plain(product.cad_file_id),
                "cad_file_name": cad_name,
                "previous_cad_file_id": _plain(previous_cad),
                "reason": "by_hand",
            },
        )  # fmt: skip
    return product


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (ids as text)."""
    return str(value) if isinstance(value, uuid.UUID) else value


def _change(key: str, before: Any, after: Any) -> dict[str, Any]:
    """One field's change as the audit trail keeps it (JSON: ids as text, attributes as keys)."""
    if key == "attributes":
        return {"keys": sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))}
    return {"from": _plain(before), "to": _plain(after)}


async def delete(session: AsyncSession, *, actor: Actor, product_id: uuid.UUID) -> None:
    product = await get(session, actor=actor, product_id=product_id)
    lines = await repository.count_order_lines_of(session, product.id)
    if lines:
        raise Conflict(
            f"Product {product.pim_id} is on {lines} order line(s) and cannot be deleted.",
            code="product_in_use",
            details={"order_lines": lines},
        )
    await audit.record(
        session, actor=actor, action="product.delete", tenant_id=product.tenant_id, target_type="product",
        target_id=product.id, detail={"pim_id": product.pim_id},
    )  # fmt: skip
    await repository.delete_product(session, product)


# -- imports ------------------------------------------------------------------------------------


def parse_mapping(raw: str | None) -> dict[str, str]:
    """The request's ``mapping`` form field (a JSON object header -> field), normalized."""
    if raw is None or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        raise Unprocessable("The mapping is not valid JSON.", code="invalid_mapping") from None
    return excel.parse_override(value)


async def excel_limits(session: AsyncSession) -> excel.ReadLimits:
    """What reading one workbook may cost: installation settings (never a tenant's)."""
    return excel.read_limits(
        {key: await effective_value(session, None, key) for key in excel.LIMIT_SETTINGS.values()}
    )


async def start_import(
    session: AsyncSession,
    *,
    actor: Actor,
    storage: LocalStorage,
    received: ReceivedUpload,
    tenant_id: uuid.UUID,
) -> ProductImport:
    """Check the workbook (422 ``bad_excel`` / ``missing_columns``, nothing stored), keep it, and
    start a run of the built-in "Product import" workflow (its ``parse_excel`` task leaves once
    the record is committed)."""
    try:
        override = parse_mapping(received.fields.get("mapping"))
        limits = await excel_limits(session)
        columns, header_row = await to_thread.run_sync(
            excel.check_upload, received.temp_path, override, limits
        )
    except BaseException:
        received.temp_path.unlink(missing_ok=True)
        raise
    import_id = uuid.uuid4()
    key = keep_upload(
        session, storage, received, prefix=import_prefix(tenant_id, import_id), name="source.xlsx"
    )
    record = await repository.add_import(
        session,
        ProductImport(
            id=import_id,
            tenant_id=tenant_id,
            original_name=received.original_name,
            storage_key=key,
            status=ImportStatus.PENDING,
            column_mapping={"columns": columns, "override": override, "header_row": header_row},
            created_by=actor.user_id,
        ),
    )
    await audit.record(
        session, actor=actor, action="product_import.start", tenant_id=tenant_id,
        target_type="product_import", target_id=record.id,
        detail={"name": record.original_name, "bytes": received.size},
    )  # fmt: skip
    await run_builtin(session, workflows.PRODUCT_IMPORT_ID, tenant_id=tenant_id, subject_id=import_id)
    return record


async def get_import(session: AsyncSession, *, actor: Actor, import_id: uuid.UUID) -> ProductImport:
    record = await repository.get_import(session, import_id, tenant_id=actor.scope_tenant(None))
    if record is None:
        raise NotFound("Import not found.")
    return record


async def import_rows(
    session: AsyncSession,
    *,
    actor: Actor,
    import_id: uuid.UUID,
    status: ImportRowStatus | None,
    cursor: str | None,
    page_size: int,
) -> ImportLogPage:
    """A page of an import's row log in row order (of one status, if given), with the total."""
    record = await get_import(session, actor=actor, import_id=import_id)
    after = decode_cursor(cursor, (int,))
    after_row = after[0] if after else None
    assert after_row is None or isinstance(after_row, int)
    rows = await repository.import_rows(
        session,
        record.id,
        tenant_id=record.tenant_id,
        status=status.value if status else None,
        after_row=after_row,
        limit=page_size + 1,
    )
    items, next_cursor = page_of(rows, page_size, key=lambda r: (r.row,))
    counts = record.row_counts or {}
    total = counts.get(status.value, 0) if status else sum(counts.values())
    return ImportLogPage(
        items=[ImportLogEntry.model_validate(r) for r in items], next_cursor=next_cursor, total=total
    )


async def list_imports(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, cursor: str | None, page_size: int
) -> ImportPage:
    """A page of the tenant's imports, newest first by (created_at, id), with the total."""
    after = decode_cursor(cursor, (datetime, uuid.UUID))
    scope = actor.scope_tenant(tenant_id)
    rows = await repository.list_imports(session, tenant_id=scope, limit=page_size + 1, after=after)
    items, next_cursor = page_of(rows, page_size, key=lambda r: (r.created_at, r.id))
    return ImportPage(
        items=[ProductImportSummary.model_validate(r) for r in items],
        next_cursor=next_cursor,
        total=await repository.count_imports(session, tenant_id=scope),
    )

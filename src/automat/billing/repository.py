"""Queries of the billing domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from automat.models.billing import Invoice, InvoiceCounter, InvoiceLine, PriceListEntry
from automat.models.media import MediaAsset
from automat.models.order import LineStatus, Order, OrderLine
from automat.models.output import OutputType
from automat.models.product import Product


async def next_number(session: AsyncSession, tenant_id: uuid.UUID, year: int) -> int:
    """The tenant's next invoice sequence number in ``year``: one upsert whose row lock serializes
    concurrent issues; it rolls back with the issuing transaction, so no number is ever skipped."""
    stmt = (
        insert(InvoiceCounter)
        .values(tenant_id=tenant_id, year=year, value=1)
        .on_conflict_do_update(index_elements=["tenant_id", "year"], set_={"value": InvoiceCounter.value + 1})
        .returning(InvoiceCounter.value)
    )
    return int((await session.execute(stmt)).scalar_one())


# -- price list -----------------------------------------------------------------------------------


async def prices(
    session: AsyncSession, tenant_id: uuid.UUID, output_type_id: uuid.UUID | None
) -> Sequence[tuple[PriceListEntry, str]]:
    stmt = (
        select(PriceListEntry, OutputType.name)
        .join(OutputType, OutputType.id == PriceListEntry.output_type_id)
        .where(PriceListEntry.tenant_id == tenant_id)
        .order_by(OutputType.name, PriceListEntry.output_type_id, PriceListEntry.valid_from)
    )
    if output_type_id is not None:
        stmt = stmt.where(PriceListEntry.output_type_id == output_type_id)
    return [(entry, name) for entry, name in (await session.execute(stmt)).all()]


async def output_type(
    session: AsyncSession, tenant_id: uuid.UUID, output_type_id: uuid.UUID
) -> OutputType | None:
    row = await session.get(OutputType, output_type_id)
    return row if row is not None and row.tenant_id == tenant_id else None


# -- what can be billed ---------------------------------------------------------------------------


def _unit_price() -> Any:
    """The price on the line's delivery day: the latest price-list entry from on or before it,
    else the output type's own price."""
    day = func.date(func.timezone("UTC", OrderLine.finished_at))
    listed = (
        select(PriceListEntry.unit_price)
        .where(PriceListEntry.output_type_id == OrderLine.output_type_id, PriceListEntry.valid_from <= day)
        .order_by(PriceListEntry.valid_from.desc())
        .limit(1)
        .correlate(OrderLine)
        .scalar_subquery()
    )
    return func.coalesce(listed, OutputType.price)


async def billable_lines(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    order_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[dict[str, Any]]:
    """Order lines that delivered media (completed, with at least one media asset), no live
    invoice line claims yet, of one order or delivered in ``[start, end)``; oldest first."""
    delivered = exists().where(MediaAsset.order_line_id == OrderLine.id)
    claimed = exists().where(InvoiceLine.order_line_id == OrderLine.id, InvoiceLine.charging)
    stmt = (
        select(
            OrderLine.id,
            Order.number,
            Product.name,
            Product.pim_id,
            OutputType.name,
            OrderLine.finished_at,
            _unit_price(),
        )
        .join(Order, Order.id == OrderLine.order_id)
        .join(Product, Product.id == OrderLine.product_id)
        .join(OutputType, OutputType.id == OrderLine.output_type_id)
        .where(
            Order.tenant_id == tenant_id,
            OrderLine.render_status == LineStatus.COMPLETED,
            delivered,
            ~claimed,
        )
        .order_by(OrderLine.finished_at, Order.number, OrderLine.id)
    )
    if order_id is not None:
        stmt = stmt.where(OrderLine.order_id == order_id)
    if start is not None and end is not None:
        stmt = stmt.where(and_(OrderLine.finished_at >= start, OrderLine.finished_at < end))
    keys = (
        "order_line_id",
        "order_number",
        "product_name",
        "pim_id",
        "output_type_name",
        "delivered_at",
        "unit_price",
    )
    return [dict(zip(keys, row, strict=True)) for row in (await session.execute(stmt)).all()]


# -- invoices -------------------------------------------------------------------------------------


async def get(
    session: AsyncSession, tenant_id: uuid.UUID | None, invoice_id: uuid.UUID, *, lock: bool = False
) -> Invoice | None:
    stmt = select(Invoice).where(Invoice.id == invoice_id)
    if tenant_id is not None:
        stmt = stmt.where(Invoice.tenant_id == tenant_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def lines(session: AsyncSession, invoice_id: uuid.UUID) -> Sequence[InvoiceLine]:
    stmt = select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.position)
    return (await session.execute(stmt)).scalars().all()


async def credit_note_of(session: AsyncSession, invoice_id: uuid.UUID) -> uuid.UUID | None:
    stmt = select(Invoice.id).where(Invoice.credits_id == invoice_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def release_lines(session: AsyncSession, invoice_id: uuid.UUID) -> None:
    """The document no longer charges its order lines (credited or voided): they may be billed again."""
    await session.execute(
        update(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).values(charging=False)
    )


async def page(
    session: AsyncSession,
    tenant_id: uuid.UUID | None,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    status: str | None,
    kind: str | None,
    order_id: uuid.UUID | None,
) -> tuple[Sequence[Invoice], int]:
    """Newest first by (created_at, id), keyset after the cursor's key; and the filtered count."""
    filters = []
    if tenant_id is not None:
        filters.append(Invoice.tenant_id == tenant_id)
    if status is not None:
        filters.append(Invoice.status == status)
    if kind is not None:
        filters.append(Invoice.kind == kind)
    if order_id is not None:
        filters.append(Invoice.order_id == order_id)
    stmt = select(Invoice).where(*filters).order_by(Invoice.created_at.desc(), Invoice.id.desc()).limit(limit)
    if after is not None:
        created, last = after
        stmt = stmt.where(
            or_(Invoice.created_at < created, and_(Invoice.created_at == created, Invoice.id < last))
        )
    rows = (await session.execute(stmt)).scalars().all()
    total = (await session.execute(select(func.count()).select_from(Invoice).where(*filters))).scalar_one()
    return rows, int(total)


async def order(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID) -> Order | None:
    row = await session.get(Order, order_id)
    return row if row is not None and row.tenant_id == tenant_id else None


def month_bounds(month: str) -> tuple[date, date]:
    year, number = (int(part) for part in month.split("-"))
    start = date(year, number, 1)
    end = date(year + (number == 12), number % 12 + 1, 1)
    return start, end

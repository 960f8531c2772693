"""Queries for orders and order lines (async for the API, sync for the workers)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.pagination import KeyPart, after_key
from automat.models.cad import CadFile
from automat.models.media import MediaAsset
from automat.models.order import LineStatus, Order, OrderLine, OrderNumberCounter
from automat.models.output import OutputType
from automat.models.product import Product

# -- orders (API) -------------------------------------------------------------------------------


async def next_number(session: AsyncSession, tenant_id: uuid.UUID, year: int) -> int:
    """The tenant's next order sequence number in ``year`` (one atomic upsert, no gaps on rollback)."""
    stmt = (
        insert(OrderNumberCounter)
        .values(tenant_id=tenant_id, year=year, value=1)
        .on_conflict_do_update(
            index_elements=["tenant_id", "year"], set_={"value": OrderNumberCounter.value + 1}
        )
        .returning(OrderNumberCounter.value)
    )
    return int((await session.execute(stmt)).scalar_one())


def _orders(tenant_id: uuid.UUID | None, created_by: uuid.UUID | None) -> Select[Order]:
    stmt = select(Order)
    if tenant_id is not None:
        stmt = stmt.where(Order.tenant_id == tenant_id)
    if created_by is not None:
        stmt = stmt.where(Order.created_by == created_by)
    return stmt


async def get(
    session: AsyncSession,
    order_id: uuid.UUID,
    *,
    tenant_id: uuid.UUID | None,
    created_by: uuid.UUID | None = None,
    for_update: bool = False,
) -> Order | None:
    stmt = _orders(tenant_id, created_by).where(Order.id == order_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def list_orders(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    created_by: uuid.UUID | None,
    statuses: Sequence[str] | None,
    limit: int,
    after: Sequence[KeyPart] | None = None,
) -> list[Order]:
    """Up to ``limit`` orders newest first by (created_at, id), after a cursor's key (a range of
    ``ix_orders_tenant_created_id``, or of ``ix_orders_tenant_status_created_id`` per status)."""
    stmt = _orders(tenant_id, created_by)
    if statuses:
        stmt = stmt.where(Order.status.in_(statuses))
    if after is not None:
        stmt = stmt.where(after_key((Order.created_at, Order.id), after, descending=True))
    stmt = stmt.order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)
    return list((await session.scalars(stmt)).all())


async def count_orders(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    created_by: uuid.UUID | None,
    statuses: Sequence[str] | None,
) -> int:
    stmt = _orders(tenant_id, created_by).with_only_columns(func.count()).order_by(None)
    if statuses:
        stmt = stmt.where(Order.status.in_(statuses))
    return int(await session.scalar(stmt) or 0)


async def count_by_status(
    session: AsyncSession, *, tenant_id: uuid.UUID | None, created_by: uuid.UUID | None
) -> dict[str, int]:
    stmt = _orders(tenant_id, created_by).with_only_columns(Order.status, func.count()).group_by(Order.status)
    return {status: int(n) for status, n in (await session.execute(stmt)).all()}


async def line_counts(
    session: AsyncSession, order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """Per order: how many lines are in each render status."""
    if not order_ids:
        return {}
    stmt = (
        select(OrderLine.order_id, OrderLine.render_status, func.count())
        .where(OrderLine.order_id.in_(order_ids))
        .group_by(OrderLine.order_id, OrderLine.render_status)
    )
    counts: dict[uuid.UUID, dict[str, int]] = {}
    for order_id, status, n in (await session.execute(stmt)).all():
        counts.setdefault(order_id, {})[status] = int(n)
    return counts


# -- lines (API) ---------------------------------------------------------------------------------


async def lines_with_details(
    session: AsyncSession, order_id: uuid.UUID
) -> list[tuple[OrderLine, str, str, str, str, str | None]]:
    """Each line with its product and output type (and the product's CAD file status)."""
    stmt = (
        select(OrderLine, Product.pim_id, Product.name, OutputType.name, OutputType.kind, CadFile.status)
        .join(Product, Product.id == OrderLine.product_id)
        .join(OutputType, OutputType.id == OrderLine.output_type_id)
        .outerjoin(CadFile, CadFile.id == Product.cad_file_id)
        .where(OrderLine.order_id == order_id)
        .order_by(Product.pim_id, OutputType.name, OrderLine.id)
    )
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in (await session.execute(stmt)).all()]


async def lines_of(
    session: AsyncSession, order_id: uuid.UUID, *, for_update: bool = False
) -> list[OrderLine]:
    stmt = (
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.created_at, OrderLine.id)
    )
    if for_update:
        stmt = stmt.with_for_update()
    return list((await session.scalars(stmt)).all())


async def line_keys(session: AsyncSession, order_id: uuid.UUID) -> set[tuple[uuid.UUID, uuid.UUID]]:
    stmt = select(OrderLine.product_id, OrderLine.output_type_id).where(OrderLine.order_id == order_id)
    return {(p, o) for p, o in (await session.execute(stmt)).all()}


async def line_ids_by_key(
    session: AsyncSession, order_id: uuid.UUID
) -> dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID]:
    """(product id, output type id) -> line id of every line of the order."""
    stmt = select(OrderLine.product_id, OrderLine.output_type_id, OrderLine.id).where(
        OrderLine.order_id == order_id
    )
    return {(p, o): line_id for p, o, line_id in (await session.execute(stmt)).all()}


async def delete_lines(session: AsyncSession, order_id: uuid.UUID, line_ids: Sequence[uuid.UUID]) -> None:
    if line_ids:
        await session.execute(
            delete(OrderLine).where(OrderLine.order_id == order_id, OrderLine.id.in_(line_ids))
        )


async def cad_statuses(session: AsyncSession, cad_file_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not cad_file_ids:
        return {}
    stmt = select(CadFile.id, CadFile.status).where(CadFile.id.in_(cad_file_ids))
    return {cad_id: status for cad_id, status in (await session.execute(stmt)).all()}


async def count_lines(session: AsyncSession, order_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(OrderLine).where(OrderLine.order_id == order_id)
    return int((await session.execute(stmt)).scalar_one())


async def get_line(session: AsyncSession, order_id: uuid.UUID, line_id: uuid.UUID) -> OrderLine | None:
    stmt = select(OrderLine).where(OrderLine.id == line_id, OrderLine.order_id == order_id)
    return (await session.scalars(stmt)).one_or_none()


async def add_lines(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(OrderLine), rows)


async def delete_line(session: AsyncSession, line: OrderLine) -> None:
    await session.execute(delete(OrderLine).where(OrderLine.id == line.id))


async def delete_order(session: AsyncSession, order: Order) -> None:
    await session.execute(delete(Order).where(Order.id == order.id))


async def existing_products(
    session: AsyncSession, tenant_id: uuid.UUID, ids: set[uuid.UUID]
) -> set[uuid.UUID]:
    if not ids:
        return set()
    stmt = select(Product.id).where(Product.tenant_id == tenant_id, Product.id.in_(ids))
    return set((await session.scalars(stmt)).all())


async def active_output_types(
    session: AsyncSession, tenant_id: uuid.UUID, ids: set[uuid.UUID]
) -> dict[uuid.UUID, OutputType]:
    if not ids:
        return {}
    stmt = select(OutputType).where(
        OutputType.tenant_id == tenant_id, OutputType.id.in_(ids), OutputType.is_active.is_(True)
    )
    return {o.id: o for o in (await session.scalars(stmt)).all()}


async def media_of_lines(session: AsyncSession, line_ids: Sequence[uuid.UUID]) -> list[MediaAsset]:
    if not line_ids:
        return []
    stmt = (
        select(MediaAsset)
        .where(MediaAsset.order_line_id.in_(line_ids))
        .order_by(MediaAsset.order_line_id, MediaAsset.role)
    )
    return list((await session.scalars(stmt)).all())


async def detach_media(session: AsyncSession, line_ids: Sequence[uuid.UUID]) -> list[str]:
    """Delete the media of earlier runs of these lines; returns their storage keys (to remove
    after commit)."""
    if not line_ids:
        return []
    stmt = delete(MediaAsset).where(MediaAsset.order_line_id.in_(line_ids)).returning(MediaAsset.storage_key)
    return list((await session.scalars(stmt)).all())


# -- workers ----------------------------------------------------------------------------------------


def line_for_update(session: Session, line_id: uuid.UUID, tenant_id: uuid.UUID) -> OrderLine | None:
    """Lock the line's order, then the line: the API locks an order before its lines (submit,
    reject, cancel), so the workers take the locks in the same order or they would deadlock."""
    order_id = session.scalar(
        select(OrderLine.order_id).where(OrderLine.id == line_id, OrderLine.tenant_id == tenant_id)
    )
    if order_id is None:
        return None
    session.execute(select(Order.id).where(Order.id == order_id).with_for_update())
    stmt = select(OrderLine).where(OrderLine.id == line_id).with_for_update()
    return session.scalars(stmt).one_or_none()


def order_for_update(session: Session, order_id: uuid.UUID, tenant_id: uuid.UUID) -> Order | None:
    stmt = select(Order).where(Order.id == order_id, Order.tenant_id == tenant_id).with_for_update()
    return session.scalars(stmt).one_or_none()


def order_owner(session: Session, order_id: uuid.UUID) -> uuid.UUID | None:
    return session.scalar(select(Order.created_by).where(Order.id == order_id))


def line_statuses(session: Session, order_id: uuid.UUID) -> list[str]:
    return list(session.scalars(select(OrderLine.render_status).where(OrderLine.order_id == order_id)).all())


def line_context(session: Session, line: OrderLine) -> tuple[Product, OutputType, CadFile | None]:
    """The product, output type and CAD file a line renders."""
    product = session.get(Product, line.product_id)
    output_type = session.get(OutputType, line.output_type_id)
    assert product is not None  # FK RESTRICT keeps them
    assert output_type is not None
    cad = session.get(CadFile, product.cad_file_id) if product.cad_file_id else None
    return product, output_type, cad


def running_lines(session: Session) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(line id, tenant id) of every line rendering now, in every tenant (the stall check runs
    with bypass and locks each one with ``line_for_update``)."""
    stmt = (
        select(OrderLine.id, OrderLine.tenant_id)
        .where(OrderLine.render_status == LineStatus.RUNNING)
        .order_by(OrderLine.started_at)
    )
    return [(line_id, tenant_id) for line_id, tenant_id in session.execute(stmt).all()]

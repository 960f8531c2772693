"""Queries for media assets (async for the API, sync for publication from workers)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, literal, select, tuple_
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, aliased

from automat.kit.repository import remove
from automat.models.media import MediaAsset
from automat.models.order import Order, OrderLine


@dataclass(frozen=True)
class Scope:
    """Which assets a reader may see: a tenant (None: every tenant, global admins) and, for
    clients, only those of order lines of orders the client created."""

    tenant_id: uuid.UUID | None
    ordered_by: uuid.UUID | None = None


@dataclass(frozen=True)
class Filters:
    product_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    order_line_id: uuid.UUID | None = None
    kind: str | None = None


def _scoped(scope: Scope, *, order_id: uuid.UUID | None = None) -> Select[MediaAsset]:
    stmt = select(MediaAsset)
    if scope.tenant_id is not None:
        stmt = stmt.where(MediaAsset.tenant_id == scope.tenant_id)
    if scope.ordered_by is not None or order_id is not None:
        stmt = stmt.join(OrderLine, OrderLine.id == MediaAsset.order_line_id)
        if order_id is not None:
            stmt = stmt.where(OrderLine.order_id == order_id)
        if scope.ordered_by is not None:
            stmt = stmt.join(Order, Order.id == OrderLine.order_id).where(
                Order.created_by == scope.ordered_by
            )
    return stmt


async def list_assets(
    session: AsyncSession, scope: Scope, filters: Filters, *, before: uuid.UUID | None, limit: int
) -> list[MediaAsset]:
    """Newest first, keyset on (created_at, id) (index ``ix_media_assets_tenant_created``)."""
    stmt = _scoped(scope, order_id=filters.order_id)
    if filters.product_id is not None:
        stmt = stmt.where(MediaAsset.product_id == filters.product_id)
    if filters.order_line_id is not None:
        stmt = stmt.where(MediaAsset.order_line_id == filters.order_line_id)
    if filters.kind is not None:
        stmt = stmt.where(MediaAsset.kind == filters.kind)
    if before is not None:
        anchor = aliased(MediaAsset)
        created = select(anchor.created_at).where(anchor.id == before).scalar_subquery()
        stmt = stmt.where(
            tuple_(MediaAsset.created_at, MediaAsset.id)
            < tuple_(created, literal(before, type_=UUID(as_uuid=True)))
        )
    stmt = stmt.order_by(MediaAsset.created_at.desc(), MediaAsset.id.desc()).limit(limit)
    return list((await session.scalars(stmt)).all())


async def get(session: AsyncSession, scope: Scope, asset_id: uuid.UUID) -> MediaAsset | None:
    return await session.scalar(_scoped(scope).where(MediaAsset.id == asset_id))


async def delete(session: AsyncSession, asset: MediaAsset) -> None:
    await remove(session, asset)


# -- sync, for publication ----------------------------------------------------------------------


def for_line_sync(session: Session, order_line_id: uuid.UUID, role: str) -> MediaAsset | None:
    stmt = select(MediaAsset).where(MediaAsset.order_line_id == order_line_id, MediaAsset.role == role)
    return session.scalar(stmt)


def get_sync(session: Session, asset_id: uuid.UUID) -> MediaAsset | None:
    return session.scalar(select(MediaAsset).where(MediaAsset.id == asset_id))


def insert_once_sync(session: Session, values: dict[str, Any]) -> bool:
    """Insert unless the (order line, role) has an asset already; True if this call inserted."""
    stmt = (
        insert(MediaAsset)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_media_assets_line_role")
        .returning(MediaAsset.id)
    )
    return session.execute(stmt).scalar_one_or_none() is not None

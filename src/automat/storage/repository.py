"""Queries of the storage check and sweep (sync; the caller's session runs as ``bypass``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from automat.kit.db import Base
from automat.models.cad import CadFile
from automat.models.media import MediaAsset
from automat.models.order import OrderLine
from automat.models.output import RenderTemplate
from automat.models.product import ProductImport
from automat.models.tenant import Tenant

Row = TypeVar("Row", CadFile, ProductImport, MediaAsset, RenderTemplate, OrderLine)


def tenant_ids(session: Session) -> set[uuid.UUID]:
    return set(session.scalars(select(Tenant.id)).all())


def rows_of(session: Session, model: type[Row], tenants: Collection[uuid.UUID] | None) -> list[Row]:
    """Every row of a table that names files (of ``tenants``, or of all)."""
    stmt = select(model)
    if tenants is not None:
        stmt = stmt.where(model.tenant_id.in_(list(tenants)))
    return list(session.scalars(stmt).all())


def lines_by_id(session: Session, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, OrderLine]:
    if not ids:
        return {}
    return {ln.id: ln for ln in session.scalars(select(OrderLine).where(OrderLine.id.in_(list(ids)))).all()}


def live_lines(session: Session, tenants: Collection[uuid.UUID] | None) -> list[OrderLine]:
    """Lines still on their way (queued or running): the only ones that may own staged files."""
    stmt = select(OrderLine).where(OrderLine.render_status.in_(("queued", "running")))
    if tenants is not None:
        stmt = stmt.where(OrderLine.tenant_id.in_(list(tenants)))
    return list(session.scalars(stmt).all())


def get(session: Session, model: type[Row], row_id: uuid.UUID) -> Row | None:
    return session.scalar(select(model).where(model.id == row_id))


def for_update(session: Session, model: type[Row], row_id: uuid.UUID) -> Row | None:
    """The row, locked until the transaction ends (None: it is gone)."""
    return session.scalar(select(model).where(model.id == row_id).with_for_update())


def exists(session: Session, model: type[Base], row_id: uuid.UUID) -> bool:
    return session.scalar(select(model.id).where(model.id == row_id)) is not None  # type: ignore[attr-defined]

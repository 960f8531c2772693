"""Queries for output types, camera positions and render templates (async for the API, sync for
the workers: template validation, order rendering, the demo seed)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.repository import remove, save
from automat.models.audit import AuditLog
from automat.models.order import OrderLine
from automat.models.output import OutputType, Position, RenderTemplate
from automat.models.tenant import Tenant


class RowInUse(Exception):
    """A foreign key (RESTRICT) still points at the row being deleted."""


async def tenant_config(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, Any] | None:
    return await session.scalar(select(Tenant.tenant_config).where(Tenant.id == tenant_id))


async def _remove_restricted(session: AsyncSession, row: OutputType | RenderTemplate) -> None:
    """Delete in a savepoint; a referencing row that appeared meanwhile raises ``RowInUse``."""
    try:
        async with session.begin_nested():
            await remove(session, row)
    except IntegrityError as exc:
        if "foreign key" in str(exc.orig).lower():
            raise RowInUse from None
        raise


# -- output types ---------------------------------------------------------------------------------


async def list_output_types(
    session: AsyncSession, *, tenant_id: uuid.UUID | None, kind: str | None, include_inactive: bool
) -> list[OutputType]:
    stmt = select(OutputType).order_by(OutputType.name, OutputType.id)
    if tenant_id is not None:
        stmt = stmt.where(OutputType.tenant_id == tenant_id)
    if kind is not None:
        stmt = stmt.where(OutputType.kind == kind)
    if not include_inactive:
        stmt = stmt.where(OutputType.is_active.is_(True))
    return list((await session.scalars(stmt)).all())


async def get_output_type(
    session: AsyncSession, output_type_id: uuid.UUID, *, tenant_id: uuid.UUID | None
) -> OutputType | None:
    stmt = select(OutputType).where(OutputType.id == output_type_id)
    if tenant_id is not None:
        stmt = stmt.where(OutputType.tenant_id == tenant_id)
    return await session.scalar(stmt)


async def count_order_lines_using(session: AsyncSession, output_type_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(OrderLine).where(OrderLine.output_type_id == output_type_id)
    return int(await session.scalar(stmt) or 0)


async def delete_output_type(session: AsyncSession, row: OutputType) -> None:
    await _remove_restricted(session, row)


async def output_types_using_position(
    session: AsyncSession, tenant_id: uuid.UUID, position: str
) -> list[OutputType]:
    stmt = (
        select(OutputType)
        .where(OutputType.tenant_id == tenant_id, OutputType.render_settings["position"].astext == position)
        .order_by(OutputType.name)
    )
    return list((await session.scalars(stmt)).all())


async def output_type_names_using_template(session: AsyncSession, template_id: uuid.UUID) -> list[str]:
    stmt = select(OutputType.name).where(OutputType.template_id == template_id).order_by(OutputType.name)
    return list((await session.scalars(stmt)).all())


# -- positions ------------------------------------------------------------------------------------


async def list_positions(session: AsyncSession, tenant_id: uuid.UUID) -> list[Position]:
    stmt = select(Position).where(Position.tenant_id == tenant_id).order_by(Position.name, Position.id)
    return list((await session.scalars(stmt)).all())


async def get_position(
    session: AsyncSession, position_id: uuid.UUID, *, tenant_id: uuid.UUID | None
) -> Position | None:
    stmt = select(Position).where(Position.id == position_id)
    if tenant_id is not None:
        stmt = stmt.where(Position.tenant_id == tenant_id)
    return await session.scalar(stmt)


async def find_position_ci(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> Position | None:
    """The tenant's position called ``name`` in any letter case."""
    stmt = select(Position).where(Position.tenant_id == tenant_id, func.lower(Position.name) == name.lower())
    return await session.scalar(stmt.limit(1))


async def delete_position(session: AsyncSession, row: Position) -> None:
    await remove(session, row)


# -- render templates -----------------------------------------------------------------------------


async def list_templates(
    session: AsyncSession, *, tenant_id: uuid.UUID | None, status: str | None
) -> list[RenderTemplate]:
    stmt = select(RenderTemplate).order_by(RenderTemplate.name, RenderTemplate.id)
    if tenant_id is not None:
        stmt = stmt.where(RenderTemplate.tenant_id == tenant_id)
    if status is not None:
        stmt = stmt.where(RenderTemplate.status == status)
    return list((await session.scalars(stmt)).all())


async def get_template(
    session: AsyncSession, template_id: uuid.UUID, *, tenant_id: uuid.UUID | None
) -> RenderTemplate | None:
    stmt = select(RenderTemplate).where(RenderTemplate.id == template_id)
    if tenant_id is not None:
        stmt = stmt.where(RenderTemplate.tenant_id == tenant_id)
    return await session.scalar(stmt)


async def template_name_taken(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> bool:
    stmt = select(RenderTemplate.id).where(RenderTemplate.tenant_id == tenant_id, RenderTemplate.name == name)
    return await session.scalar(stmt.limit(1)) is not None


async def delete_template(session: AsyncSession, row: RenderTemplate) -> None:
    await _remove_restricted(session, row)


async def add(session: AsyncSession, row: RenderTemplate) -> RenderTemplate:
    return await save(session, row)


# -- sync: workers and the demo seed --------------------------------------------------------------


def template_for_update(
    session: Session, template_id: uuid.UUID, tenant_id: uuid.UUID
) -> RenderTemplate | None:
    stmt = (
        select(RenderTemplate)
        .where(RenderTemplate.id == template_id, RenderTemplate.tenant_id == tenant_id)
        .with_for_update()
    )
    return session.scalar(stmt)


def template_sync(session: Session, template_id: uuid.UUID, tenant_id: uuid.UUID) -> RenderTemplate | None:
    stmt = select(RenderTemplate).where(
        RenderTemplate.id == template_id, RenderTemplate.tenant_id == tenant_id
    )
    return session.scalar(stmt)


def position_sync(session: Session, tenant_id: uuid.UUID, name: str) -> Position | None:
    """The tenant's position called exactly ``name``."""
    stmt = select(Position).where(Position.tenant_id == tenant_id, Position.name == name)
    return session.scalar(stmt)


def count_output_types_sync(session: Session, tenant_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(OutputType).where(OutputType.tenant_id == tenant_id)
    return int(session.scalar(stmt) or 0)


def add_output_types_sync(session: Session, rows: Iterable[OutputType]) -> None:
    session.add_all(list(rows))
    session.flush()


def add_positions_sync(session: Session, rows: Iterable[Position]) -> None:
    session.add_all(list(rows))
    session.flush()


def add_audit_entry(session: Session, entry: AuditLog) -> None:
    session.add(entry)

"""Queries for the three user-facing channels of ``audit_log`` (sync for workers, async for the API).

Statements are built once by small functions and executed by a sync and an async twin, so the
worker and the API cannot drift apart.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Insert, Select, and_, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.pagination import COUNT_CAP, KeyPart, after_key
from automat.models.audit import AuditChannel, AuditLog, NotificationRead
from automat.models.tenant import Tenant


@dataclass(frozen=True)
class Viewer:
    """Whose notifications: the user, the roles they count as (their own and every lower one),
    the tenant (None: any tenant), and whether tenant-wide (not addressed) entries count."""

    user_id: uuid.UUID
    roles: tuple[str, ...]
    tenant_id: uuid.UUID | None
    broadcast: bool
    hidden: tuple[str, ...] = ()  # actions the user gets in a digest or not at all (their preferences)


# -- writing ------------------------------------------------------------------------------------


def _insert(values: dict[str, Any]) -> Any:
    stmt = insert(AuditLog).values(**values)
    if values.get("dedupe_key") is not None:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=[AuditLog.tenant_id, AuditLog.dedupe_key],
            index_where=AuditLog.dedupe_key.is_not(None),
        )
    return stmt.returning(AuditLog.id, AuditLog.created_at)


def add_entry_sync(session: Session, values: dict[str, Any]) -> tuple[int, datetime] | None:
    """Insert an entry; None when its dedupe key exists already."""
    row = session.execute(_insert(values)).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def add_entry(session: AsyncSession, values: dict[str, Any]) -> tuple[int, datetime] | None:
    row = (await session.execute(_insert(values))).one_or_none()
    return (row[0], row[1]) if row is not None else None


def _tenant_config(tenant_id: uuid.UUID) -> Select[tuple[dict[str, Any]]]:
    return select(Tenant.tenant_config).where(Tenant.id == tenant_id)


def tenant_config_sync(session: Session, tenant_id: uuid.UUID) -> dict[str, Any] | None:
    config: dict[str, Any] | None = session.scalar(_tenant_config(tenant_id))
    return config


async def tenant_config(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, Any] | None:
    config: dict[str, Any] | None = await session.scalar(_tenant_config(tenant_id))
    return config


AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


# -- reading ------------------------------------------------------------------------------------


def _newest_first(stmt: AnySelect, after: Sequence[KeyPart] | None, limit: int) -> AnySelect:
    """Keyset: entries older than the cursor's (created_at, id), newest first."""
    if after is not None:
        stmt = stmt.where(after_key((AuditLog.created_at, AuditLog.id), after, descending=True))
    return stmt.order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(limit)


async def capped_count(session: AsyncSession, stmt: Select[Any]) -> int:
    """How many rows ``stmt`` has, counted up to COUNT_CAP + 1 (``kit.pagination.capped``)."""
    limited = stmt.with_only_columns(AuditLog.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    return int(await session.scalar(select(func.count()).select_from(limited)) or 0)


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """Notifications the viewer may see: addressed to them, or (tenant-wide) to their role unless
    they caused it (nobody is told of their own action, e.g. a project manager's own submit)."""
    mine: ColumnElement[bool] = AuditLog.recipient_id == viewer.user_id
    if viewer.broadcast:
        everyone = and_(
            AuditLog.recipient_id.is_(None),
            or_(AuditLog.audience.is_(None), AuditLog.audience.in_(viewer.roles)),
            or_(AuditLog.actor_id.is_(None), AuditLog.actor_id != viewer.user_id),
        )
        mine = or_(mine, everyone)
    condition = and_(
        AuditLog.channel == AuditChannel.NOTIFICATION.value, AuditLog.tenant_id.is_not(None), mine
    )
    if viewer.tenant_id is not None:
        condition = and_(AuditLog.tenant_id == viewer.tenant_id, condition)
    if viewer.hidden:
        condition = and_(condition, AuditLog.action.not_in(viewer.hidden))
    return condition


def _unread(viewer: Viewer) -> ColumnElement[bool]:
    return ~exists().where(
        NotificationRead.entry_id == AuditLog.id, NotificationRead.user_id == viewer.user_id
    )


def _with_read_at(viewer: Viewer) -> Select[AuditLog, datetime | None]:
    return (
        select(AuditLog, NotificationRead.read_at)
        .outerjoin(
            NotificationRead,
            and_(NotificationRead.entry_id == AuditLog.id, NotificationRead.user_id == viewer.user_id),
        )
        .where(visible_to(viewer))
    )


async def list_notifications(
    session: AsyncSession, viewer: Viewer, *, after: Sequence[KeyPart] | None, limit: int
) -> list[tuple[AuditLog, datetime | None]]:
    """(entry, read_at or None), newest first."""
    rows = await session.execute(_newest_first(_with_read_at(viewer), after, limit))
    return [(entry, read_at) for entry, read_at in rows.all()]


async def count_notifications(session: AsyncSession, viewer: Viewer) -> int:
    return await capped_count(session, select(AuditLog).where(visible_to(viewer)))


async def get_notification(
    session: AsyncSession, viewer: Viewer, entry_id: int
) -> tuple[AuditLog, datetime | None] | None:
    row = (await session.execute(_with_read_at(viewer).where(AuditLog.id == entry_id))).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def unread_count(session: AsyncSession, viewer: Viewer) -> int:
    stmt = select(func.count()).select_from(AuditLog).where(visible_to(viewer), _unread(viewer))
    return int(await session.scalar(stmt) or 0)


def _mark_read(viewer: Viewer, entry_id: int | None) -> Insert:
    source = select(AuditLog.id, literal(viewer.user_id, type_=UUID(as_uuid=True)), AuditLog.tenant_id).where(
        visible_to(viewer), _unread(viewer)
    )
    if entry_id is not None:
        source = source.where(AuditLog.id == entry_id)
    return (
        insert(NotificationRead)
        .from_select(["entry_id", "user_id", "tenant_id"], source)
        .on_conflict_do_nothing(index_elements=[NotificationRead.entry_id, NotificationRead.user_id])
    )


async def mark_read(session: AsyncSession, viewer: Viewer, *, entry_id: int | None) -> int:
    """Mark one visible entry (or all of them) read; returns how many were unread."""
    result: Any = await session.execute(_mark_read(viewer, entry_id))
    return int(result.rowcount or 0)


def _channel(
    channel: AuditChannel, tenant_id: uuid.UUID | None, target_type: str | None, target_id: str | None
) -> Select[AuditLog]:
    stmt = select(AuditLog).where(AuditLog.channel == channel.value)
    if tenant_id is not None:
        stmt = stmt.where(AuditLog.tenant_id == tenant_id)
    if target_type is not None:
        stmt = stmt.where(AuditLog.target_type == target_type)
    if target_id is not None:
        stmt = stmt.where(AuditLog.target_id == target_id)
    return stmt


async def list_channel(
    session: AsyncSession,
    *,
    channel: AuditChannel,
    tenant_id: uuid.UUID | None,
    target_type: str | None = None,
    target_id: str | None = None,
    after: Sequence[KeyPart] | None,
    limit: int,
) -> tuple[list[AuditLog], int]:
    """A page of one channel (activity, alerts), newest first, and its count (capped at
    COUNT_CAP + 1); ``tenant_id`` None = every tenant."""
    stmt = _channel(channel, tenant_id, target_type, target_id)
    rows = list((await session.scalars(_newest_first(stmt, after, limit))).all())
    return rows, await capped_count(session, stmt)

"""Queries for users. Every query also filters by tenant where one is given (second layer to RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from automat.kit.repository import remove
from automat.models.user import User


async def get(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id))


async def names(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """The name (or, without one, the e-mail) of each user of ``ids`` that exists."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(User.id, User.full_name, User.email).where(User.id.in_(wanted)))
    return {uid: name or email for uid, name, email in rows.all()}


async def get_in_scope(
    session: AsyncSession, user_id: uuid.UUID, *, tenant_id: uuid.UUID | None
) -> User | None:
    stmt = select(User).where(User.id == user_id)
    if tenant_id is not None:
        stmt = stmt.where(User.tenant_id == tenant_id)
    return await session.scalar(stmt)


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _like(text: str) -> str:
    """``text`` as a case-insensitive substring pattern (its own % and _ match literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def list_page(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    search: str | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> tuple[Sequence[User], int]:
    """Ordered by (e-mail, id): ``limit`` rows after the key ``after``, and the count of all.

    ``tenant_id`` None: every user (global admins only reach here without one); ``search`` matches
    a part of the e-mail or the name, in any letter case.
    """
    stmt = select(User)
    if tenant_id is not None:
        stmt = stmt.where(User.tenant_id == tenant_id)
    if search:
        pattern = _like(search)
        stmt = stmt.where(or_(User.email.ilike(pattern), User.full_name.ilike(pattern)))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    if after is not None:
        stmt = stmt.where(tuple_(User.email, User.id) > tuple_(*after))
    rows = (await session.scalars(stmt.order_by(User.email, User.id).limit(limit))).all()
    return rows, int(total or 0)


async def active_tenant_admins_locked(session: AsyncSession, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    """The ids of the tenant's active tenant admins, locked until the transaction ends.

    Two admins demoting each other at once: the second waits for the first, then sees one admin.
    """
    stmt = (
        select(User.id)
        .where(User.tenant_id == tenant_id, User.role == "tenant_admin", User.is_active.is_(True))
        .order_by(User.id)
        .with_for_update()
    )
    return list((await session.scalars(stmt)).all())


async def delete(session: AsyncSession, user: User) -> None:
    await remove(session, user)

"""Queries for users. Every query also filters by tenant where one is given (second layer to RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
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


async def list_users(
    session: AsyncSession, *, tenant_id: uuid.UUID | None, limit: int, offset: int
) -> list[User]:
    stmt = select(User).order_by(User.email).limit(limit).offset(offset)
    if tenant_id is not None:
        stmt = stmt.where(User.tenant_id == tenant_id)
    return list((await session.scalars(stmt)).all())


async def delete(session: AsyncSession, user: User) -> None:
    await remove(session, user)

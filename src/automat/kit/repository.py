"""The two write shapes every repository shares."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from automat.kit.db import Base

Row = TypeVar("Row", bound=Base)


async def save(session: AsyncSession, row: Row) -> Row:
    """Insert (or re-attach) ``row``, flush, and reload server-side defaults (ids, timestamps)."""
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def remove(session: AsyncSession, row: Base) -> None:
    await session.delete(row)
    await session.flush()

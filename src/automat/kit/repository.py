"""The two write shapes every repository shares."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from automat.kit.db import Base
from automat.kit.errors import Conflict

Row = TypeVar("Row", bound=Base)


async def save(session: AsyncSession, row: Row) -> Row:
    """Insert (or re-attach) ``row``, flush, and reload server-side defaults (ids, timestamps)."""
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def save_unique(session: AsyncSession, row: Row, *, constraint: str, conflict: Conflict) -> Row:
    """``save`` in a savepoint; a clash on the unique ``constraint`` becomes ``conflict`` (409).

    Row-level security hides other tenants' rows from a "does it exist?" check, so for
    installation-wide uniqueness the index has the last word; the savepoint keeps the request's
    transaction usable after the clash.
    """
    try:
        async with session.begin_nested():
            return await save(session, row)
    except IntegrityError as exc:
        if constraint in str(exc.orig):
            raise conflict from None
        raise


async def remove(session: AsyncSession, row: Base) -> None:
    await session.delete(row)
    await session.flush()

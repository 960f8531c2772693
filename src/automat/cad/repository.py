"""Queries for CAD files and parts (async for the API, sync for the tasks)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, delete, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.pagination import KeyPart, after_key
from automat.kit.repository import remove, save
from automat.models.cad import CadFile, CadPart


async def get(
    session: AsyncSession,
    cad_file_id: uuid.UUID,
    *,
    tenant_id: uuid.UUID | None,
    uploaded_by: uuid.UUID | None = None,
) -> CadFile | None:
    stmt = select(CadFile).where(CadFile.id == cad_file_id)
    if tenant_id is not None:
        stmt = stmt.where(CadFile.tenant_id == tenant_id)
    if uploaded_by is not None:
        stmt = stmt.where(CadFile.uploaded_by == uploaded_by)
    return await session.scalar(stmt)


async def by_sha256(session: AsyncSession, tenant_id: uuid.UUID, sha256: str) -> CadFile | None:
    return await session.scalar(
        select(CadFile).where(CadFile.tenant_id == tenant_id, CadFile.sha256 == sha256)
    )


# Spaces and ASCII punctuation: what a name search ignores ("05-2rsr step" ~ "05-2RSR.STEP").
_SEPARATORS = re.compile(r"[\s!-/:-@\[-`{-~]+")


def name_words(q: str) -> list[str]:
    """A name search's words with separators removed ("05-2RSR .stp" → ["052rsr", "stp"]); they
    are matched case-insensitively against the name with the same separators removed. Without
    punctuation left, no word carries a LIKE wildcard (``%``, ``_``)."""
    return [word for word in (_SEPARATORS.sub("", part) for part in q.split()) if word]


# A file's place in the list (its cursor's key): 0 when its name starts with the whole search (or
# without a search), else 1; then newest first by (created_at, id).
FILE_KEY_TYPES = (int, datetime, uuid.UUID)


def _files(
    tenant_id: uuid.UUID | None, status: str | None, uploaded_by: uuid.UUID | None, words: list[str]
) -> tuple[Select[Any], ColumnElement[int]]:
    """The files that match and each one's rank (0: the name starts with the whole search)."""
    stmt = select(CadFile)
    rank: ColumnElement[int] = literal(0)
    if words:
        folded = func.regexp_replace(CadFile.original_name, r"[[:space:][:punct:]]+", "", "g")
        stmt = stmt.where(*(folded.ilike(f"%{word}%") for word in words))
        rank = case((folded.ilike(f"{''.join(words)}%"), 0), else_=1)
    if tenant_id is not None:
        stmt = stmt.where(CadFile.tenant_id == tenant_id)
    if status is not None:
        stmt = stmt.where(CadFile.status == status)
    if uploaded_by is not None:
        stmt = stmt.where(CadFile.uploaded_by == uploaded_by)
    return stmt, rank


async def list_files(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None,
    status: str | None,
    uploaded_by: uuid.UUID | None,
    limit: int,
    after: Sequence[KeyPart] | None = None,
    q: str | None = None,
) -> tuple[list[tuple[tuple[int, datetime, uuid.UUID], CadFile]], int]:
    """Up to ``limit`` files after the cursor's key, each with its key, and how many match: newest
    first (a range of ``ix_cad_files_tenant_created_id``); with ``q`` only those whose name
    contains every word of it (see ``name_words``), names starting with the whole of it first."""
    stmt, rank = _files(tenant_id, status, uploaded_by, name_words(q or ""))
    total = int(await session.scalar(stmt.with_only_columns(func.count()).order_by(None)) or 0)
    if after is not None:
        newer = after_key((CadFile.created_at, CadFile.id), after[1:], descending=True)
        stmt = stmt.where(or_(rank > after[0], and_(rank == after[0], newer)))
    page = stmt.add_columns(rank).order_by(rank, CadFile.created_at.desc(), CadFile.id.desc()).limit(limit)
    rows = (await session.execute(page)).all()
    return [((int(r), f.created_at, f.id), f) for f, r in rows], total


async def parts_of(session: AsyncSession, cad_file_id: uuid.UUID) -> list[CadPart]:
    stmt = select(CadPart).where(CadPart.cad_file_id == cad_file_id).order_by(CadPart.position)
    return list((await session.scalars(stmt)).all())


async def add(session: AsyncSession, cad_file: CadFile) -> CadFile:
    return await save(session, cad_file)


async def delete_file(session: AsyncSession, cad_file: CadFile) -> None:
    await remove(session, cad_file)


# -- sync, for tasks -----------------------------------------------------------------------------


def get_for_update(session: Session, cad_file_id: uuid.UUID, tenant_id: uuid.UUID) -> CadFile | None:
    stmt = select(CadFile).where(CadFile.id == cad_file_id, CadFile.tenant_id == tenant_id).with_for_update()
    return session.scalar(stmt)


def part_names(session: Session, cad_file_id: uuid.UUID) -> list[CadPart]:
    stmt = select(CadPart).where(CadPart.cad_file_id == cad_file_id).order_by(CadPart.position)
    return list(session.scalars(stmt).all())


def replace_parts(session: Session, cad_file_id: uuid.UUID, parts: Sequence[CadPart]) -> None:
    session.execute(delete(CadPart).where(CadPart.cad_file_id == cad_file_id))
    session.add_all(parts)
    session.flush()

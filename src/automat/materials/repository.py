"""Queries for tenant materials and material aliases.

Every query filters by tenant as well (second layer to row-level security). The ``*_sync``
functions serve workers and the demo seed (psycopg sessions).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.repository import remove
from automat.materials.library import AliasDef
from automat.models.cad import CadFile, CadPart
from automat.models.material import Material, MaterialAlias
from automat.models.tenant import Tenant

# --- tenant materials ---------------------------------------------------------------------------


async def list_materials(session: AsyncSession, tenant_id: uuid.UUID) -> list[Material]:
    stmt = select(Material).where(Material.tenant_id == tenant_id).order_by(Material.name)
    return list((await session.scalars(stmt)).all())


async def get_material(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> Material | None:
    return await session.scalar(
        select(Material).where(Material.tenant_id == tenant_id, Material.name == name)
    )


async def find_material_ci(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> Material | None:
    """The tenant's material with this name in any letter case."""
    return await session.scalar(
        select(Material)
        .where(Material.tenant_id == tenant_id, func.lower(Material.name) == name.lower())
        .limit(1)
    )


async def material_names(session: AsyncSession, tenant_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(select(Material.name).where(Material.tenant_id == tenant_id))
    return list(rows.all())


async def delete_material(session: AsyncSession, material: Material) -> None:
    await remove(session, material)


def material_names_sync(session: Session, tenant_id: uuid.UUID) -> list[str]:
    return list(session.scalars(select(Material.name).where(Material.tenant_id == tenant_id)).all())


# --- aliases -------------------------------------------------------------------------------------


def _ordered_aliases(tenant_id: uuid.UUID) -> Any:
    return (
        select(MaterialAlias)
        .where(MaterialAlias.tenant_id == tenant_id)
        .order_by(
            MaterialAlias.priority.desc(),
            MaterialAlias.kind,
            func.lower(MaterialAlias.pattern),
            MaterialAlias.pattern,
            MaterialAlias.id,
        )
    )


async def list_aliases(session: AsyncSession, tenant_id: uuid.UUID) -> list[MaterialAlias]:
    """A tenant's aliases, highest priority first."""
    return list((await session.scalars(_ordered_aliases(tenant_id))).all())


def aliases_sync(session: Session, tenant_id: uuid.UUID) -> list[MaterialAlias]:
    return list(session.scalars(_ordered_aliases(tenant_id)).all())


async def get_alias(
    session: AsyncSession, alias_id: uuid.UUID, *, tenant_id: uuid.UUID | None
) -> MaterialAlias | None:
    stmt = select(MaterialAlias).where(MaterialAlias.id == alias_id)
    if tenant_id is not None:
        stmt = stmt.where(MaterialAlias.tenant_id == tenant_id)
    return await session.scalar(stmt)


async def find_alias(
    session: AsyncSession, tenant_id: uuid.UUID, *, kind: str, pattern: str
) -> MaterialAlias | None:
    """An alias of this kind whose pattern equals ``pattern`` in any letter case."""
    return await session.scalar(
        select(MaterialAlias)
        .where(
            MaterialAlias.tenant_id == tenant_id,
            MaterialAlias.kind == kind,
            func.lower(MaterialAlias.pattern) == pattern.lower(),
        )
        .limit(1)
    )


async def count_aliases_using(session: AsyncSession, tenant_id: uuid.UUID, material: str) -> int:
    stmt = (
        select(func.count())
        .select_from(MaterialAlias)
        .where(MaterialAlias.tenant_id == tenant_id, MaterialAlias.material == material)
    )
    return int(await session.scalar(stmt) or 0)


async def rename_material_in_aliases(session: AsyncSession, tenant_id: uuid.UUID, old: str, new: str) -> int:
    result = await session.execute(
        update(MaterialAlias)
        .where(MaterialAlias.tenant_id == tenant_id, MaterialAlias.material == old)
        .values(material=new)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delete_alias(session: AsyncSession, alias: MaterialAlias) -> None:
    await remove(session, alias)


async def delete_aliases(
    session: AsyncSession, tenant_id: uuid.UUID, *, ids: Iterable[uuid.UUID] | None = None
) -> int:
    """Delete a tenant's aliases with these ids (all of them when ``ids`` is None)."""
    stmt = delete(MaterialAlias).where(MaterialAlias.tenant_id == tenant_id)
    if ids is not None:
        stmt = stmt.where(MaterialAlias.id.in_(list(ids)))
    result = await session.execute(stmt)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _default_rows(tenant_id: uuid.UUID, defaults: Iterable[AliasDef]) -> list[MaterialAlias]:
    return [
        MaterialAlias(
            tenant_id=tenant_id,
            pattern=d.pattern,
            kind=d.kind,
            material=d.material,
            priority=d.priority,
            is_default=True,
        )
        for d in defaults
    ]


async def add_default_aliases(
    session: AsyncSession, tenant_id: uuid.UUID, defaults: Iterable[AliasDef]
) -> None:
    session.add_all(_default_rows(tenant_id, defaults))
    await session.flush()


def add_default_aliases_sync(session: Session, tenant_id: uuid.UUID, defaults: Iterable[AliasDef]) -> None:
    session.add_all(_default_rows(tenant_id, defaults))
    session.flush()


# --- the tenant's config -------------------------------------------------------------------------


async def tenant_config(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, Any] | None:
    return await session.scalar(select(Tenant.tenant_config).where(Tenant.id == tenant_id))


def tenant_config_sync(session: Session, tenant_id: uuid.UUID) -> dict[str, Any] | None:
    return session.scalar(select(Tenant.tenant_config).where(Tenant.id == tenant_id))


# --- where an alias would apply (the CAD files' parts) ---------------------------------------------


async def part_name_file_counts(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, int]:
    """Every distinct part name of the tenant's CAD files -> in how many files it occurs."""
    rows = await session.execute(
        select(CadPart.name, func.count(func.distinct(CadPart.cad_file_id)))
        .where(CadPart.tenant_id == tenant_id)
        .group_by(CadPart.name)
    )
    return {name: int(files) for name, files in rows.all()}


async def files_with_parts(
    session: AsyncSession, tenant_id: uuid.UUID, names: Iterable[str], *, limit: int
) -> tuple[list[tuple[uuid.UUID, str, list[str]]], int]:
    """The tenant's CAD files (newest first, at most ``limit``) with a part named one of ``names``,
    each with those part names; and how many such files there are in all."""
    wanted = list(names)
    if not wanted:
        return [], 0
    matching = (
        select(CadPart.cad_file_id)
        .where(CadPart.tenant_id == tenant_id, CadPart.name.in_(wanted))
        .distinct()
        .subquery()
    )
    total = int(await session.scalar(select(func.count()).select_from(matching)) or 0)
    files = (
        await session.execute(
            select(CadFile.id, CadFile.original_name)
            .where(CadFile.tenant_id == tenant_id, CadFile.id.in_(select(matching.c.cad_file_id)))
            .order_by(CadFile.created_at.desc(), CadFile.id)
            .limit(limit)
        )
    ).all()
    parts = await session.execute(
        select(CadPart.cad_file_id, CadPart.name)
        .where(
            CadPart.tenant_id == tenant_id,
            CadPart.cad_file_id.in_([f.id for f in files]),
            CadPart.name.in_(wanted),
        )
        .distinct()
        .order_by(CadPart.cad_file_id, CadPart.name)
    )
    by_file: dict[uuid.UUID, list[str]] = {}
    for cad_file_id, name in parts.all():
        by_file.setdefault(cad_file_id, []).append(name)
    return [(f.id, f.original_name, by_file.get(f.id, [])) for f in files], total

"""Queries for system settings and tenant overrides."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.models.settings import SystemSetting, TenantSetting


async def system_values(session: AsyncSession) -> dict[str, Any]:
    rows = await session.execute(select(SystemSetting.key, SystemSetting.value))
    return {k: v for k, v in rows.all()}


def system_value_sync(session: Session, key: str) -> Any | None:
    return session.execute(select(SystemSetting.value).where(SystemSetting.key == key)).scalar_one_or_none()


async def tenant_values(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, Any]:
    rows = await session.execute(
        select(TenantSetting.key, TenantSetting.value).where(TenantSetting.tenant_id == tenant_id)
    )
    return {k: v for k, v in rows.all()}


def tenant_value_sync(session: Session, tenant_id: uuid.UUID, key: str) -> Any | None:
    return session.execute(
        select(TenantSetting.value).where(TenantSetting.tenant_id == tenant_id, TenantSetting.key == key)
    ).scalar_one_or_none()


async def upsert_system(session: AsyncSession, key: str, value: Any, by: uuid.UUID) -> None:
    stmt = insert(SystemSetting).values(key=key, value=value, updated_by=by)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[SystemSetting.key],
            set_={"value": value, "updated_by": by, "updated_at": stmt.excluded.updated_at},
        )
    )


async def upsert_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, key: str, value: Any, by: uuid.UUID
) -> None:
    stmt = insert(TenantSetting).values(tenant_id=tenant_id, key=key, value=value, updated_by=by)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[TenantSetting.tenant_id, TenantSetting.key],
            set_={"value": value, "updated_by": by, "updated_at": stmt.excluded.updated_at},
        )
    )


async def delete_system(session: AsyncSession, key: str) -> int:
    result = await session.execute(delete(SystemSetting).where(SystemSetting.key == key))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delete_tenant(session: AsyncSession, tenant_id: uuid.UUID, key: str) -> int:
    result = await session.execute(
        delete(TenantSetting).where(TenantSetting.tenant_id == tenant_id, TenantSetting.key == key)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

"""Queries for tenants."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from automat.kit.repository import remove, save
from automat.models.tenant import Tenant
from automat.models.user import User


async def get(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant | None:
    return await session.scalar(select(Tenant).where(Tenant.id == tenant_id))


async def get_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return await session.scalar(select(Tenant).where(Tenant.slug == slug))


async def list_all(session: AsyncSession, *, limit: int, offset: int) -> list[Tenant]:
    stmt = select(Tenant).order_by(Tenant.slug).limit(limit).offset(offset)
    return list((await session.scalars(stmt)).all())


async def email_taken(session: AsyncSession, email: str) -> bool:
    stmt = select(User.id).where(func.lower(User.email) == email.strip().lower())
    return await session.scalar(stmt) is not None


async def count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Tenant)) or 0)


async def add(session: AsyncSession, tenant: Tenant) -> Tenant:
    return await save(session, tenant)


async def delete(session: AsyncSession, tenant: Tenant) -> None:
    await remove(session, tenant)


async def retire_tokens_of_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Bump the token version of every user of a tenant: their existing tokens stop working."""
    await session.execute(
        update(User).where(User.tenant_id == tenant_id).values(token_version=User.token_version + 1)
    )


async def update_config(
    session: AsyncSession, tenant_id: uuid.UUID, *, expected_version: int, config: dict[str, Any]
) -> int | None:
    """Store ``config`` if the version is still ``expected_version``; the new version, or None."""
    result = await session.execute(
        update(Tenant)
        .where(Tenant.id == tenant_id, Tenant.config_version == expected_version)
        .values(tenant_config=config, updated_at=func.now())
        .returning(Tenant.config_version)
        .execution_options(synchronize_session=False)
    )
    version: int | None = result.scalar_one_or_none()
    return version

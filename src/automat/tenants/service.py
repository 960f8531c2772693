"""Tenants: created, changed and deleted by global admins only."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core import revocations
from automat.core.deps import Actor
from automat.core.security import hash_password, temporary_password
from automat.kit.errors import Conflict, NotFound, Unprocessable
from automat.kit.repository import save_unique
from automat.models.tenant import Tenant
from automat.models.user import Role, User
from automat.tenants import defaults, repository
from automat.tenants.schemas import TenantConfig, TenantConfigChange, TenantCreate, TenantUpdate


class StaleTenantConfig(Conflict):
    """Someone else changed the tenant config since it was read: reload it and edit again."""

    code = "stale_tenant_config"


def _validated(config: dict[str, Any]) -> dict[str, Any]:
    try:
        return TenantConfig.model_validate(config).model_dump()
    except ValidationError as exc:
        raise Unprocessable(
            "The tenant config is not valid.",
            code="invalid_tenant_config",
            details=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()],
        ) from exc


async def get(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant:
    tenant = await repository.get(session, tenant_id)
    if tenant is None:
        raise NotFound("Tenant not found.")
    return tenant


EMAIL_TAKEN = "A user with this e-mail exists already."


async def create(
    session: AsyncSession, *, actor: Actor, data: TenantCreate
) -> tuple[Tenant, User | None, str | None]:
    """Create a tenant with a validated config, the default data set (``defaults.apply``: the
    demo tenants' set) and, when named, its first tenant admin with a temporary password.

    Returns the tenant, the admin and their temporary password (to show once).
    """
    if await repository.get_by_slug(session, data.slug) is not None:
        raise Conflict(f"A tenant called {data.slug!r} exists already.", code="slug_taken")
    if data.first_admin is not None and await repository.email_taken(session, data.first_admin.email):
        raise Conflict(EMAIL_TAKEN, code="email_taken")
    tenant = await repository.add(
        session, Tenant(slug=data.slug, name=data.name, tenant_config=data.tenant_config.model_dump())
    )
    await session.run_sync(lambda sync_session: defaults.apply(sync_session, tenant))
    await audit.record(
        session,
        actor=actor,
        action="tenant.create",
        tenant_id=tenant.id,
        target_type="tenant",
        target_id=tenant.id,
    )
    if data.first_admin is None:
        return tenant, None, None
    password = temporary_password()
    admin = await save_unique(
        session,
        User(
            tenant_id=tenant.id,
            email=data.first_admin.email,
            full_name=data.first_admin.full_name,
            password_hash=hash_password(password),
            role=Role.TENANT_ADMIN.value,
            must_change_password=True,
        ),
        constraint="uq_users_email_lower",
        conflict=Conflict(EMAIL_TAKEN, code="email_taken"),
    )
    await audit.record(
        session,
        actor=actor,
        action="user.create",
        tenant_id=tenant.id,
        target_type="user",
        target_id=admin.id,
        detail={"email": admin.email, "role": admin.role},
    )
    return tenant, admin, password


async def update(session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID, data: TenantUpdate) -> Tenant:
    """Change name, activity or config; a config change is merged and validated as a whole."""
    tenant = await get(session, tenant_id)
    changes = data.model_dump(exclude_unset=True)
    if data.name is not None:
        tenant.name = data.name
    if data.is_active is not None:
        if tenant.is_active and not data.is_active:
            # Login refuses an inactive tenant's users; tokens they hold already must stop too.
            await repository.retire_tokens_of_tenant(session, tenant.id)
            revocations.announce(session, tenant_id=tenant.id)
        tenant.is_active = data.is_active
    if data.tenant_config is not None:
        merged = {
            **tenant.tenant_config,
            **data.tenant_config.model_dump(exclude_unset=True, exclude_none=True),
        }
        tenant.tenant_config = _validated(merged)
    await session.flush()
    await session.refresh(tenant)
    await audit.record(
        session,
        actor=actor,
        action="tenant.update",
        tenant_id=tenant.id,
        target_type="tenant",
        target_id=tenant.id,
        detail={"changes": changes},
    )
    return tenant


async def delete(session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID, confirm: str | None) -> None:
    """Delete a tenant and, through the foreign keys, all of its data. Needs its slug as confirmation."""
    tenant = await get(session, tenant_id)
    if confirm != tenant.slug:
        raise Conflict(
            "Deleting a tenant removes all its data; repeat its slug as ?confirm=<slug>.",
            code="confirmation_required",
        )
    await audit.record(
        session,
        actor=actor,
        action="tenant.delete",
        tenant_id=None,
        target_type="tenant",
        target_id=tenant.id,
        detail={"slug": tenant.slug},
    )
    revocations.announce(session, tenant_id=tenant.id)
    await repository.delete(session, tenant)


def effective_config(tenant: Tenant) -> TenantConfig:
    """The stored config with today's defaults filled in (keys added after the tenant was made)."""
    return TenantConfig.model_validate(tenant.tenant_config)


async def change_config(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID, change: TenantConfigChange
) -> Tenant:
    """Apply a partial config change made on top of ``change.version`` (tenant admins: their own).

    Runs in the caller's own tenant scope: row-level security lets a tenant's session update only
    its own row, and the ``tenants_guard`` trigger only its config (which raises the version). The
    update names the version it edited, so of two concurrent edits of one version one wins and the
    other gets 409 ``stale_tenant_config``; nothing is overwritten unseen.
    """
    tenant = await get(session, tenant_id)
    if tenant.config_version != change.version:
        raise StaleTenantConfig(details={"version": tenant.config_version})
    before = effective_config(tenant).model_dump()
    after = _validated({**before, **change.config.model_dump(exclude_unset=True, exclude_none=True)})
    changes = {k: {"from": before.get(k), "to": v} for k, v in after.items() if before.get(k) != v}
    if not changes:
        return tenant
    version = await repository.update_config(
        session, tenant.id, expected_version=change.version, config=after
    )
    if version is None:  # changed between our read and our write
        await session.refresh(tenant)
        raise StaleTenantConfig(details={"version": tenant.config_version})
    await session.refresh(tenant)
    await audit.record(
        session,
        actor=actor,
        action="tenant_config.update",
        tenant_id=tenant.id,
        target_type="tenant_config",
        target_id=tenant.id,
        detail={"changes": changes, "version": version},
    )
    return tenant

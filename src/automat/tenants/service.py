"""Tenants: created, changed and deleted by global admins only."""

from __future__ import annotations

import uuid

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
from automat.tenants.schemas import TenantConfig, TenantCreate, TenantUpdate


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
        try:
            tenant.tenant_config = TenantConfig.model_validate(merged).model_dump()
        except ValidationError as exc:
            raise Unprocessable(
                "The tenant config is not valid.",
                code="invalid_tenant_config",
                details=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()],
            ) from exc
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

"""Small keyword-only factories. They write through the application role with ``bypass``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from automat.core.db import BYPASS, SyncDatabase
from automat.core.security import hash_password
from automat.materials.service import seed_default_aliases_sync
from automat.models.output import OutputKind, OutputType
from automat.models.product import Product
from automat.models.tenant import Tenant
from automat.models.user import Role, User
from automat.output_types.settings import RenderSettings
from automat.tenants.schemas import TenantConfig

DEFAULT_PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(DEFAULT_PASSWORD)


@dataclass(frozen=True)
class MadeTenant:
    id: uuid.UUID
    slug: str


@dataclass(frozen=True)
class MadeUser:
    id: uuid.UUID
    email: str
    role: Role
    tenant_id: uuid.UUID | None
    password: str = DEFAULT_PASSWORD


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def make_tenant(db: SyncDatabase, *, slug: str | None = None, **config: Any) -> MadeTenant:
    slug = slug or unique("t")
    with db.session(BYPASS) as session:
        tenant = Tenant(slug=slug, name=slug.title(), tenant_config=TenantConfig(**config).model_dump())
        session.add(tenant)
        session.flush()
        seed_default_aliases_sync(session, tenant.id)  # as every new tenant gets them
        return MadeTenant(id=tenant.id, slug=slug)


def make_user(
    db: SyncDatabase,
    *,
    tenant: MadeTenant | None,
    role: Role = Role.PROJECT_MANAGER,
    email: str | None = None,
    active: bool = True,
) -> MadeUser:
    email = email or f"{unique(role.value.replace('_', '-'))}@example.test"
    with db.session(BYPASS) as session:
        user = User(
            email=email,
            role=role.value,
            tenant_id=tenant.id if tenant else None,
            password_hash=_PASSWORD_HASH,
            full_name=email.split("@")[0],
            is_active=active,
        )
        session.add(user)
        session.flush()
        return MadeUser(id=user.id, email=email, role=role, tenant_id=user.tenant_id)


def make_output_type(
    db: SyncDatabase,
    *,
    tenant: MadeTenant,
    kind: OutputKind = OutputKind.THUMBNAIL,
    name: str | None = None,
    **render_settings: Any,
) -> uuid.UUID:
    """An output type of ``tenant`` with small render settings (64 px, 4 samples) unless told."""
    settings = {"width": 64, "height": 64, "samples": 4, **render_settings}
    if kind is OutputKind.TURNTABLE:
        settings.setdefault("frames", 4)
    with db.session(tenant.id) as session:
        row = OutputType(
            tenant_id=tenant.id,
            name=name or unique(kind.value),
            kind=kind.value,
            render_settings=RenderSettings(**settings).for_kind(kind).model_dump(),
        )
        session.add(row)
        session.flush()
        return row.id


def make_product(
    db: SyncDatabase,
    *,
    tenant: MadeTenant,
    cad_file_id: uuid.UUID | None = None,
    pim_id: str | None = None,
    name: str = "Deep groove ball bearing",
) -> uuid.UUID:
    with db.session(tenant.id) as session:
        row = Product(tenant_id=tenant.id, pim_id=pim_id or unique("pim"), name=name, cad_file_id=cad_file_id)
        session.add(row)
        session.flush()
        return row.id

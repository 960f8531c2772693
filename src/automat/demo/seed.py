"""Demo data: tenants ``demo`` and ``acme`` (with what every new tenant gets, ``tenants.defaults``:
material aliases, output types — thumbnail, stills, turntable, GLB and .blend exports — and camera
positions) and one user per role.

Idempotent: what exists is left alone. Passwords are ``AUTOMAT_DEMO_PASSWORD`` when set, else
random; either way they are written once to ``$AUTOMAT_HOME/demo-credentials.json`` (0600).
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from automat.core.db import BYPASS, SyncDatabase
from automat.core.security import hash_password
from automat.demo import repository
from automat.models.output import OutputType
from automat.models.tenant import Tenant
from automat.models.user import Role, User
from automat.output_types import repository as output_types
from automat.output_types.settings import RenderSettings
from automat.tenants import defaults
from automat.tenants.schemas import TenantConfig

DEMO_TENANTS = (("demo", "Demo Bearings GmbH"), ("acme", "ACME Industrial"))
DEMO_USERS: tuple[tuple[str, Role, str | None, str], ...] = (
    ("admin@automat.local", Role.GLOBAL_ADMIN, None, "Automat Admin"),
    ("admin@demo.local", Role.TENANT_ADMIN, "demo", "Dana Admin"),
    ("pm@demo.local", Role.PROJECT_MANAGER, "demo", "Paul Manager"),
    ("client@demo.local", Role.CLIENT, "demo", "Clara Client"),
    ("pm@acme.local", Role.PROJECT_MANAGER, "acme", "Petra Manager"),
    ("client@acme.local", Role.CLIENT, "acme", "Carl Client"),
)
CREDENTIALS_FILE = "demo-credentials.json"
# What a demo tenant can order from the start: the defaults every new tenant gets.
DEMO_OUTPUT_TYPES = defaults.OUTPUT_TYPES


@dataclass
class SeedReport:
    created_tenants: list[str]
    created_users: dict[str, str]  # email -> password, only for users made now
    credentials_path: Path
    created_output_types: dict[str, int] = field(default_factory=dict)  # slug -> how many made now


def _write_credentials(path: Path, new: dict[str, str]) -> None:
    existing: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    existing.update(new)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(existing, fh, indent=2)
    path.chmod(0o600)


def _ensure_tenants(session: Session) -> tuple[dict[str, Tenant], list[str]]:
    tenants: dict[str, Tenant] = {}
    created = []
    for slug, name in DEMO_TENANTS:
        tenant = repository.tenant_by_slug(session, slug)
        if tenant is None:
            tenant = Tenant(slug=slug, name=name, tenant_config=TenantConfig().model_dump())
            session.add(tenant)
            session.flush()
            defaults.apply(session, tenant)  # the same set a global admin's new tenant gets
            created.append(slug)
        tenants[slug] = tenant
    return tenants, created


def _ensure_output_types(session: Session, tenants: dict[str, Tenant], created: list[str]) -> dict[str, int]:
    """The demo set for every demo tenant that has no output type at all (never a partial top-up):
    made by ``defaults.apply`` for a tenant created now, topped up here for an older one."""
    made: dict[str, int] = {slug: len(DEMO_OUTPUT_TYPES) for slug in created}
    for slug, tenant in tenants.items():
        if slug in created or output_types.count_output_types_sync(session, tenant.id):
            continue
        rows = [
            OutputType(
                tenant_id=tenant.id,
                name=name,
                kind=kind.value,
                render_settings=RenderSettings.model_validate(settings).for_kind(kind).model_dump(),
                price=Decimal(price),
            )
            for name, kind, price, settings in DEMO_OUTPUT_TYPES
        ]
        output_types.add_output_types_sync(session, rows)
        made[slug] = len(rows)
    return made


def seed_demo(db: SyncDatabase, home: Path, *, password: str | None = None) -> SeedReport:
    made: dict[str, str] = {}
    with db.session(BYPASS) as session:
        tenants, created_tenants = _ensure_tenants(session)
        created_output_types = _ensure_output_types(session, tenants, created_tenants)
        for email, role, slug, full_name in DEMO_USERS:
            if repository.user_by_email(session, email) is not None:
                continue
            pw = password or secrets.token_urlsafe(12)
            session.add(
                User(
                    email=email,
                    full_name=full_name,
                    role=role.value,
                    tenant_id=tenants[slug].id if slug else None,
                    password_hash=hash_password(pw),
                )
            )
            made[email] = pw
    path = home / CREDENTIALS_FILE
    if made:
        _write_credentials(path, made)
    return SeedReport(
        created_tenants=created_tenants,
        created_users=made,
        credentials_path=path,
        created_output_types=created_output_types,
    )

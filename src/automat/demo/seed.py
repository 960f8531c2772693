"""Demo data: tenants ``demo`` and ``acme`` (with the default material aliases) and one user per role.

Idempotent: what exists is left alone. Passwords are ``AUTOMAT_DEMO_PASSWORD`` when set, else
random; either way they are written once to ``$AUTOMAT_HOME/demo-credentials.json`` (0600).
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from automat.core.db import BYPASS, SyncDatabase
from automat.core.security import hash_password
from automat.demo import repository
from automat.materials.service import seed_default_aliases_sync
from automat.models.tenant import Tenant
from automat.models.user import Role, User
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


@dataclass
class SeedReport:
    created_tenants: list[str]
    created_users: dict[str, str]  # email -> password, only for users made now
    credentials_path: Path


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
            seed_default_aliases_sync(session, tenant.id)
            created.append(slug)
        tenants[slug] = tenant
    return tenants, created


def seed_demo(db: SyncDatabase, home: Path, *, password: str | None = None) -> SeedReport:
    made: dict[str, str] = {}
    with db.session(BYPASS) as session:
        tenants, created_tenants = _ensure_tenants(session)
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
    return SeedReport(created_tenants=created_tenants, created_users=made, credentials_path=path)

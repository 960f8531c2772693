"""Parties of one tenant (and of another one) for the materials API tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from automat.core.db import BYPASS, SyncDatabase
from automat.models.user import Role
from tests.support.factories import MadeTenant, make_tenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


def bare_tenant(db: SyncDatabase) -> MadeTenant:
    """A new tenant without material aliases, whatever the factory seeds: each test states the
    aliases it relies on (``reset-defaults`` gives it the defaults)."""
    made = make_tenant(db)
    with db.session(BYPASS) as session:
        session.execute(text("DELETE FROM material_aliases WHERE tenant_id = :t"), {"t": made.id})
    return made


@pytest.fixture
def tenant(app_db: SyncDatabase) -> MadeTenant:
    return bare_tenant(app_db)


@pytest.fixture
def other_tenant(app_db: SyncDatabase) -> MadeTenant:
    return bare_tenant(app_db)


@pytest.fixture
def ta(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


@pytest.fixture
def client_party(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.CLIENT)


@pytest.fixture
def other_ta(as_role: AsRole, other_tenant: MadeTenant) -> Party:
    return as_role(other_tenant, Role.TENANT_ADMIN)


@pytest.fixture
def ga(as_role: AsRole) -> Party:
    return as_role(None, Role.GLOBAL_ADMIN)


def error_code(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def audit_actions(admin_engine: Engine, target_id: str) -> list[str]:
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT action FROM audit_log WHERE target_id = :t ORDER BY id"), {"t": target_id}
        )
        return [r[0] for r in rows]

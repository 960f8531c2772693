from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.models.output import RenderTemplate, TemplateStatus
from automat.models.user import Role
from automat.output_types.templates import template_prefix
from tests.support.factories import MadeTenant, unique
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


@pytest.fixture
def admin(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


def create_output_type(client: TestClient, party: Party, **body: Any) -> Response:
    body.setdefault("name", unique("type"))
    body.setdefault("kind", "still")
    return client.post("/api/output-types", json=body, headers=party.headers)


def code_of(response: Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def make_template_row(
    db: SyncDatabase,
    *,
    tenant: MadeTenant,
    status: TemplateStatus = TemplateStatus.READY,
    error: str | None = None,
    content: bytes = b"BLENDER-v500 (not a real scene)",
) -> uuid.UUID:
    """A render template as the validation task leaves it, with a file in storage."""
    template_id = uuid.uuid4()
    key = f"{template_prefix(tenant.id, template_id)}/template.blend"
    path = default_storage().path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with db.session(tenant.id) as session:
        session.add(
            RenderTemplate(
                id=template_id,
                tenant_id=tenant.id,
                name=unique("tpl"),
                original_name="studio.blend",
                storage_key=key,
                sha256="0" * 64,
                size_bytes=len(content),
                status=status.value,
                inspection={},
                error=error,
            )
        )
    return template_id

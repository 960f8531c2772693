from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from automat.kit.pagination import Page


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    tenant_id: uuid.UUID | None
    channel: str
    actor_id: uuid.UUID | None
    actor_role: str | None
    actor_email: str | None = Field(
        default=None, description="the actor's e-mail where the caller may see the user (null: not)"
    )
    action: str
    target_type: str | None
    target_id: str | None
    detail: dict[str, Any]
    created_at: datetime


class AuditPage(Page[AuditEntryRead]):
    """A page of the audit trail, newest first."""

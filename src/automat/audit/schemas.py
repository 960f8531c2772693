from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from automat.kit.pagination import CappedPage


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    tenant_id: uuid.UUID | None
    channel: str
    actor_id: uuid.UUID | None
    actor_role: str | None
    action: str
    target_type: str | None
    target_id: str | None
    detail: dict[str, Any]
    created_at: datetime


class AuditPage(CappedPage[AuditEntryRead]):
    """A page of the audit log, newest first (counted up to ``COUNT_CAP``)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class SettingRead(BaseModel):
    key: str
    type: str
    value: Any
    default: Any
    source: Literal["default", "system", "tenant"]
    description: str
    choices: list[Any] | None = None
    minimum: float | None = None
    maximum: float | None = None
    tenant_overridable: bool


class SettingWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Any
    # Global admins only: the tenant whose override to set. Without it a global admin sets the
    # installation-wide value; a tenant admin always sets their own tenant's override.
    tenant_id: uuid.UUID | None = None

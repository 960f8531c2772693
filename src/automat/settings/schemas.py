from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


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
    installation_value: Any = Field(
        default=None, description="the installation value a global admin set (null: none: the default)"
    )
    tenant_value: Any = Field(
        default=None, description="the tenant's own override (null: none, or no tenant asked about)"
    )
    unit: str | None = Field(default=None, description="MB, s, min, h, days, % … (null: none)")
    step: float | None = Field(default=None, description="the step of a number input: 1 for whole numbers")
    help_key: str = Field(description="its entry of GET /api/help (setting.<key>)")


class SettingWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Any
    # Global admins only: the tenant whose override to set. Without it a global admin sets the
    # installation-wide value; a tenant admin always sets their own tenant's override.
    tenant_id: uuid.UUID | None = None


class InstallationValueWrite(BaseModel):
    """The installation-wide value of a setting (global admins)."""

    model_config = ConfigDict(extra="forbid")

    value: Any

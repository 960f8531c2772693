from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from automat.kit.pagination import Page
from automat.models.user import Role

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MIN_PASSWORD = 10


class UserCreate(BaseModel):
    """A new user. They get a temporary password (in the answer, once) to change at first login."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(pattern=EMAIL_PATTERN, max_length=320)
    full_name: str = Field(default="", max_length=200)
    role: Role = Role.CLIENT
    # Global admins name the tenant; tenant admins always create users in their own tenant.
    tenant_id: uuid.UUID | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, v: str) -> str:
        return v.strip().lower()


class UserUpdate(BaseModel):
    """Name, role, active state. A password is reset with ``POST /api/users/{id}/password-reset``."""

    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, max_length=200)
    role: Role | None = None
    is_active: bool | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    tenant_id: uuid.UUID | None
    is_active: bool
    must_change_password: bool = Field(description="holds a temporary password not yet changed")
    last_login_at: datetime | None
    created_at: datetime


class UserCreated(UserRead):
    temporary_password: str = Field(
        description="shown once: hand it to the user, who must change it at the first login"
    )


class TemporaryPassword(BaseModel):
    temporary_password: str = Field(
        description="shown once: hand it to the user, who must change it at the next login"
    )


class UserPage(Page[UserRead]):
    """Users by e-mail."""

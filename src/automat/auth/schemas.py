from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from automat.models.user import Role


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=200)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=10, max_length=4000)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=10, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 (a scheme name)
    expires_in: int
    must_change_password: bool = Field(
        default=False,
        description="a temporary password: every call but /api/auth/me and /api/auth/password is "
        "403 password_change_required until the user sets their own",
    )


class TenantBrief(BaseModel):
    id: uuid.UUID
    slug: str
    name: str


class Me(BaseModel):
    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    tenant: TenantBrief | None
    permissions: list[str]
    must_change_password: bool = Field(default=False, description="set a new password before anything else")
    locale: Literal["en", "de"] | None = Field(
        description="the user's language (web UI, help, e-mails); null: not chosen yet, the browser's "
        "applies. Set with PUT /api/notification-preferences {locale}."
    )

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TimestampMixin


class Role(StrEnum):
    """Ordered from most to least privileged."""

    GLOBAL_ADMIN = "global_admin"
    TENANT_ADMIN = "tenant_admin"
    PROJECT_MANAGER = "project_manager"
    CLIENT = "client"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


_RANK = {Role.CLIENT: 0, Role.PROJECT_MANAGER: 1, Role.TENANT_ADMIN: 2, Role.GLOBAL_ADMIN: 3}


class User(IdMixin, TimestampMixin, Base):
    """A person who logs in. Global admins belong to no tenant; everyone else to exactly one."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("(role = 'global_admin') = (tenant_id IS NULL)", name="global_admin_has_no_tenant"),
        CheckConstraint(
            "role IN ('global_admin', 'tenant_admin', 'project_manager', 'client')", name="role_known"
        ),
        Index("uq_users_email_lower", func.lower("email"), unique=True),
    )

    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), nullable=True, index=True
    )
    email: Mapped[str] = mapped_column(String(320), nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default="true")
    # Bumped on password change and deactivation; tokens carry it and older ones stop working.
    token_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    # Set by an administrator's create or password reset (a temporary password); the user's own
    # password change clears it. Until then the API answers 403 password_change_required.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="false"
    )
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # For what Automat writes to the person outside the app (e-mail: language, and when a daily
    # digest is due). NULL: English, UTC.
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TimestampMixin


class Tenant(IdMixin, TimestampMixin, Base):
    __tablename__ = "tenants"

    slug: Mapped[str] = mapped_column(String(63), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default="true")
    tenant_config: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    # Raised by the database (trigger ``tenants_guard``) whenever ``tenant_config`` changes: an
    # edit names the version it started from and is refused as stale when it moved on.
    config_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

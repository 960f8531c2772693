"""What a tenant can order: output types (with their render settings), render templates and
camera positions."""

from __future__ import annotations

import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin


class OutputKind(StrEnum):
    THUMBNAIL = "thumbnail"
    STILL = "still"
    TURNTABLE = "turntable"
    GLB = "glb"
    BLEND = "blend"


class TemplateStatus(StrEnum):
    VALIDATING = "validating"
    READY = "ready"
    INVALID = "invalid"


class RenderTemplate(IdMixin, TenantMixin, TimestampMixin, Base):
    """A tenant's ``.blend`` scene (camera rig, lights, branding) that renders are made in."""

    __tablename__ = "render_templates"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name", name="uq_render_templates_tenant_name"),
        CheckConstraint("status IN ('validating', 'ready', 'invalid')", name="status_known"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(500), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=TemplateStatus.VALIDATING)
    # What the render host found in the file: cameras, anchor, Blender version, ...
    inspection: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Inactive: kept (linked output types still render with it) but offered for no new link.
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default="true")
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)


class Position(IdMixin, TenantMixin, TimestampMixin, Base):
    """A tenant-defined camera position (the presets iso/front/side/top/... are built in)."""

    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_positions_tenant_name"),)

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    azimuth_deg: Mapped[float] = mapped_column(Float, nullable=False)
    elevation_deg: Mapped[float] = mapped_column(Float, nullable=False)


class OutputType(IdMixin, TenantMixin, TimestampMixin, Base):
    """Something a tenant can order per product: a thumbnail, a still, a turntable, an export."""

    __tablename__ = "output_types"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name", name="uq_output_types_tenant_name"),
        CheckConstraint("kind IN ('thumbnail', 'still', 'turntable', 'glb', 'blend')", name="kind_known"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    # Validated by automat.output_types.settings.RenderSettings.
    render_settings: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=Decimal("0"))
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("render_templates.id", ondelete="RESTRICT"), nullable=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # The workflow its lines run (NULL: the built-in of its kind).
    workflow_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("workflows.id", ondelete="RESTRICT"), nullable=True
    )

"""Media assets: the files an order produced (images, videos, GLB/.blend exports)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin


class MediaAsset(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "media_assets"
    __table_args__ = (
        # Publication is idempotent: one asset per line and role ("main", "poster"; a workflow's
        # further renders of the line: "<node>/main", "<node>/poster").
        UniqueConstraint("order_line_id", "role", name="uq_media_assets_line_role"),
        Index("ix_media_assets_tenant_created", "tenant_id", "created_at", "id"),
        Index("ix_media_assets_product", "product_id"),
    )

    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # an OutputKind value
    role: Mapped[str] = mapped_column(String(100), nullable=False, default="main")
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("products.id", ondelete="SET NULL"), nullable=True
    )
    order_line_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("order_lines.id", ondelete="SET NULL"), nullable=True
    )
    cad_file_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("cad_files.id", ondelete="SET NULL"), nullable=True
    )
    storage_key: Mapped[str] = mapped_column(String(500), nullable=False)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    file_size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    checksum: Mapped[str] = mapped_column(String(64), nullable=False)  # sha256 hex
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    frames: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Engine, device, samples, template, ... of the render that made it.
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)

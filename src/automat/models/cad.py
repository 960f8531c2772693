from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin


class CadStatus(StrEnum):
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class CadFile(IdMixin, TenantMixin, TimestampMixin, Base):
    """An uploaded STEP file and what processing made of it."""

    __tablename__ = "cad_files"
    __table_args__ = (
        UniqueConstraint("tenant_id", "sha256", name="uq_cad_files_tenant_sha256"),
        Index("ix_cad_files_tenant_created_id", "tenant_id", "created_at", "id"),  # the list's keyset order
    )

    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    storage_key: Mapped[str] = mapped_column(String(500), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=CadStatus.UPLOADED)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)  # what went wrong and what to do
    error_code: Mapped[str | None] = mapped_column(String(50), nullable=True)  # stable, see cad.failures
    error_detail: Mapped[str | None] = mapped_column(Text, nullable=True)  # the converter's own words
    # Header, units, bounding box, counts: what extract_metadata found.
    cad_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", JSONB, nullable=False, default=dict)
    viewer_glb_key: Mapped[str | None] = mapped_column(String(500), nullable=True)
    production_glb_key: Mapped[str | None] = mapped_column(String(500), nullable=True)
    thumbnail_key: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # The processing job document (RenderJobDocument schema): steps, timings, errors.
    job_document: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)


class CadPart(IdMixin, TenantMixin, Base):
    """One part (mesh node) of a CAD file, with its measures and its material."""

    __tablename__ = "cad_parts"
    __table_args__ = (Index("ix_cad_parts_cad_file", "cad_file_id", "position"),)

    cad_file_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("cad_files.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    path: Mapped[str] = mapped_column(Text, nullable=False, default="")
    color: Mapped[list[float] | None] = mapped_column(JSONB, nullable=True)
    bbox_mm: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    volume_mm3: Mapped[float | None] = mapped_column(Float, nullable=True)
    area_mm2: Mapped[float | None] = mapped_column(Float, nullable=True)
    triangles: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    material: Mapped[str | None] = mapped_column(String(120), nullable=True)
    material_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin


class Material(IdMixin, TenantMixin, TimestampMixin, Base):
    """A tenant's own material. The built-in library lives in code (``automat.materials.library``)."""

    __tablename__ = "materials"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_materials_tenant_name"),)

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    base_color: Mapped[list[float]] = mapped_column(JSONB, nullable=False)
    metallic: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    roughness: Mapped[float] = mapped_column(Float, nullable=False, default=0.5)
    # clearcoat, clearcoat_roughness, transmission, ior
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)


class AliasKind(StrEnum):
    EXACT = "exact"
    GLOB = "glob"
    REGEX = "regex"


class MaterialAlias(IdMixin, TenantMixin, TimestampMixin, Base):
    """Maps part names to a material: an exact name, or a case-insensitive glob or regex."""

    __tablename__ = "material_aliases"
    __table_args__ = (
        CheckConstraint("kind IN ('exact', 'glob', 'regex')", name="kind_known"),
        UniqueConstraint("tenant_id", "kind", "pattern", name="uq_material_aliases_tenant_kind_pattern"),
    )

    pattern: Mapped[str] = mapped_column(String(255), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default=AliasKind.EXACT)
    material: Mapped[str] = mapped_column(String(120), nullable=False)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

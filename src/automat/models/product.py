from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin

# The generated search column (migration 0008); the query side calls the same SQL function.
PIM_KEY_SQL = "automat_pim_key(pim_id)"


class Product(IdMixin, TenantMixin, TimestampMixin, Base):
    """A product of a tenant's catalogue, identified by its PIM id."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("tenant_id", "pim_id", name="uq_products_tenant_pim_id"),
        Index(
            "ix_products_tenant_cad_file_key",
            "tenant_id",
            "cad_file_key",
            postgresql_where="cad_file_key IS NOT NULL",
        ),
    )

    pim_id: Mapped[str] = mapped_column(String(100), nullable=False)
    name: Mapped[str] = mapped_column(String(500), nullable=False)
    category_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # Bearing type (German "Lagertyp"), e.g. "Rillenkugellager".
    lagertyp: Mapped[str | None] = mapped_column(String(100), nullable=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    cad_file_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("cad_files.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The CAD file name an import gave (as written) and its match key (``cad.names.cad_key``): a
    # product waits for that file until one of the name is ready, and a newer ready one takes over.
    cad_file_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    cad_file_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # Part name -> material name; wins over the tenant's aliases for this product's renders.
    material_overrides: Mapped[dict[str, str]] = mapped_column(JSONB, nullable=False, default=dict)
    # Written by PostgreSQL (migration 0008): the PIM id lower case without separators
    # ("P-1003" -> "p1003"), collation "C", so a prefix is a range of (tenant_id, pim_key).
    pim_key: Mapped[str] = mapped_column(Text, Computed(PIM_KEY_SQL, persisted=True), deferred=True)


class ProductTerm(Base):
    """One word of a product's PIM id or name, for the search (a btree, so that RLS lets a word
    prefix be an index range). Written only by the triggers of migration 0008 on ``products``."""

    __tablename__ = "product_terms"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "term", "product_id"),)

    # Row-level security like every tenant table; no foreign keys (see product_id).
    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    term: Mapped[str] = mapped_column(Text(collation="C"), nullable=False)
    # No foreign key (one lookup per term row would cost an import more than its products): the
    # triggers remove a product's terms with it. Indexed for the search's check per product.
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)


class ImportStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class ProductImport(IdMixin, TenantMixin, TimestampMixin, Base):
    """One uploaded Excel product list and what the ``parse_excel`` step made of it."""

    __tablename__ = "product_imports"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'processing', 'completed', 'failed')", name="status_known"),
        Index("ix_product_imports_tenant_created_id", "tenant_id", "created_at", "id"),  # keyset order
    )

    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(500), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=ImportStatus.PENDING)
    imported: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    skipped: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Rows of the log per status (imported, updated, warning, skipped); the rows are ProductImportRow.
    row_counts: Mapped[dict[str, int]] = mapped_column(JSONB, nullable=False, default=dict)
    # Header -> field, as resolved for this file (defaults plus the request's override).
    column_mapping: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ImportRowStatus(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    WARNING = "warning"  # stored, with something to say (an unknown CAD file name)
    SKIPPED = "skipped"


class ProductImportRow(TenantMixin, Base):
    """One data row of an import's log: what became of spreadsheet row ``row`` and why."""

    __tablename__ = "product_import_rows"
    __table_args__ = (
        PrimaryKeyConstraint("import_id", "row"),
        CheckConstraint("status IN ('imported', 'updated', 'warning', 'skipped')", name="status_known"),
        # A page of one status, in row order, is a range of this index.
        Index("ix_product_import_rows_import_status_row", "import_id", "status", "row"),
    )

    # No foreign keys (migration 0013): a lookup and a row lock of the import and of the tenant per
    # log row cost a 10,000-row import about as much as writing its log. Only ``importer.apply``
    # writes the log, holding its import locked; a trigger removes the logs of deleted imports.
    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    import_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    row: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    pim_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)

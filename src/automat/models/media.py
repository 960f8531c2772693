"""Media assets: the files an order produced (images, videos, GLB/.blend exports)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin
from automat.models.product import PIM_KEY_SQL

# A bulk download built by a worker: queued -> building -> ready (-> expired: the archive deleted),
# or failed.
DOWNLOAD_STATUSES = ("queued", "building", "ready", "failed", "expired")

_FILTERS = ["tenant_id", "kind", "render_status", "category_key", "lagertyp", "ordered_by"]


class MediaAsset(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "media_assets"
    __table_args__ = (
        # Publication is idempotent: one asset per line and role ("main", "poster"; a workflow's
        # further renders of the line: "<node>/main", "<node>/poster").
        UniqueConstraint("order_line_id", "role", name="uq_media_assets_line_role"),
        CheckConstraint("file_crc32 BETWEEN 0 AND 4294967295", name="file_crc32_unsigned"),
        # The media library's (migration 0014): each filter with the sort key after it, the
        # filters' columns included (counts of combinations are index-only scans).
        Index("ix_media_assets_tenant_created", "tenant_id", "created_at", "id", postgresql_include=_FILTERS),
        Index("ix_media_assets_created", "created_at", "id", postgresql_include=_FILTERS),
        Index(
            "ix_media_assets_tenant_kind",
            "tenant_id",
            "kind",
            "created_at",
            "id",
            postgresql_include=_FILTERS,
        ),
        Index(
            "ix_media_assets_tenant_status",
            "tenant_id",
            "render_status",
            "created_at",
            "id",
            postgresql_include=_FILTERS,
        ),
        Index(
            "ix_media_assets_tenant_category",
            "tenant_id",
            "category_key",
            "created_at",
            "id",
            postgresql_include=_FILTERS,
        ),
        Index(
            "ix_media_assets_tenant_lagertyp",
            "tenant_id",
            "lagertyp",
            "created_at",
            "id",
            postgresql_include=_FILTERS,
        ),
        Index(
            "ix_media_assets_product_created",
            "product_id",
            "created_at",
            "id",
            postgresql_include=[*_FILTERS, "order_id", "pim_key", "search_words"],
        ),
        Index("ix_media_assets_order_created", "order_id", "created_at", "id", postgresql_include=_FILTERS),
        Index("ix_media_assets_ordered_by", "ordered_by", "created_at", "id", postgresql_include=_FILTERS),
        Index("ix_media_assets_tenant_name", "tenant_id", "name_key", "id", postgresql_include=_FILTERS),
        Index("ix_media_assets_tenant_pim_key", "tenant_id", "pim_key"),
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
    # The file's CRC-32 (what a ZIP entry records) and its status-change time (st_ctime_ns) when it
    # was taken (migration 0018): a bulk download uses the CRC only while the file's size and ctime
    # are still these, so a changed file is never archived with a stale CRC. NULL: not known yet
    # (published before 0018; computed while streamed and stored then).
    file_crc32: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    file_ctime_ns: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    frames: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Engine, device, samples, template, ... of the render that made it.
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)

    # Copies of what the media library filters, sorts and searches by, written by the triggers of
    # migration 0014 (from the order line, its order and the product; never set them here).
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    order_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    ordered_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    render_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    product_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    pim_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    category_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lagertyp: Mapped[str | None] = mapped_column(String(100), nullable=True)
    pim_key: Mapped[str | None] = mapped_column(Text(collation="C"), Computed(PIM_KEY_SQL, persisted=True))
    search_words: Mapped[str | None] = mapped_column(
        Text, Computed("automat_search_words(pim_id, product_name)", persisted=True), deferred=True
    )
    name_key: Mapped[str | None] = mapped_column(
        Text(collation="C"),
        Computed("left(lower(coalesce(product_name, file_name)), 200)", persisted=True),
    )


class MediaDownload(IdMixin, TenantMixin, TimestampMixin, Base):
    """A bulk download built by a worker (one too large to stream at once): which assets, how far
    the build is, and the archive in storage until it expires (migration 0016)."""

    __tablename__ = "media_downloads"
    __table_args__ = (
        CheckConstraint(f"status IN {DOWNLOAD_STATUSES!r}", name="status_known"),
        Index("ix_media_downloads_expires", "expires_at"),
    )

    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="queued")
    # The assets, by id, in archive order (resolved and checked when it was asked for).
    asset_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), nullable=False)
    file_count: Mapped[int] = mapped_column(Integer, nullable=False)
    total_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)  # of the files
    archive_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # the ZIP, once sized
    bytes_done: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    storage_key: Mapped[str | None] = mapped_column(String(500), nullable=True)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


# How many assets each combination of the facets' columns has, per tenant and orderer; kept by the
# statement-level triggers of migration 0016 (never written here). No primary key (the unique key
# has nullable columns, NULLS NOT DISTINCT), so a table, not a mapped class.
def _facet_counts(*key: Column[Any]) -> list[Column[Any]]:
    """A facet-count table's columns: its tenant, ``key``, the facets' columns and the count."""
    return [
        Column("tenant_id", UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        *key,
        Column("ordered_by", UUID(as_uuid=True), nullable=True),
        Column("kind", String(20), nullable=False),
        Column("render_status", String(20), nullable=True),
        Column("category_key", String(100), nullable=True),
        Column("lagertyp", String(100), nullable=True),
        Column("n", BigInteger, nullable=False),
    ]


media_facet_counts = Table("media_facet_counts", Base.metadata, *_facet_counts())


# Per UTC day of ``created_at`` as well (migration 0035, kept by triggers as the above): the facets
# of a date range sum its whole days from here.
media_facet_days = Table(
    "media_facet_days", Base.metadata, *_facet_counts(Column("day", Date, nullable=False))
)

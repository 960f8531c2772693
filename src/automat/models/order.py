"""Orders: a tenant's request for media, one order line (one render job) per product and output type."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PROCESSING = "processing"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class LineStatus(StrEnum):
    """An order line's render status (the same words as its job document's state)."""

    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Order(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_orders_tenant_number"),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'processing', 'completed', 'rejected', 'cancelled')",
            name="status_known",
        ),
        # The list's keyset order (newest first by created_at, id), all and per status (migration 0029).
        Index("ix_orders_tenant_created_id", "tenant_id", "created_at", "id"),
        Index("ix_orders_tenant_status_created_id", "tenant_id", "status", "created_at", "id"),
    )

    number: Mapped[str] = mapped_column(String(32), nullable=False)  # ORD-<year>-<seq>
    title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=OrderStatus.DRAFT)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    submitted_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    rejected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    rejected_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    # Every transition: {"at", "from", "to", "by", "reason"?, "submission"?}.
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    submission_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    completion_notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OrderLine(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint(
            "order_id", "product_id", "output_type_id", name="uq_order_lines_order_product_type"
        ),
        CheckConstraint(
            "render_status IN ('pending', 'queued', 'running', 'completed', 'failed', 'cancelled')",
            name="render_status_known",
        ),
        # tenant_id included (migration 0033): RLS reads it, so per-order line counts need no heap.
        Index("ix_order_lines_order_tenant", "order_id", postgresql_include=["tenant_id"]),
        Index("ix_order_lines_tenant_status", "tenant_id", "render_status"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.id", ondelete="CASCADE"), nullable=False
    )
    product_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("products.id", ondelete="RESTRICT"), nullable=False
    )
    output_type_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("output_types.id", ondelete="RESTRICT"), nullable=False
    )
    render_status: Mapped[str] = mapped_column(String(20), nullable=False, default=LineStatus.PENDING)
    # The RenderJobDocument of this line's current (latest) job.
    job_document: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The latest progress of the render of job ``render_progress["job_id"]`` (rendering/progress.py).
    render_progress: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    # A completed line of a draft that the next submit renders again (otherwise it is kept).
    render_again: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())


class OrderNumberCounter(TenantMixin, Base):
    """The last order sequence number a tenant used in a year."""

    __tablename__ = "order_number_counters"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "year"),)

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

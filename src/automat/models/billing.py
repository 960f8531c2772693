"""Billing: a tenant's price list, its invoices and credit notes, and their gapless numbers.

- ``price_list_entries``: the unit price of an output type from a date on. The price on a day is
  the entry with the latest ``valid_from`` on or before it (the output type's own ``price`` before
  the first entry), so a price change never touches what was invoiced before.
- ``invoices``: an invoice (of a month or of one order) or a credit note (``credits_id`` names the
  invoice it cancels). Draft → issued (number, immutable) → paid / void. Amounts, prices, names
  and the customer are copied in when drafted, so an issued document never changes.
- ``invoice_lines``: one per delivered order line. ``charging`` is true while the line's document
  claims the order line (a draft or an issued invoice not credited or voided); a partial unique
  index lets an order line be claimed once, so nothing is charged twice even under races.
- ``invoice_counters``: the last number a tenant used in a year, incremented in the issuing
  transaction: a rolled-back issue returns its number, so the sequence has no gaps.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    PAID = "paid"
    VOID = "void"


class PriceListEntry(IdMixin, TenantMixin, Base):
    __tablename__ = "price_list_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "output_type_id", "valid_from", name="uq_price_list_entries_from"),
        CheckConstraint("unit_price >= 0", name="price_not_negative"),
    )

    output_type_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("output_types.id", ondelete="CASCADE"), nullable=False
    )
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()"), nullable=False
    )


class Invoice(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_invoices_number"),
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind_known"),
        CheckConstraint("status IN ('draft', 'issued', 'paid', 'void')", name="status_known"),
        CheckConstraint("(status = 'draft') = (number IS NULL)", name="number_when_issued"),
        Index("ix_invoices_tenant_created", "tenant_id", "created_at", "id"),
        Index(
            "uq_invoices_credit_of",
            "credits_id",
            unique=True,
            postgresql_where=text("credits_id IS NOT NULL"),
        ),
    )

    kind: Mapped[str] = mapped_column(String(20), nullable=False, default=InvoiceKind.INVOICE)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=InvoiceStatus.DRAFT)
    number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # The month invoiced ([period_start, period_end)) or the one order (per-order billing).
    period_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    credits_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("invoices.id", ondelete="RESTRICT"), nullable=True
    )
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    net_total: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False, default=Decimal("0"))
    tax_total: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False, default=Decimal("0"))
    gross_total: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False, default=Decimal("0"))
    # Who is billed, as it was when drafted: {"name": …, "address": …}.
    customer: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    issued_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class InvoiceLine(IdMixin, TenantMixin, Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        Index("ix_invoice_lines_invoice", "invoice_id", "position"),
        Index(
            "uq_invoice_lines_charged_once",
            "order_line_id",
            unique=True,
            postgresql_where=text("charging"),
        ),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    order_line_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("order_lines.id", ondelete="SET NULL"), nullable=True
    )
    charging: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    order_number: Mapped[str] = mapped_column(String(32), nullable=False)
    product_name: Mapped[str] = mapped_column(String(500), nullable=False)
    pim_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    output_type_name: Mapped[str] = mapped_column(String(200), nullable=False)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)


class InvoiceCounter(TenantMixin, Base):
    """The last invoice sequence number a tenant used in a year."""

    __tablename__ = "invoice_counters"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "year"),)

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

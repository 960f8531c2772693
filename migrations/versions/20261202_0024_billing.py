"""Billing: the price list, invoices and credit notes, their lines, and gapless invoice numbers.

See ``automat.models.billing``. ``invoice_lines.charging`` with the partial unique index
``uq_invoice_lines_charged_once`` claims a delivered order line for one live document at a time;
``invoice_counters`` is incremented in the issuing transaction, so the numbers have no gaps.

Revision ID: 0024_billing
Revises: 0018_media_file_crc
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0024_billing"
down_revision: str | None = "0018_media_file_crc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("price_list_entries", "invoices", "invoice_lines", "invoice_counters")


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()"))


def _tenant() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
    )


def _now(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def _money(name: str, precision: int = 14) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Numeric(precision, 2), nullable=False, server_default="0")


def upgrade() -> None:
    op.create_table(
        "price_list_entries",
        _id(),
        _tenant(),
        sa.Column(
            "output_type_id",
            UUID(as_uuid=True),
            sa.ForeignKey("output_types.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _money("unit_price", 12),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("created_by", UUID(as_uuid=True), nullable=True),
        _now("created_at"),
        sa.UniqueConstraint("tenant_id", "output_type_id", "valid_from", name="uq_price_list_entries_from"),
        sa.CheckConstraint("unit_price >= 0", name="price_not_negative"),
    )
    op.create_index("ix_price_list_entries_tenant_id", "price_list_entries", ["tenant_id"])
    op.create_table(
        "invoices",
        _id(),
        _tenant(),
        sa.Column("kind", sa.String(20), nullable=False, server_default="invoice"),
        sa.Column("status", sa.String(20), nullable=False, server_default="draft"),
        sa.Column("number", sa.String(40), nullable=True),
        sa.Column("period_start", sa.Date, nullable=True),
        sa.Column("period_end", sa.Date, nullable=True),
        sa.Column(
            "order_id", UUID(as_uuid=True), sa.ForeignKey("orders.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column(
            "credits_id", UUID(as_uuid=True), sa.ForeignKey("invoices.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("tax_rate", sa.Numeric(5, 2), nullable=False),
        _money("net_total"),
        _money("tax_total"),
        _money("gross_total"),
        sa.Column("customer", JSONB, nullable=False, server_default="{}"),
        sa.Column("created_by", UUID(as_uuid=True), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by", UUID(as_uuid=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        _now("created_at"),
        _now("updated_at"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_invoices_number"),
        sa.CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind_known"),
        sa.CheckConstraint("status IN ('draft', 'issued', 'paid', 'void')", name="status_known"),
        sa.CheckConstraint("(status = 'draft') = (number IS NULL)", name="number_when_issued"),
    )
    op.create_index("ix_invoices_tenant_id", "invoices", ["tenant_id"])
    op.create_index("ix_invoices_tenant_created", "invoices", ["tenant_id", "created_at", "id"])
    op.create_index("ix_invoices_order_id", "invoices", ["order_id"])
    op.create_index(
        "uq_invoices_credit_of",
        "invoices",
        ["credits_id"],
        unique=True,
        postgresql_where=sa.text("credits_id IS NOT NULL"),
    )
    op.create_table(
        "invoice_lines",
        _id(),
        _tenant(),
        sa.Column(
            "invoice_id", UUID(as_uuid=True), sa.ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column(
            "order_line_id",
            UUID(as_uuid=True),
            sa.ForeignKey("order_lines.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("charging", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("order_number", sa.String(32), nullable=False),
        sa.Column("product_name", sa.String(500), nullable=False),
        sa.Column("pim_id", sa.String(200), nullable=True),
        sa.Column("output_type_name", sa.String(200), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        _money("unit_price", 12),
        sa.Column("quantity", sa.Integer, nullable=False, server_default="1"),
        _money("amount"),
    )
    op.create_index("ix_invoice_lines_tenant_id", "invoice_lines", ["tenant_id"])
    op.create_index("ix_invoice_lines_invoice", "invoice_lines", ["invoice_id", "position"])
    op.create_index(
        "uq_invoice_lines_charged_once",
        "invoice_lines",
        ["order_line_id"],
        unique=True,
        postgresql_where=sa.text("charging"),
    )
    op.create_table(
        "invoice_counters",
        _tenant(),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("value", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("tenant_id", "year"),
    )
    op.create_index("ix_invoice_counters_tenant_id", "invoice_counters", ["tenant_id"])
    for table in TABLES:
        rls.enable_tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

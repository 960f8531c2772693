"""Output types, render templates, positions, orders and order lines, media assets,
notification recipients and read marks.

Revision ID: 0005_orders_and_media
Revises: 0004_products
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0005_orders_and_media"
down_revision: str | None = "0004_products"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "render_templates",
    "positions",
    "output_types",
    "orders",
    "order_lines",
    "order_number_counters",
    "media_assets",
    "notification_reads",
)


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()"))


def _tenant() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
    )


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def _jsonb(name: str, empty: str = "{}") -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, JSONB, nullable=False, server_default=sa.text(f"'{empty}'::jsonb"))


def _catalogue() -> None:
    op.create_table(
        "render_templates",
        _id(),
        _tenant(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("storage_key", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="validating"),
        _jsonb("inspection"),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("uploaded_by", UUID(as_uuid=True), nullable=True),
        *_stamps(),
        sa.UniqueConstraint("tenant_id", "name", name="uq_render_templates_tenant_name"),
        sa.CheckConstraint("status IN ('validating', 'ready', 'invalid')", name="status_known"),
    )
    op.create_index("ix_render_templates_tenant_id", "render_templates", ["tenant_id"])

    op.create_table(
        "positions",
        _id(),
        _tenant(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("azimuth_deg", sa.Float, nullable=False),
        sa.Column("elevation_deg", sa.Float, nullable=False),
        *_stamps(),
        sa.UniqueConstraint("tenant_id", "name", name="uq_positions_tenant_name"),
    )
    op.create_index("ix_positions_tenant_id", "positions", ["tenant_id"])

    op.create_table(
        "output_types",
        _id(),
        _tenant(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        _jsonb("render_settings"),
        sa.Column("price", sa.Numeric(12, 2), nullable=False, server_default="0"),
        sa.Column(
            "template_id",
            UUID(as_uuid=True),
            sa.ForeignKey("render_templates.id", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_stamps(),
        sa.UniqueConstraint("tenant_id", "name", name="uq_output_types_tenant_name"),
        sa.CheckConstraint("kind IN ('thumbnail', 'still', 'turntable', 'glb', 'blend')", name="kind_known"),
    )
    op.create_index("ix_output_types_tenant_id", "output_types", ["tenant_id"])


def _orders() -> None:
    op.create_table(
        "orders",
        _id(),
        _tenant(),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=True),
        sa.Column("notes", sa.Text, nullable=True),
        sa.Column("status", sa.String(20), nullable=False, server_default="draft"),
        sa.Column("created_by", UUID(as_uuid=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", UUID(as_uuid=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.Text, nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_by", UUID(as_uuid=True), nullable=True),
        _jsonb("history", "[]"),
        sa.Column("submission_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("completion_notified_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.UniqueConstraint("tenant_id", "number", name="uq_orders_tenant_number"),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'processing', 'completed', 'rejected', 'cancelled')",
            name="status_known",
        ),
    )
    op.create_index("ix_orders_tenant_id", "orders", ["tenant_id"])
    op.create_index("ix_orders_created_by", "orders", ["created_by"])
    op.create_index("ix_orders_tenant_status_created", "orders", ["tenant_id", "status", "created_at"])

    op.create_table(
        "order_lines",
        _id(),
        _tenant(),
        sa.Column(
            "order_id", UUID(as_uuid=True), sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "product_id",
            UUID(as_uuid=True),
            sa.ForeignKey("products.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column(
            "output_type_id",
            UUID(as_uuid=True),
            sa.ForeignKey("output_types.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("render_status", sa.String(20), nullable=False, server_default="pending"),
        _jsonb("job_document"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.UniqueConstraint(
            "order_id", "product_id", "output_type_id", name="uq_order_lines_order_product_type"
        ),
        sa.CheckConstraint(
            "render_status IN ('pending', 'queued', 'running', 'completed', 'failed', 'cancelled')",
            name="render_status_known",
        ),
    )
    op.create_index("ix_order_lines_tenant_id", "order_lines", ["tenant_id"])
    op.create_index("ix_order_lines_order", "order_lines", ["order_id"])
    op.create_index("ix_order_lines_tenant_status", "order_lines", ["tenant_id", "render_status"])

    op.create_table(
        "order_number_counters",
        _tenant(),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("value", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("tenant_id", "year"),
    )
    op.create_index("ix_order_number_counters_tenant_id", "order_number_counters", ["tenant_id"])


def _media_and_notifications() -> None:
    op.create_table(
        "media_assets",
        _id(),
        _tenant(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("role", sa.String(20), nullable=False, server_default="main"),
        sa.Column(
            "product_id", UUID(as_uuid=True), sa.ForeignKey("products.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column(
            "order_line_id",
            UUID(as_uuid=True),
            sa.ForeignKey("order_lines.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "cad_file_id",
            UUID(as_uuid=True),
            sa.ForeignKey("cad_files.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("storage_key", sa.String(500), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("file_size", sa.BigInteger, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("width", sa.Integer, nullable=True),
        sa.Column("height", sa.Integer, nullable=True),
        sa.Column("duration_s", sa.Float, nullable=True),
        sa.Column("frames", sa.Integer, nullable=True),
        _jsonb("details"),
        *_stamps(),
        sa.UniqueConstraint("order_line_id", "role", name="uq_media_assets_line_role"),
    )
    op.create_index("ix_media_assets_tenant_id", "media_assets", ["tenant_id"])
    op.create_index("ix_media_assets_tenant_created", "media_assets", ["tenant_id", "created_at", "id"])
    op.create_index("ix_media_assets_product", "media_assets", ["product_id"])

    op.add_column("audit_log", sa.Column("recipient_id", UUID(as_uuid=True), nullable=True))
    op.add_column("audit_log", sa.Column("audience", sa.String(32), nullable=True))
    op.add_column("audit_log", sa.Column("dedupe_key", sa.String(200), nullable=True))
    op.create_index(
        "ix_audit_log_tenant_channel_created", "audit_log", ["tenant_id", "channel", "created_at"]
    )
    op.create_index(
        "uq_audit_log_tenant_dedupe_key",
        "audit_log",
        ["tenant_id", "dedupe_key"],
        unique=True,
        postgresql_where=sa.text("dedupe_key IS NOT NULL"),
    )
    op.create_table(
        "notification_reads",
        sa.Column(
            "entry_id", sa.BigInteger, sa.ForeignKey("audit_log.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        _tenant(),
        sa.Column("read_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "user_id"),
    )


def upgrade() -> None:
    _catalogue()
    _orders()
    _media_and_notifications()
    for table in TABLES:
        rls.enable_tenant_table(table)
    # The name for the stall limit; keep values set under the old key.
    for table in ("system_settings", "tenant_settings"):
        op.execute(
            f"UPDATE {table} SET key = 'render_stall_timeout_minutes' WHERE key = 'stalled_render_minutes'"  # noqa: S608
        )


def downgrade() -> None:
    for table in ("system_settings", "tenant_settings"):
        op.execute(
            f"UPDATE {table} SET key = 'stalled_render_minutes' WHERE key = 'render_stall_timeout_minutes'"  # noqa: S608
        )
    op.drop_table("notification_reads")
    op.drop_index("uq_audit_log_tenant_dedupe_key", table_name="audit_log")
    op.drop_index("ix_audit_log_tenant_channel_created", table_name="audit_log")
    for column in ("dedupe_key", "audience", "recipient_id"):
        op.drop_column("audit_log", column)
    for table in ("media_assets", "order_number_counters", "order_lines", "orders", "output_types"):
        op.drop_table(table)
    op.drop_table("positions")
    op.drop_table("render_templates")

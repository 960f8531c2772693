"""Products and Excel product imports, with row-level security.

Revision ID: 0004_products
Revises: 0003_cad_thumbnail
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0004_products"
down_revision: str | None = "0003_cad_thumbnail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("products", "product_imports")


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


def upgrade() -> None:
    op.create_table(
        "products",
        _id(),
        _tenant(),
        sa.Column("pim_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("category_key", sa.String(100), nullable=True),
        sa.Column("lagertyp", sa.String(100), nullable=True),
        sa.Column("attributes", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column(
            "cad_file_id",
            UUID(as_uuid=True),
            sa.ForeignKey("cad_files.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("material_overrides", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        *_stamps(),
        sa.UniqueConstraint("tenant_id", "pim_id", name="uq_products_tenant_pim_id"),
    )
    op.create_index("ix_products_tenant_id", "products", ["tenant_id"])
    op.create_index("ix_products_cad_file_id", "products", ["cad_file_id"])
    # Search by PIM id or name: full text with the `simple` configuration (no contrib extensions here).
    op.execute(
        "CREATE INDEX ix_products_search ON products USING gin (to_tsvector('simple', pim_id || ' ' || name))"
    )

    op.create_table(
        "product_imports",
        _id(),
        _tenant(),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("storage_key", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("imported", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("skipped", sa.Integer, nullable=False, server_default="0"),
        sa.Column("log", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("column_mapping", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_by", UUID(as_uuid=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.CheckConstraint("status IN ('pending', 'processing', 'completed', 'failed')", name="status_known"),
    )
    op.create_index("ix_product_imports_tenant_id", "product_imports", ["tenant_id"])
    op.create_index("ix_product_imports_tenant_created", "product_imports", ["tenant_id", "created_at"])

    for table in TABLES:
        rls.enable_tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

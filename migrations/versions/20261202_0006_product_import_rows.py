"""An import's row log moves from a JSONB list on product_imports to product_import_rows (paged by
row number), with the counts per row status on the import.

Revision ID: 0006_product_import_rows
Revises: 0005_orders_and_media
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0006_product_import_rows"
down_revision: str | None = "0005_orders_and_media"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BYPASS = "SELECT set_config('app.current_tenant_id', 'bypass', true)"  # RLS binds the owner too


def upgrade() -> None:
    op.create_table(
        "product_import_rows",
        sa.Column(
            "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "import_id",
            UUID(as_uuid=True),
            sa.ForeignKey("product_imports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("pim_id", sa.Text, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("import_id", "row"),
        sa.CheckConstraint("status IN ('imported', 'updated', 'warning', 'skipped')", name="status_known"),
    )
    op.create_index("ix_product_import_rows_tenant_id", "product_import_rows", ["tenant_id"])
    op.create_index(
        "ix_product_import_rows_import_status_row", "product_import_rows", ["import_id", "status", "row"]
    )
    rls.enable_tenant_table("product_import_rows")
    op.add_column(
        "product_imports",
        sa.Column("row_counts", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    )

    op.execute(BYPASS)
    op.execute(
        """
        INSERT INTO product_import_rows (tenant_id, import_id, row, status, pim_id, reason)
        SELECT i.tenant_id, i.id, (e->>'row')::int, e->>'status', e->>'pim_id', e->>'reason'
        FROM product_imports i, jsonb_array_elements(i.log) AS e
        WHERE jsonb_typeof(i.log) = 'array'
        ON CONFLICT (import_id, row) DO NOTHING
        """
    )
    op.execute(
        """
        UPDATE product_imports i SET row_counts = counts.value
        FROM (
            SELECT import_id, jsonb_object_agg(status, n) AS value
            FROM (SELECT import_id, status, count(*) AS n FROM product_import_rows GROUP BY 1, 2) per_status
            GROUP BY import_id
        ) counts
        WHERE counts.import_id = i.id
        """
    )
    op.drop_column("product_imports", "log")


def downgrade() -> None:
    op.add_column(
        "product_imports", sa.Column("log", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb"))
    )
    op.execute(BYPASS)
    op.execute(
        """
        UPDATE product_imports i SET log = rows.log
        FROM (
            SELECT import_id,
                   jsonb_agg(
                       jsonb_build_object('row', row, 'status', status, 'pim_id', pim_id, 'reason', reason)
                       ORDER BY row
                   ) AS log
            FROM product_import_rows GROUP BY import_id
        ) rows
        WHERE rows.import_id = i.id
        """
    )
    op.drop_column("product_imports", "row_counts")
    op.drop_table("product_import_rows")

"""A product keeps the CAD file name its import gave (linked when a file of that name becomes
ready, taken over by a newer ready version of it); a failed CAD file keeps the code of its failure
and the converter's raw words apart from the message people read.

Revision ID: 0007_pending_cad_name
Revises: 0006_product_import_rows
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_pending_cad_name"
down_revision: str | None = "0006_product_import_rows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("products", sa.Column("cad_file_name", sa.String(255), nullable=True))
    op.add_column("products", sa.Column("cad_file_key", sa.String(255), nullable=True))
    op.create_index(
        "ix_products_tenant_cad_file_key",
        "products",
        ["tenant_id", "cad_file_key"],
        postgresql_where=sa.text("cad_file_key IS NOT NULL"),
    )
    op.add_column("cad_files", sa.Column("error_code", sa.String(50), nullable=True))
    op.add_column("cad_files", sa.Column("error_detail", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("cad_files", "error_detail")
    op.drop_column("cad_files", "error_code")
    op.drop_index("ix_products_tenant_cad_file_key", table_name="products")
    op.drop_column("products", "cad_file_key")
    op.drop_column("products", "cad_file_name")

"""CAD files get a thumbnail (rendered by the render host after processing).

Revision ID: 0003_cad_thumbnail
Revises: 0002_cad_materials
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_cad_thumbnail"
down_revision: str | None = "0002_cad_materials"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cad_files", sa.Column("thumbnail_key", sa.String(500), nullable=True))


def downgrade() -> None:
    op.drop_column("cad_files", "thumbnail_key")

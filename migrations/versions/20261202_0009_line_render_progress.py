"""An order line keeps its render's latest progress (phase, frame i/N, sample n/N, time left), so
a page loaded mid-render shows it without waiting for the next live event.

Revision ID: 0009_line_render_progress
Revises: 0008_product_search
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0009_line_render_progress"
down_revision: str | None = "0008_product_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("order_lines", sa.Column("render_progress", JSONB, nullable=True))


def downgrade() -> None:
    op.drop_column("order_lines", "render_progress")

"""An order line can be marked to render again: a draft's completed line (it kept its media
through a rejection) is queued again at the next submit only when the user asks for it.

Revision ID: 0010_line_render_again
Revises: 0009_line_render_progress
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_line_render_again"
down_revision: str | None = "0009_line_render_progress"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "order_lines",
        sa.Column("render_again", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("order_lines", "render_again")

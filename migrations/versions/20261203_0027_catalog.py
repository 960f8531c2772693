"""Render templates can be deactivated: an inactive template stays (output types that link it keep
rendering with it) but cannot be linked to an output type any more.

Revision ID: 0027_catalog
Revises: 0025_user_admin
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_catalog"
down_revision: str | None = "0025_user_admin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "render_templates", sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true())
    )


def downgrade() -> None:
    op.drop_column("render_templates", "is_active")

"""User administration: a temporary password must be changed at the next login.

``users.must_change_password`` is set when an administrator creates a user or resets a password
(the temporary password is shown to the administrator once); the user's own password change
clears it. Until then every API call but the session and the password change is refused.

Revision ID: 0025_user_admin
Revises: 0031_analytics
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_user_admin"
down_revision: str | None = "0031_analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("users", "must_change_password")

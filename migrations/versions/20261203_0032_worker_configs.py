"""Worker pools from the database: ``worker_configs`` (min/max concurrency per queue), applied by
beat's ``apply_worker_concurrency`` (issue 17). Installation-wide: everyone may read it, only
``bypass`` (global admins, system tasks) writes.

Revision ID: 0032_worker_configs
Revises: 0029_list_page_keys
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from automat.kit import rls

revision: str = "0032_worker_configs"
down_revision: str | None = "0029_list_page_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worker_configs",
        sa.Column("queue_name", sa.String(200), primary_key=True),
        sa.Column("min_concurrency", sa.Integer, nullable=False),
        sa.Column("max_concurrency", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column(
            "updated_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.CheckConstraint("min_concurrency >= 1", name="ck_worker_configs_min"),
        sa.CheckConstraint("max_concurrency >= min_concurrency", name="ck_worker_configs_max"),
    )
    op.execute("ALTER TABLE worker_configs ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE worker_configs FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY read_all ON worker_configs FOR SELECT USING (true)")
    op.execute(
        f"CREATE POLICY write_bypass ON worker_configs FOR ALL USING ({rls.BYPASS}) WITH CHECK ({rls.BYPASS})"
    )


def downgrade() -> None:
    op.drop_table("worker_configs")

"""The per-worker blocklist (issue 17): ``worker_blocklist`` counts a worker's failures of a step
in a row; at ``worker_blocklist_threshold`` the worker is blocklisted for that step until a global
admin clears it. Installation-wide like ``worker_configs``, but not readable by tenant sessions:
``last_error`` may name another tenant's file. Only ``bypass`` (global admins, the workers'
accounting) reads and writes it.

Revision ID: 0034_worker_blocklist
Revises: 0033_analytics_cover
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from automat.kit import rls

revision: str = "0034_worker_blocklist"
down_revision: str | None = "0033_analytics_cover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worker_blocklist",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocklisted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "cleared_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.UniqueConstraint("worker", "step", name="uq_worker_blocklist_worker_step"),
        sa.CheckConstraint("failures >= 0", name="ck_worker_blocklist_failures"),
    )
    op.execute("ALTER TABLE worker_blocklist ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE worker_blocklist FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY bypass_only ON worker_blocklist FOR ALL "
        f"USING ({rls.BYPASS}) WITH CHECK ({rls.BYPASS})"
    )


def downgrade() -> None:
    op.drop_table("worker_blocklist")

"""Admin actions' jobs: ``admin_jobs`` (see ``automat.models.admin_job``), with row-level security
like every tenant table and the partial unique index that lets a tenant run each action once at
a time.

Revision ID: 0028_admin_jobs
Revises: 0032_worker_configs
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0028_admin_jobs"
down_revision: str | None = "0032_worker_configs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_jobs",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column(
            "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("params", JSONB, nullable=False, server_default="{}"),
        sa.Column("state", sa.String(20), nullable=False, server_default="queued"),
        sa.Column("total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("items", JSONB, nullable=False, server_default="[]"),
        sa.Column("progress", JSONB, nullable=False, server_default="{}"),
        sa.Column("expected_s", sa.Float, nullable=True),
        sa.Column("task_id", sa.String(64), nullable=True),
        sa.Column(
            "requested_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')", name="state_known"
        ),
    )
    op.create_index("ix_admin_jobs_tenant_id", "admin_jobs", ["tenant_id"])
    op.create_index("ix_admin_jobs_tenant_created", "admin_jobs", ["tenant_id", "created_at", "id"])
    op.create_index(
        "uq_admin_jobs_one_live",
        "admin_jobs",
        ["tenant_id", "action"],
        unique=True,
        postgresql_where=sa.text("state IN ('queued', 'running')"),
    )
    rls.enable_tenant_table("admin_jobs")


def downgrade() -> None:
    op.drop_table("admin_jobs")

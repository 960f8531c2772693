"""Workflow runs: one row per run of a workflow version on a subject, one per node.

The executor (``pipeline/executor.py``) creates a run with its nodes, queues the nodes whose
predecessors have finished, and on each node's end queues the next ones or skips the
descendants of a failed one. Output types name the workflow their lines run (NULL: the built-in
of their kind).

Revision ID: 0012_workflow_runs
Revises: 0011_workflows
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from automat.kit import rls

revision: str = "0012_workflow_runs"
down_revision: str | None = "0011_workflows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUN_STATUSES = "('running', 'completed', 'failed', 'partial', 'cancelled')"
NODE_STATUSES = "('pending', 'queued', 'running', 'completed', 'failed', 'skipped', 'cancelled')"


def _tenant() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "workflow_runs",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        _tenant(),
        sa.Column(
            "workflow_id",
            UUID(as_uuid=True),
            sa.ForeignKey("workflows.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "workflow_version_id",
            UUID(as_uuid=True),
            sa.ForeignKey("workflow_versions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("workflow_name", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(20), nullable=False),
        sa.Column("subject_id", UUID(as_uuid=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="running"),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"status IN {RUN_STATUSES}", name="status_known"),
        sa.CheckConstraint("subject IN ('cad_file', 'order_line', 'product_import')", name="subject_known"),
    )
    op.create_index("ix_workflow_runs_tenant_id", "workflow_runs", ["tenant_id"])
    op.create_index("ix_workflow_runs_subject", "workflow_runs", ["subject_id", "created_at"])
    op.create_table(
        "workflow_run_nodes",
        sa.Column(
            "run_id",
            UUID(as_uuid=True),
            sa.ForeignKey("workflow_runs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("node_id", sa.String(100), primary_key=True),
        _tenant(),
        sa.Column("step", sa.String(50), nullable=False),
        sa.Column("step_version", sa.Integer, nullable=False),
        sa.Column("params", JSONB, nullable=False, server_default="{}"),
        sa.Column("predecessors", ARRAY(sa.String(100)), nullable=False, server_default="{}"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("task_id", sa.String(64), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outputs", JSONB, nullable=False, server_default="{}"),
        sa.Column("error", sa.Text, nullable=True),
        sa.CheckConstraint(f"status IN {NODE_STATUSES}", name="status_known"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
    op.create_index("ix_workflow_run_nodes_tenant_id", "workflow_run_nodes", ["tenant_id"])
    for table in ("workflow_runs", "workflow_run_nodes"):
        rls.enable_tenant_table(table)
    # A workflow renders a line more than once: the further renders' assets are "<node>/main".
    op.alter_column("media_assets", "role", type_=sa.String(100), existing_nullable=False)
    op.add_column(
        "output_types",
        sa.Column(
            "workflow_id",
            UUID(as_uuid=True),
            sa.ForeignKey("workflows.id", ondelete="RESTRICT"),
            nullable=True,
        ),
    )


def downgrade() -> None:
    op.drop_column("output_types", "workflow_id")
    op.alter_column("media_assets", "role", type_=sa.String(20), existing_nullable=False)
    for table in ("workflow_run_nodes", "workflow_runs"):
        rls.disable(table)
        op.drop_table(table)

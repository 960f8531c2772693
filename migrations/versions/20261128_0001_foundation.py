"""Foundation: tenants, users, settings, audit log, pipeline events, with row-level security.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0001_foundation"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("tenant_settings", "pipeline_events", "audit_log", "users")


def _uuid_pk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()"))


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def _tenant_fk(nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=nullable
    )


def upgrade() -> None:
    op.execute(rls.CURRENT_TENANT_FUNCTION)

    op.create_table(
        "tenants",
        _uuid_pk(),
        sa.Column("slug", sa.String(63), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("tenant_config", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        *_timestamps(),
    )
    op.create_table(
        "users",
        _uuid_pk(),
        _tenant_fk(nullable=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("token_version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "(role = 'global_admin') = (tenant_id IS NULL)", name="global_admin_has_no_tenant"
        ),
        sa.CheckConstraint(
            "role IN ('global_admin', 'tenant_admin', 'project_manager', 'client')", name="role_known"
        ),
    )
    op.create_index("ix_users_tenant_id", "users", ["tenant_id"])
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)

    op.create_table(
        "system_settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_by", UUID(as_uuid=True), nullable=True),
    )
    op.create_table(
        "tenant_settings",
        _tenant_fk(),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_by", UUID(as_uuid=True), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "key"),
    )
    op.create_index("ix_tenant_settings_tenant_id", "tenant_settings", ["tenant_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        _tenant_fk(nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("actor_id", UUID(as_uuid=True), nullable=True),
        sa.Column("actor_role", sa.String(32), nullable=True),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("target_type", sa.String(50), nullable=True),
        sa.Column("target_id", sa.String(100), nullable=True),
        sa.Column("detail", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("channel IN ('activity', 'notification', 'alert')", name="channel_known"),
    )
    op.create_index("ix_audit_log_tenant_created", "audit_log", ["tenant_id", "created_at"])

    op.create_table(
        "pipeline_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        _tenant_fk(),
        sa.Column("task_id", sa.String(64), nullable=True),
        sa.Column("job_id", sa.String(64), nullable=True),
        sa.Column("step_name", sa.String(64), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=True),
        sa.Column("context", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_pipeline_events_tenant_id", "pipeline_events", ["tenant_id"])
    op.create_index(
        "ix_pipeline_events_tenant_job_created", "pipeline_events", ["tenant_id", "job_id", "created_at"]
    )
    op.create_index("ix_pipeline_events_created", "pipeline_events", ["created_at"])

    # Row-level security. Tenants see their own tenant row; only `bypass` writes tenants.
    rls.enable("tenants", using=rls.tenant_predicate("id"), check=rls.BYPASS)
    for table in TENANT_TABLES:
        rls.enable_tenant_table(table)
    # Installation-wide settings: everyone reads, only `bypass` (global admins) writes.
    op.execute("ALTER TABLE system_settings ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE system_settings FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY read_all ON system_settings FOR SELECT USING (true)")
    op.execute(
        "CREATE POLICY write_bypass ON system_settings FOR ALL "
        f"USING ({rls.BYPASS}) WITH CHECK ({rls.BYPASS})"
    )


def downgrade() -> None:
    op.drop_table("pipeline_events")
    op.drop_table("audit_log")
    op.drop_table("tenant_settings")
    op.drop_table("system_settings")
    op.drop_table("users")
    op.drop_table("tenants")
    op.execute("DROP FUNCTION IF EXISTS automat_current_tenant()")

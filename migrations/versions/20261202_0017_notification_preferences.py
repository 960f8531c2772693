"""Notification preferences, the e-mail outbox and the digest marks; a user's locale and time zone.

- ``notification_preferences``: per tenant, user (NULL: the tenant's default), event type x
  channel, a frequency (immediate, hourly, daily, never). Unique with NULLs not distinct, so a
  tenant has one default per event type and channel.
- ``email_outbox``: every e-mail Automat sends, written in the transaction that has it to say
  and sent after it by a worker; ``(tenant_id, idempotency_key)`` unique (never twice for the same
  notification or digest), a partial index on the pending ones by when they are due.
- ``notification_digests``: one row per user, channel, frequency, period handled, so a digest
  is made once even when two beat runs overlap.
- ``users.locale`` / ``users.timezone``: the language of e-mails and the time of a daily digest.

Revision ID: 0017_notification_preferences
Revises: 0016_media_downloads
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0017_notification_preferences"
down_revision: str | None = "0016_media_downloads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("notification_preferences", "email_outbox", "notification_digests")
FREQUENCIES = "('immediate', 'hourly', 'daily', 'never')"
CHANNELS = "('in_app', 'email')"


def _tenant() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
    )


def _user(nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=nullable
    )


def _now(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.add_column("users", sa.Column("locale", sa.String(8), nullable=True))
    op.add_column("users", sa.Column("timezone", sa.String(64), nullable=True))
    op.create_table(
        "notification_preferences",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        _tenant(),
        _user(nullable=True),
        sa.Column("event_type", sa.String(50), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("frequency", sa.String(20), nullable=False),
        sa.Column("updated_by", UUID(as_uuid=True), nullable=True),
        _now("updated_at"),
        sa.CheckConstraint(f"frequency IN {FREQUENCIES}", name="frequency_known"),
        sa.CheckConstraint(f"channel IN {CHANNELS}", name="channel_known"),
        sa.UniqueConstraint(
            "tenant_id",
            "user_id",
            "event_type",
            "channel",
            name="uq_notification_preferences_scope",
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_index("ix_notification_preferences_user_id", "notification_preferences", ["user_id"])
    op.create_table(
        "email_outbox",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        _tenant(),
        _user(nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(50), nullable=False),
        sa.Column("to_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text_body", sa.Text, nullable=False),
        sa.Column("html_body", sa.Text, nullable=False),
        sa.Column("headers", JSONB, nullable=False, server_default="{}"),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        _now("next_attempt_at"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("alerted", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        _now("created_at"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status_known"),
        sa.UniqueConstraint("tenant_id", "idempotency_key", name="uq_email_outbox_key"),
    )
    op.create_index("ix_email_outbox_user_id", "email_outbox", ["user_id"])
    op.create_index(
        "ix_email_outbox_due",
        "email_outbox",
        ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "notification_digests",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        _tenant(),
        _user(nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("frequency", sa.String(20), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entries", sa.Integer, nullable=False, server_default="0"),
        _now("created_at"),
        sa.UniqueConstraint(
            "user_id", "channel", "frequency", "period_end", name="uq_notification_digests_period"
        ),
    )
    op.create_index("ix_notification_digests_tenant_id", "notification_digests", ["tenant_id"])
    for table in TABLES:
        rls.enable_tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    op.drop_column("users", "timezone")
    op.drop_column("users", "locale")

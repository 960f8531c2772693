"""Bulk downloads built by a worker: ``media_downloads``, one row per archive too large to stream
at once (above the ``media_zip_async_*`` settings), with its progress and, once ready, the archive's
storage key until it expires (beat deletes the file and marks the row ``expired``).

Revision ID: 0016_media_downloads
Revises: 0015_import_workflow
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from automat.kit import rls

revision: str = "0016_media_downloads"
down_revision: str | None = "0015_import_workflow"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "('queued', 'building', 'ready', 'failed', 'expired')"


def upgrade() -> None:
    op.create_table(
        "media_downloads",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column(
            "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "requested_by", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("status", sa.String(20), nullable=False, server_default="queued"),
        sa.Column("asset_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
        sa.Column("file_count", sa.Integer, nullable=False),
        sa.Column("total_bytes", sa.BigInteger, nullable=False),
        sa.Column("archive_bytes", sa.BigInteger, nullable=True),
        sa.Column("bytes_done", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("storage_key", sa.String(500), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(f"status IN {STATUSES}", name="status_known"),
    )
    op.create_index("ix_media_downloads_tenant_id", "media_downloads", ["tenant_id"])
    op.create_index("ix_media_downloads_expires", "media_downloads", ["expires_at"])
    rls.enable_tenant_table("media_downloads")


def downgrade() -> None:
    rls.disable("media_downloads")
    op.drop_table("media_downloads")

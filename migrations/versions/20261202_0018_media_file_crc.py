"""Each media asset's CRC-32, so a bulk download's ZIP need not compute it while streaming.

- ``media_assets.file_crc32``: the CRC-32 of the file (what a ZIP entry records), computed by the
  publication in the same pass as its sha256.
- ``media_assets.file_ctime_ns``: the file's status-change time (``st_ctime_ns``) when that CRC
  was taken. Every write to a file moves its ctime and, unlike the modification time, nothing
  can set it back; an archive uses the stored CRC only while size and ctime are still these, and
  computes it while streaming otherwise (``media.archive``).

Assets published before this migration have neither: their CRC is computed while they are
streamed and stored then (``media.downloads.remember_crcs``), so a file is read for it at most
once. Nothing is read here (a migration does not reach the storage, and 1,000,000 files would
hold it for hours).

Revision ID: 0018_media_file_crc
Revises: 0017_notification_preferences
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_media_file_crc"
down_revision: str | None = "0017_notification_preferences"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("media_assets", sa.Column("file_crc32", sa.BigInteger, nullable=True))
    op.add_column("media_assets", sa.Column("file_ctime_ns", sa.BigInteger, nullable=True))
    op.create_check_constraint("file_crc32_unsigned", "media_assets", "file_crc32 BETWEEN 0 AND 4294967295")


def downgrade() -> None:
    op.drop_constraint("file_crc32_unsigned", "media_assets", type_="check")
    op.drop_column("media_assets", "file_ctime_ns")
    op.drop_column("media_assets", "file_crc32")

"""Bulk downloads built by a worker, and the media library's facet counts kept by triggers.

- ``media_downloads``: one row per archive too large to stream at once (above the
  ``media_zip_async_*`` settings), with its progress and, once ready, the archive's storage key
  until it expires (beat deletes the file and marks the row ``expired``).
- ``media_facet_counts``: how many assets each combination of (tenant, orderer, kind, render
  status, category, lagertyp) has, kept by statement-level triggers on ``media_assets`` (one
  grouped upsert per statement, from its transition tables), so the facets of a request whose
  filters are only those columns are a sum over a few hundred rows instead of a capped count of
  up to 10,001 index entries per value. Backfilled from the assets there are.

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

    op.create_table(
        "media_facet_counts",
        sa.Column(
            "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("ordered_by", UUID(as_uuid=True), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("render_status", sa.String(20), nullable=True),
        sa.Column("category_key", sa.String(100), nullable=True),
        sa.Column("lagertyp", sa.String(100), nullable=True),
        sa.Column("n", sa.BigInteger, nullable=False),
    )
    op.execute(
        "CREATE UNIQUE INDEX uq_media_facet_counts_key ON media_facet_counts "
        "(tenant_id, ordered_by, kind, render_status, category_key, lagertyp) NULLS NOT DISTINCT"
    )
    rls.enable_tenant_table("media_facet_counts")
    op.execute(FACET_FUNCTION)
    for when, referencing in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER media_facet_counts_{when.lower()} AFTER {when} ON media_assets "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION automat_media_facet_counts()"
        )
    op.execute(BACKFILL)


KEY = "tenant_id, ordered_by, kind, render_status, category_key, lagertyp"
BACKFILL = (
    f"INSERT INTO media_facet_counts ({KEY}, n) SELECT {KEY}, count(*) FROM media_assets GROUP BY {KEY}"  # noqa: S608
)
_MATCH = " AND ".join(f"c.{k} IS NOT DISTINCT FROM d.{k}" for k in KEY.split(", "))

# Rows that left a combination are subtracted with an UPDATE (never an insert: a tenant being
# deleted cascades to its assets, and a new counts row of it would fail its foreign key); rows that
# joined one are added by an upsert. Both in the key's order, so two statements lock the rows
# they share in one order (no deadlock). An UPDATE counts only rows whose combination changed.
FACET_FUNCTION = f"""
CREATE FUNCTION automat_media_facet_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE media_facet_counts c SET n = c.n - d.n
        FROM (SELECT {KEY}, count(*) AS n FROM old_rows GROUP BY {KEY} ORDER BY {KEY}) d
        WHERE {_MATCH};
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE media_facet_counts c SET n = c.n - d.n
        FROM (SELECT {", ".join("o." + k for k in KEY.split(", "))}, count(*) AS n
              FROM old_rows o JOIN new_rows w ON w.id = o.id
              WHERE ({", ".join("o." + k for k in KEY.split(", "))})
                    IS DISTINCT FROM ({", ".join("w." + k for k in KEY.split(", "))})
              GROUP BY {", ".join("o." + k for k in KEY.split(", "))}
              ORDER BY {", ".join("o." + k for k in KEY.split(", "))}) d
        WHERE {_MATCH};
        INSERT INTO media_facet_counts AS c ({KEY}, n)
        SELECT {", ".join("w." + k for k in KEY.split(", "))}, count(*)
        FROM new_rows w JOIN old_rows o ON o.id = w.id
        WHERE ({", ".join("o." + k for k in KEY.split(", "))})
              IS DISTINCT FROM ({", ".join("w." + k for k in KEY.split(", "))})
        GROUP BY {", ".join("w." + k for k in KEY.split(", "))}
        ORDER BY {", ".join("w." + k for k in KEY.split(", "))}
        ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSE
        INSERT INTO media_facet_counts AS c ({KEY}, n)
        SELECT {KEY}, count(*) FROM new_rows GROUP BY {KEY} ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 (column names of this file)


def downgrade() -> None:
    for when in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER media_facet_counts_{when} ON media_assets")
    op.execute("DROP FUNCTION automat_media_facet_counts()")
    rls.disable("media_facet_counts")
    op.drop_table("media_facet_counts")
    rls.disable("media_downloads")
    op.drop_table("media_downloads")

"""The media library's facet counts per day, so a date-filtered request sums days, not assets.

``media_facet_days``: how many assets each combination of (tenant, UTC day of ``created_at``,
orderer, kind, render status, category, lagertyp) has, kept by statement-level triggers on
``media_assets`` exactly as ``media_facet_counts`` (migration 0016) is: one grouped change per
statement from its transition tables, subtractions as updates (never an insert: a tenant's
cascade cannot trip the foreign key), rows touched in key order. The facets of a request whose
filters are the four facet columns and a date range sum the whole days of the range from here and
count only the assets of the partial days at its ends (``media/repository.py``). Backfilled from
the assets there are (as the owner with the RLS bypass set: the policies bind the owner too), and
``media_facet_counts`` rebuilt the same way (0016's backfill ran without the bypass and saw no
assets).

Revision ID: 0035_media_perf
Revises: 0034_worker_blocklist
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from automat.kit import rls

revision: str = "0035_media_perf"
down_revision: str | None = "0034_worker_blocklist"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BYPASS = "SELECT set_config('app.current_tenant_id', 'bypass', true)"  # RLS binds the owner too
COUNTS_KEY = "tenant_id, ordered_by, kind, render_status, category_key, lagertyp"  # media_facet_counts'

# The counts' key and, for each column, the expression over an asset row (alias ``r``) it takes.
COLUMNS = ("tenant_id", "day", "ordered_by", "kind", "render_status", "category_key", "lagertyp")
KEY = ", ".join(COLUMNS)


def _of(alias: str) -> str:
    """The key's values of an asset row ``alias`` (the day in UTC, whatever the session's zone)."""
    return ", ".join(
        f"({alias}.created_at AT TIME ZONE 'UTC')::date" if c == "day" else f"{alias}.{c}" for c in COLUMNS
    )


BACKFILL = f"INSERT INTO media_facet_days ({KEY}, n) SELECT {_of('r')}, count(*) FROM media_assets r GROUP BY {_of('r')}"  # noqa: S608, E501
_MATCH = " AND ".join(f"c.{k} IS NOT DISTINCT FROM d.{k}" for k in COLUMNS)
_NAMED = ", ".join(f"{e} AS {c}" for e, c in zip(_of("o").split(", "), COLUMNS, strict=True))

# As automat_media_facet_counts (0016): rows that left a combination are subtracted with an UPDATE,
# rows that joined one are added by an upsert, both in the key's order; an UPDATE counts only rows
# whose combination (here: with the day) changed.
FUNCTION = f"""
CREATE FUNCTION automat_media_facet_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE media_facet_days c SET n = c.n - d.n
        FROM (SELECT {_NAMED}, count(*) AS n FROM old_rows o GROUP BY {_of("o")} ORDER BY {_of("o")}) d
        WHERE {_MATCH};
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE media_facet_days c SET n = c.n - d.n
        FROM (SELECT {_NAMED}, count(*) AS n
              FROM old_rows o JOIN new_rows w ON w.id = o.id
              WHERE ({_of("o")}) IS DISTINCT FROM ({_of("w")})
              GROUP BY {_of("o")}
              ORDER BY {_of("o")}) d
        WHERE {_MATCH};
        INSERT INTO media_facet_days AS c ({KEY}, n)
        SELECT {_of("w")}, count(*)
        FROM new_rows w JOIN old_rows o ON o.id = w.id
        WHERE ({_of("o")}) IS DISTINCT FROM ({_of("w")})
        GROUP BY {_of("w")}
        ORDER BY {_of("w")}
        ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSE
        INSERT INTO media_facet_days AS c ({KEY}, n)
        SELECT {_of("w")}, count(*) FROM new_rows w GROUP BY {_of("w")} ORDER BY {_of("w")}
        ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 (column names of this file)


def upgrade() -> None:
    op.create_table(
        "media_facet_days",
        sa.Column(
            "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("ordered_by", UUID(as_uuid=True), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("render_status", sa.String(20), nullable=True),
        sa.Column("category_key", sa.String(100), nullable=True),
        sa.Column("lagertyp", sa.String(100), nullable=True),
        sa.Column("n", sa.BigInteger, nullable=False),
    )
    # The key, day second: a tenant's date range is one range of it (INCLUDE n: index-only sums).
    op.execute(
        f"CREATE UNIQUE INDEX uq_media_facet_days_key ON media_facet_days ({KEY}) "
        "INCLUDE (n) NULLS NOT DISTINCT"
    )
    rls.enable_tenant_table("media_facet_days")
    op.execute(FUNCTION)
    for when, referencing in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER media_facet_days_{when.lower()} AFTER {when} ON media_assets "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION automat_media_facet_days()"
        )
    op.execute(BYPASS)
    op.execute(BACKFILL)
    # 0016 backfilled media_facet_counts without the bypass: under forced row-level security the
    # owner saw no assets, so an installation that had assets then has no counts for them. Rebuilt
    # here from the assets (the triggers keep it from now on, as they did since).
    op.execute("DELETE FROM media_facet_counts")
    op.execute(
        f"INSERT INTO media_facet_counts ({COUNTS_KEY}, n) "  # noqa: S608 (column names of this file)
        f"SELECT {COUNTS_KEY}, count(*) FROM media_assets GROUP BY {COUNTS_KEY}"
    )


def downgrade() -> None:
    for when in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER media_facet_days_{when} ON media_assets")
    op.execute("DROP FUNCTION automat_media_facet_days()")
    rls.disable("media_facet_days")
    op.drop_table("media_facet_days")

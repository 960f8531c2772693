"""Analytics: rollup tables of finished renders and CAD conversions, kept by triggers.

``render_stats`` has one row per finished render job of an order line (``job_id``: a line's
submission; a retried job replaces its row), written by ``automat_render_stats_write()`` AFTER
INSERT OR UPDATE on ``order_lines`` when a line becomes completed or failed. It carries what the
analytics queries group and filter by (tenant, day, output type, kind, device) and the measures
(render, queue wait, end-to-end seconds; the failed step and the error, raw and normalised), so
percentiles are computed over the small per-range subset (index ``(tenant_id, day)``) instead of
parsing job documents. ``cad_stats`` does the same for CAD processing (one row per CAD file, the
latest processing) from ``cad_files``. Both are tenant tables with RLS; the trigger functions run
as the writing role, so what they insert passes the same policy as the line itself.

Revision ID: 0031_analytics
Revises: 0026_tenant_config_version
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from automat.kit import rls

revision: str = "0031_analytics"
down_revision: str | None = "0026_tenant_config_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BYPASS = "SELECT set_config('app.current_tenant_id', 'bypass', true)"  # RLS binds the owner too
TABLES = ("render_stats", "cad_stats")

# UUIDs become <id>, runs of digits N: "Product P-1042 has no CAD file" and "P-2077" count as one.
NORMALISE = (  # a format string: {0} is the column
    "left(regexp_replace(regexp_replace({0}, "
    "'[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}', '<id>', 'gi'), "
    "'[0-9]+', 'N', 'g'), 300)"
)

RENDER_UPSERT = f"""
CREATE OR REPLACE FUNCTION automat_render_stats_upsert(line order_lines) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    doc jsonb := coalesce(line.job_document, '{{}}'::jsonb);
    line_kind text;
    label text;
    render_s double precision;
    queued timestamptz;
    failed_step text;
    message text;
BEGIN
    SELECT o.kind INTO line_kind FROM output_types o WHERE o.id = line.output_type_id;
    -- The render or export steps (a workflow may render more than once: their sum, the first device).
    SELECT sum((s->>'duration_s')::float8),
           (array_agg(s->>'device' ORDER BY n) FILTER (WHERE coalesce(s->>'device', '') <> ''))[1]
      INTO render_s, label
      FROM jsonb_array_elements(CASE jsonb_typeof(doc->'steps') WHEN 'array' THEN doc->'steps'
                                ELSE '[]'::jsonb END) WITH ORDINALITY AS x(s, n)
     WHERE s->>'name' IN ('render_thumbnail', 'render_still', 'render_turntable', 'export_glb',
                          'export_blend');
    -- Submitted: the last move into "queued" that was a (re)submission or a retry, not a
    -- redelivery after a lost worker (running -> queued).
    SELECT (h->>'at')::timestamptz INTO queued
      FROM jsonb_array_elements(CASE jsonb_typeof(doc->'history') WHEN 'array' THEN doc->'history'
                                ELSE '[]'::jsonb END) WITH ORDINALITY AS x(h, n)
     WHERE h->>'to_state' = 'queued' AND h->>'from_state' IS DISTINCT FROM 'running'
     ORDER BY n DESC LIMIT 1;
    queued := coalesce(queued, (doc->>'created_at')::timestamptz);
    IF line.render_status = 'failed' THEN
        failed_step := coalesce(
            doc->'errors'->-1->>'step',
            (SELECT s->>'name' FROM jsonb_array_elements(CASE jsonb_typeof(doc->'steps')
                 WHEN 'array' THEN doc->'steps' ELSE '[]'::jsonb END) WITH ORDINALITY AS x(s, n)
              WHERE s->>'status' = 'failed' ORDER BY n DESC LIMIT 1),
            'unknown');
        message := left(coalesce(doc->>'error', doc->'errors'->-1->>'message', 'unknown error'), 1000);
    END IF;
    INSERT INTO render_stats AS r (
        tenant_id, job_id, line_id, order_id, output_type_id, kind, status, day, finished_at,
        device, device_label, render_s, wait_s, e2e_s, failed_step, error, error_key)
    VALUES (
        line.tenant_id,
        coalesce(nullif(doc->>'job_id', ''), 'line:' || line.id::text),
        line.id, line.order_id, line.output_type_id, coalesce(line_kind, 'still'),
        line.render_status,
        (line.finished_at AT TIME ZONE 'UTC')::date,
        line.finished_at,
        CASE WHEN label IS NULL THEN NULL WHEN label LIKE 'CPU%' THEN 'cpu' ELSE 'gpu' END,
        left(label, 200),
        render_s,
        CASE WHEN line.started_at IS NOT NULL AND queued IS NOT NULL AND line.started_at >= queued
             THEN extract(epoch FROM line.started_at - queued) END,
        CASE WHEN queued IS NOT NULL AND line.finished_at >= queued
             THEN extract(epoch FROM line.finished_at - queued) END,
        failed_step,
        message,
        {NORMALISE.format("message")})
    ON CONFLICT (job_id) DO UPDATE SET
        output_type_id = EXCLUDED.output_type_id, kind = EXCLUDED.kind, status = EXCLUDED.status,
        day = EXCLUDED.day, finished_at = EXCLUDED.finished_at, device = EXCLUDED.device,
        device_label = EXCLUDED.device_label, render_s = EXCLUDED.render_s, wait_s = EXCLUDED.wait_s,
        e2e_s = EXCLUDED.e2e_s, failed_step = EXCLUDED.failed_step, error = EXCLUDED.error,
        error_key = EXCLUDED.error_key;
END
$$
"""  # noqa: S608 (a constant: the normalising expression)

RENDER_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION automat_render_stats_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.render_status NOT IN ('completed', 'failed') OR NEW.finished_at IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.render_status = NEW.render_status
       AND OLD.finished_at IS NOT DISTINCT FROM NEW.finished_at THEN
        RETURN NULL;  -- nothing about how it ended changed
    END IF;
    PERFORM automat_render_stats_upsert(NEW);
    RETURN NULL;
END
$$
"""

CAD_UPSERT = """
CREATE OR REPLACE FUNCTION automat_cad_stats_upsert(cad cad_files) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    doc jsonb := coalesce(cad.job_document, '{}'::jsonb);
    steps jsonb := CASE jsonb_typeof(doc->'steps') WHEN 'array' THEN doc->'steps' ELSE '[]'::jsonb END;
    counts jsonb := CASE jsonb_typeof(cad.metadata->'counts') WHEN 'object' THEN cad.metadata->'counts'
                    ELSE '{}'::jsonb END;
    began timestamptz := coalesce((doc->>'created_at')::timestamptz, cad.created_at);
    ended timestamptz := coalesce(cad.updated_at, now());
    failed_step text;
BEGIN
    IF cad.status = 'failed' THEN
        failed_step := coalesce(
            doc->'errors'->-1->>'step',
            (SELECT s->>'name' FROM jsonb_array_elements(steps) WITH ORDINALITY AS x(s, n)
              WHERE s->>'status' = 'failed' ORDER BY n DESC LIMIT 1),
            'unknown');
    END IF;
    INSERT INTO cad_stats AS c (
        tenant_id, cad_file_id, status, day, finished_at, conversion_s, processing_s, parts,
        triangles, size_bytes, failed_step, error_code, error)
    VALUES (
        cad.tenant_id, cad.id, cad.status, (ended AT TIME ZONE 'UTC')::date, ended,
        (SELECT (s->>'duration_s')::float8 FROM jsonb_array_elements(steps) s
          WHERE s->>'name' = 'occ_glb_export' LIMIT 1),
        CASE WHEN ended >= began THEN extract(epoch FROM ended - began) END,
        CASE WHEN jsonb_typeof(counts->'parts') = 'number' THEN (counts->>'parts')::numeric::bigint END,
        CASE WHEN jsonb_typeof(counts->'triangles') = 'number'
             THEN (counts->>'triangles')::numeric::bigint END,
        cad.size_bytes,
        failed_step,
        CASE WHEN cad.status = 'failed' THEN coalesce(cad.error_code, 'unknown') END,
        CASE WHEN cad.status = 'failed' THEN left(cad.error, 1000) END)
    ON CONFLICT (cad_file_id) DO UPDATE SET
        status = EXCLUDED.status, day = EXCLUDED.day, finished_at = EXCLUDED.finished_at,
        conversion_s = EXCLUDED.conversion_s, processing_s = EXCLUDED.processing_s,
        parts = EXCLUDED.parts, triangles = EXCLUDED.triangles, size_bytes = EXCLUDED.size_bytes,
        failed_step = EXCLUDED.failed_step, error_code = EXCLUDED.error_code, error = EXCLUDED.error;
END
$$
"""

CAD_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION automat_cad_stats_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status NOT IN ('ready', 'failed') THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN
        RETURN NULL;
    END IF;
    PERFORM automat_cad_stats_upsert(NEW);
    RETURN NULL;
END
$$
"""


def _tenant() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "render_stats",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        _tenant(),
        sa.Column("job_id", sa.String(120), nullable=False),
        # No foreign keys to the line and order: a render that happened stays counted when a draft
        # edit removes its line.
        sa.Column("line_id", UUID(as_uuid=True), nullable=False),
        sa.Column("order_id", UUID(as_uuid=True), nullable=False),
        sa.Column("output_type_id", UUID(as_uuid=True), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device", sa.String(3), nullable=True),
        sa.Column("device_label", sa.String(200), nullable=True),
        sa.Column("render_s", sa.Float, nullable=True),
        sa.Column("wait_s", sa.Float, nullable=True),
        sa.Column("e2e_s", sa.Float, nullable=True),
        sa.Column("failed_step", sa.String(64), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("error_key", sa.String(300), nullable=True),
        sa.UniqueConstraint("job_id", name="uq_render_stats_job"),
        sa.CheckConstraint("status IN ('completed', 'failed')", name="status_known"),
        sa.CheckConstraint("device IS NULL OR device IN ('cpu', 'gpu')", name="device_known"),
    )
    op.create_index("ix_render_stats_tenant_day", "render_stats", ["tenant_id", "day"])
    op.create_index("ix_render_stats_day", "render_stats", ["day"])  # global admins over every tenant
    op.create_index(
        "ix_render_stats_failed",
        "render_stats",
        ["tenant_id", "day", "failed_step"],
        postgresql_where=sa.text("status = 'failed'"),
    )
    op.create_table(
        "cad_stats",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        _tenant(),
        sa.Column("cad_file_id", UUID(as_uuid=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conversion_s", sa.Float, nullable=True),
        sa.Column("processing_s", sa.Float, nullable=True),
        sa.Column("parts", sa.BigInteger, nullable=True),
        sa.Column("triangles", sa.BigInteger, nullable=True),
        sa.Column("size_bytes", sa.BigInteger, nullable=True),
        sa.Column("failed_step", sa.String(64), nullable=True),
        sa.Column("error_code", sa.String(50), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.UniqueConstraint("cad_file_id", name="uq_cad_stats_file"),
        sa.CheckConstraint("status IN ('ready', 'failed')", name="status_known"),
    )
    op.create_index("ix_cad_stats_tenant_day", "cad_stats", ["tenant_id", "day"])
    op.create_index("ix_cad_stats_day", "cad_stats", ["day"])
    # Orders over time (the analytics group orders by the day they were created).
    op.create_index("ix_orders_tenant_created", "orders", ["tenant_id", "created_at"])
    for table in TABLES:
        rls.enable_tenant_table(table)

    op.execute(RENDER_UPSERT)
    op.execute(RENDER_TRIGGER_FUNCTION)
    op.execute(
        "CREATE TRIGGER render_stats_write AFTER INSERT OR UPDATE ON order_lines "
        "FOR EACH ROW EXECUTE FUNCTION automat_render_stats_write()"
    )
    op.execute(CAD_UPSERT)
    op.execute(CAD_TRIGGER_FUNCTION)
    op.execute(
        "CREATE TRIGGER cad_stats_write AFTER INSERT OR UPDATE ON cad_files "
        "FOR EACH ROW EXECUTE FUNCTION automat_cad_stats_write()"
    )
    # What finished before this migration.
    op.execute(BYPASS)
    op.execute(
        "SELECT automat_render_stats_upsert(l) FROM order_lines l "
        "WHERE l.render_status IN ('completed', 'failed') AND l.finished_at IS NOT NULL"
    )
    op.execute("SELECT automat_cad_stats_upsert(c) FROM cad_files c WHERE c.status IN ('ready', 'failed')")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS cad_stats_write ON cad_files")
    op.execute("DROP TRIGGER IF EXISTS render_stats_write ON order_lines")
    op.execute("DROP FUNCTION IF EXISTS automat_cad_stats_write()")
    op.execute("DROP FUNCTION IF EXISTS automat_cad_stats_upsert(cad_files)")
    op.execute("DROP FUNCTION IF EXISTS automat_render_stats_write()")
    op.execute("DROP FUNCTION IF EXISTS automat_render_stats_upsert(order_lines)")
    op.drop_index("ix_orders_tenant_created", table_name="orders")
    for table in reversed(TABLES):
        op.drop_table(table)

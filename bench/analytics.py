"""The analytics endpoints' queries over a year of renders: 200,000 order lines, 1,000,000 events.

A private database holds ``TENANTS`` tenants with products, four output types each, ``ORDERS``
orders (created over a year, a share rejected with reasons) and ``LINES`` finished order lines
(``INSERT … SELECT generate_series``, each with a job document as the workers write it: steps
with durations and device labels, history, errors; 7 % failed), so the ``render_stats`` rollup is
filled by its trigger as in production; ``CAD_FILES`` processed CAD files (their trigger fills
``cad_stats``) and ``EVENTS`` pipeline events (the log the analytics does not have to read).

Each endpoint's query code (``automat.analytics.service``) runs in a tenant's transaction under
row-level security as the application role, as a project manager of the first tenant and as a
global admin over every tenant, over the last 90 days (per day and per week), ``ROUNDS`` times
after one untimed run.

Value: the worst endpoint's p95. Target: p95 ≤ 0.2 s. Baseline: the render percentiles the naive
way, straight from the order lines' job documents (``jsonb_array_elements`` over 90 days).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from datetime import timedelta
from typing import Any

from bench.common import private_database, report, tenant_with_pm

TENANTS = 2
LINES = 200_000
ORDERS = 20_000
CAD_FILES = 20_000
EVENTS = 1_000_000
PRODUCTS_PER_TENANT = 1_000
DAYS = 90
ROUNDS = 20
TARGET_S = 0.2

_PRODUCTS = """
INSERT INTO products (tenant_id, pim_id, name, attributes)
SELECT :t, 'P-' || g, 'Bearing ' || g, '{}' FROM generate_series(1, :n) AS g
"""

_OUTPUT_TYPES = """
INSERT INTO output_types (tenant_id, name, kind, render_settings)
SELECT :t, initcap(k) || ' (bench)', k, '{}' FROM unnest(ARRAY['still', 'turntable', 'glb', 'thumbnail']) AS k
"""

# Orders over the last year: 80 % completed, 8 % processing, 6 % rejected, 4 % draft, 2 % cancelled;
# one in ten was rejected once (before it went on), with one of five reasons.
_ORDERS = """
INSERT INTO orders (tenant_id, number, status, submission_count, history, created_at, updated_at)
SELECT :t, 'ORD-B-' || g, s.status, CASE WHEN s.status = 'draft' THEN 0 ELSE 1 END,
       CASE WHEN s.status = 'rejected' OR g % 10 = 3 THEN jsonb_build_array(jsonb_build_object(
           'transition', 'reject', 'from', 'submitted', 'to', 'rejected',
           'reason', (ARRAY['Wrong colour', 'Missing parts', 'Duplicate', 'Wrong angle', ''])[1 + g % 5]))
       ELSE '[]'::jsonb END,
       s.created, s.created
FROM generate_series(1, :n) AS g,
LATERAL (SELECT CASE WHEN r < 0.80 THEN 'completed' WHEN r < 0.88 THEN 'processing'
                     WHEN r < 0.94 THEN 'rejected' WHEN r < 0.98 THEN 'draft' ELSE 'cancelled' END AS status,
                now() - (g::float8 / :n) * interval '365 days' AS created
           FROM (SELECT random() + g * 0 AS r) AS x) AS s
"""

# Lines: each order gets lines until LINES are made (product k of the order, output type k % 4);
# finished after the order was created; 7 % failed (render, check_cad or deliver); 25 % of the
# renders on the CPU fallback; wait 1-120 s, render 5-300 s (turntables 10x).
_LINES = """
INSERT INTO order_lines (id, tenant_id, order_id, product_id, output_type_id, render_status,
                         job_document, started_at, finished_at, created_at, updated_at)
SELECT b.id, :t, b.order_id, b.product_id, b.output_type_id, b.status,
       jsonb_build_object(
           'version', 1, 'job_id', 'line:' || b.id || ':' || 1, 'state', b.status,
           'steps', jsonb_build_array(
               jsonb_build_object('name', 'check_cad', 'status',
                                  CASE WHEN b.fail = 'check_cad' THEN 'failed' ELSE 'completed' END,
                                  'duration_s', 0.05),
               jsonb_build_object('name', b.step, 'status',
                                  CASE WHEN b.fail = b.step THEN 'failed' ELSE 'completed' END,
                                  'duration_s', b.render_s, 'device', b.device)),
           'error', b.error,
           'errors', CASE WHEN b.error IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(
               jsonb_build_object('at', b.finished, 'message', b.error, 'step', b.fail)) END,
           'history', jsonb_build_array(
               jsonb_build_object('at', b.queued, 'from_state', 'pending', 'to_state', 'queued'),
               jsonb_build_object('at', b.started, 'from_state', 'queued', 'to_state', 'running')),
           'created_at', b.queued),
       b.started, b.finished, b.queued, b.finished
FROM (
    SELECT a.*, a.queued + a.wait_s * interval '1 second' AS started,
           a.queued + (a.wait_s + a.render_s + 1) * interval '1 second' AS finished,
           CASE WHEN a.fail IS NULL THEN 'completed' ELSE 'failed' END AS status,
           CASE WHEN a.fail IS NULL THEN NULL
                WHEN a.fail = 'check_cad' THEN 'Product P-' || (a.k + 1) || ' has no CAD file'
                WHEN a.x < 0.3 THEN 'the render host died (pid ' || (1000 + a.k) || ')'
                WHEN a.x < 0.6 THEN 'out of memory'
                ELSE 'Blender could not read the GLB' END AS error
    FROM (
        SELECT gen_random_uuid() AS id, o.id AS order_id, o.created_at AS queued, k, p.id AS product_id,
               t.id AS output_type_id, t.step,
               CASE WHEN t.kind = 'glb' THEN NULL WHEN r.d < 0.25 THEN 'CPU (AMD EPYC 7B13)'
                    ELSE 'NVIDIA RTX A4000 (OPTIX)' END AS device,
               1 + r.w * 119 AS wait_s,
               (5 + r.s * 295) * CASE WHEN t.kind = 'turntable' THEN 10 ELSE 1 END AS render_s,
               CASE WHEN r.f < 0.02 THEN 'check_cad' WHEN r.f < 0.065 THEN t.step
                    WHEN r.f < 0.07 THEN 'deliver' END AS fail,
               r.x
        FROM (SELECT id, created_at, row_number() OVER (ORDER BY created_at) AS n
                FROM orders WHERE tenant_id = :t) AS o
        CROSS JOIN generate_series(0, :per_order - 1) AS k
        CROSS JOIN LATERAL (SELECT random() + k * 0 AS f, random() AS x, random() AS d, random() AS w,
                                   random() AS s) AS r
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS pn FROM products WHERE tenant_id = :t) AS p
          ON p.pn = (o.n * 7 + k) % :products
        JOIN (SELECT id, kind, row_number() OVER (ORDER BY kind) - 1 AS tn,
                     CASE kind WHEN 'still' THEN 'render_still' WHEN 'turntable' THEN 'render_turntable'
                               WHEN 'glb' THEN 'export_glb' ELSE 'render_thumbnail' END AS step
                FROM output_types WHERE tenant_id = :t) AS t
          ON t.tn = k % 4
    ) AS a
) AS b
"""

_CAD = """
INSERT INTO cad_files (tenant_id, original_name, sha256, size_bytes, storage_key, status, error_code,
                       error, metadata, job_document, created_at, updated_at)
SELECT :t, 'part-' || g || '.step', md5(g::text || CAST(:t AS text)) || md5(g::text), 100000 + g, 'k',
       c.status,
       CASE WHEN c.status = 'failed' THEN (ARRAY['conversion_timeout', 'not_a_step_file',
           'conversion_memory', 'empty_geometry'])[1 + g % 4] END,
       CASE WHEN c.status = 'failed' THEN 'it failed' END,
       jsonb_build_object('counts', jsonb_build_object('parts', 1 + (random() * random() * 3000)::int,
                                                       'triangles', (random() * random() * 3e6)::int)),
       jsonb_build_object('job_id', 'cad:' || g, 'created_at', c.ended - interval '90 seconds',
           'steps', jsonb_build_array(jsonb_build_object('name', 'occ_glb_export',
                                                         'duration_s', 1 + random() * 60))),
       c.ended, c.ended
FROM generate_series(1, :n) AS g,
LATERAL (SELECT CASE WHEN random() < 0.05 + g * 0 THEN 'failed' ELSE 'ready' END AS status,
                now() - random() * interval '365 days' AS ended) AS c
"""

_EVENTS = """
INSERT INTO pipeline_events (tenant_id, job_id, step_name, level, message, duration_s, context, created_at)
SELECT :t, 'line:' || md5((g / 5)::text), (ARRAY['check_cad', 'render_still', 'deliver'])[1 + g % 3], 'info',
       'step event ' || g, random() * 100, '{}', now() - random() * interval '365 days'
FROM generate_series(1, :n) AS g
"""


def _admin(statements: list[tuple[str, dict[str, Any]]], *, autocommit: bool = False) -> None:
    from sqlalchemy import create_engine, text

    from automat.config import get_settings
    from automat.core.urls import admin_url

    engine = create_engine(admin_url(get_settings()), isolation_level="AUTOCOMMIT" if autocommit else None)
    with engine.begin() if not autocommit else engine.connect() as conn:
        for statement, params in statements:
            conn.execute(text(statement), params)
    engine.dispose()


def seed() -> dict[str, Any]:
    tenants = [tenant_with_pm(f"bench-analytics-{i}") for i in range(TENANTS)]
    started = time.perf_counter()
    bypass = ("SELECT set_config('app.current_tenant_id', 'bypass', false)", {})
    per_order = LINES // ORDERS
    for t, _ in tenants:
        _admin(
            [
                bypass,
                (_PRODUCTS, {"t": t, "n": PRODUCTS_PER_TENANT}),
                (_OUTPUT_TYPES, {"t": t}),
                (_ORDERS, {"t": t, "n": ORDERS // TENANTS}),
            ]
        )
    data_s = time.perf_counter() - started
    for t, _ in tenants:
        # per_order lines on each of the tenant's orders (each line's trigger writes its render_stats row).
        _admin(
            [
                bypass,
                ("SET work_mem = '256MB'", {}),
                (_LINES, {"t": t, "per_order": per_order, "products": PRODUCTS_PER_TENANT}),
            ]
        )
    lines_s = time.perf_counter() - started - data_s
    for t, _ in tenants:
        _admin(
            [bypass, (_CAD, {"t": t, "n": CAD_FILES // TENANTS}), (_EVENTS, {"t": t, "n": EVENTS // TENANTS})]
        )
    for table in ("orders", "order_lines", "render_stats", "cad_files", "cad_stats", "pipeline_events"):
        _admin([(f"VACUUM ANALYZE {table}", {})], autocommit=True)
    counts = {}
    from sqlalchemy import create_engine, text

    from automat.config import get_settings
    from automat.core.urls import admin_url

    engine = create_engine(admin_url(get_settings()))
    with engine.connect() as conn:
        for table in ("orders", "order_lines", "render_stats", "cad_stats", "pipeline_events"):
            counts[table] = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
    engine.dispose()
    return {
        "tenant_id": tenants[0][0],
        "counts": counts,
        "seed_s": round(time.perf_counter() - started, 1),
        "lines_with_trigger_s": round(lines_s, 1),
    }


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


async def _measure(tenant_id: Any) -> dict[str, dict[str, Any]]:
    from automat.analytics import service
    from automat.analytics.repository import Filters
    from automat.config import get_settings
    from automat.core.db import BYPASS, AsyncDatabase
    from automat.kit.time import utcnow

    db = AsyncDatabase(get_settings())
    today = utcnow().date()
    start = today - timedelta(days=DAYS - 1)

    def filters(group_by: str = "day", tenant: Any = tenant_id, **extra: Any) -> Filters:
        return Filters(date_from=start, date_to=today, group_by=group_by, tenant_id=tenant, **extra)

    async def failures(session: Any, f: Filters) -> Any:
        return await service.failed_lines(session, f, step="render_still", cursor=None, page_size=50)

    shapes: list[tuple[str, Any, Filters, Any]] = [
        ("renders", service.renders, filters(), tenant_id),
        ("renders_week", service.renders, filters("week"), tenant_id),
        ("renders_gpu_still", service.renders, filters(device="gpu", kind="still"), tenant_id),
        ("renders_all_tenants", service.renders, filters(tenant=None), BYPASS),
        ("render_failures_lines", failures, filters(), tenant_id),
        ("cad", service.cad, filters(), tenant_id),
        ("cad_all_tenants", service.cad, filters(tenant=None), BYPASS),
        ("orders", service.orders, filters(), tenant_id),
        ("orders_week", service.orders, filters("week"), tenant_id),
        ("orders_all_tenants", service.orders, filters(tenant=None), BYPASS),
    ]
    results: dict[str, dict[str, Any]] = {}
    try:
        for name, fn, f, scope in shapes:

            async def once(fn: Any = fn, f: Filters = f, scope: Any = scope) -> Any:
                async with db.session(scope) as session:
                    return await fn(session, f)

            found = await once()
            samples = []
            for _ in range(ROUNDS):
                began = time.perf_counter()
                await once()
                samples.append(time.perf_counter() - began)
            entry: dict[str, Any] = {
                "p50_ms": round(statistics.median(samples) * 1000, 1),
                "p95_ms": round(_p95(samples) * 1000, 1),
            }
            if hasattr(found, "totals"):
                entry["jobs"] = found.totals.count
            elif hasattr(found, "created"):
                entry["orders"] = found.created
            elif hasattr(found, "ready"):
                entry["files"] = found.count
            results[name] = entry
            print(f"bench analytics: {name} {entry}", file=sys.stderr, flush=True)
    finally:
        await db.dispose()
    return results


async def _baseline(tenant_id: Any) -> float:
    """Render percentiles per day straight from the lines' job documents, 90 days."""
    from sqlalchemy import text

    from automat.config import get_settings
    from automat.core.db import AsyncDatabase

    db = AsyncDatabase(get_settings())
    sql = text(
        "SELECT (l.finished_at AT TIME ZONE 'UTC')::date AS day, count(*), "
        "percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY (s->>'duration_s')::float8) "
        "FROM order_lines l CROSS JOIN LATERAL jsonb_array_elements(l.job_document->'steps') s "
        "WHERE l.tenant_id = :t AND l.finished_at >= now() - interval '90 days' "
        "AND s->>'name' LIKE 'render%' GROUP BY 1"
    )
    samples = []
    try:
        for _ in range(5):
            async with db.session(tenant_id) as session:
                began = time.perf_counter()
                await session.execute(sql, {"t": tenant_id})
                samples.append(time.perf_counter() - began)
    finally:
        await db.dispose()
    return statistics.median(samples)


def main() -> None:
    with private_database():
        info = seed()
        results = asyncio.run(_measure(info["tenant_id"]))
        baseline_s = asyncio.run(_baseline(info["tenant_id"]))
    worst = max(results.items(), key=lambda kv: kv[1]["p95_ms"])
    over = {name: r["p95_ms"] for name, r in results.items() if r["p95_ms"] > TARGET_S * 1000}
    report(
        "analytics",
        baseline_s,
        worst[1]["p95_ms"] / 1000,
        tenants=TENANTS,
        rows=info["counts"],
        days=DAYS,
        rounds=ROUNDS,
        target_p95_s=TARGET_S,
        worst_endpoint=worst[0],
        within_target=not over,
        over_target_ms=over,
        seed_s=info["seed_s"],
        lines_with_trigger_s=info["lines_with_trigger_s"],
        endpoints=results,
        note=(
            "p50/p95 of automat.analytics.service per endpoint over the last 90 days, in a tenant's "
            "transaction (application role, RLS) or a global admin's over every tenant; baseline = the "
            "render percentiles per day parsed from the order lines' job documents"
        ),
    )

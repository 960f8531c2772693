"""The analytics queries: every figure is aggregated by PostgreSQL (``percentile_cont``,
``GROUPING SETS``, ``width_bucket``); Python only names the rows it gets back.

They read the rollups ``render_stats`` and ``cad_stats`` (migration 0031) through the request's
session, so RLS keeps a tenant to its own rows; ``tenant`` (a global admin's filter, or the
tenant's own id) is also named in the WHERE clause so the ``(tenant_id, day)`` indexes apply.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

QUANTILES = "ARRAY[0.5, 0.9, 0.95]::float8[]"
PERIOD = {"day": "day", "week": "date_trunc('week', day)::date"}


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date  # inclusive
    group_by: str  # day | week
    tenant_id: uuid.UUID | None = None
    output_type_id: uuid.UUID | None = None
    kind: str | None = None
    device: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime:  # exclusive
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=UTC)

    @property
    def period(self) -> str:
        return PERIOD[self.group_by]


def _stats_where(f: Filters, *, render: bool, alias: str = "") -> tuple[str, dict[str, Any]]:
    """The WHERE clause over ``render_stats``/``cad_stats`` (``render``: the render-only filters too;
    ``alias``: the table's alias with its dot)."""
    clauses = [f"{alias}day BETWEEN :date_from AND :date_to"]
    params: dict[str, Any] = {"date_from": f.date_from, "date_to": f.date_to}
    if f.tenant_id is not None:
        clauses.append(f"{alias}tenant_id = :tenant_id")
        params["tenant_id"] = f.tenant_id
    if render:
        for column, value in (("output_type_id", f.output_type_id), ("kind", f.kind), ("device", f.device)):
            if value is not None:
                clauses.append(f"{alias}{column} = :{column}")
                params[column] = value
    return " AND ".join(clauses), params


SORT_MEMORY = "32MB"


async def sort_in_memory(session: AsyncSession) -> None:
    """Let this transaction's sorts stay in memory: a summary sorts every row of its range for its
    percentiles, and the server's default ``work_mem`` (4 MB) spills a global admin's 90 days of
    renders to disk (measured with ``bench/analytics``). ``SET LOCAL`` ends with the transaction."""
    await session.execute(text(f"SET LOCAL work_mem = '{SORT_MEMORY}'"))


def _p(values: list[float] | None) -> dict[str, float | None]:
    values = values or [None, None, None]  # type: ignore[list-item]
    return {"p50": values[0], "p90": values[1], "p95": values[2]}


# -- renders ----------------------------------------------------------------------------------------


def _render_figures(row: Any) -> dict[str, Any]:
    known = row.gpu + row.cpu
    return {
        "count": row.n,
        "completed": row.completed,
        "failed": row.failed,
        "gpu": row.gpu,
        "cpu": row.cpu,
        "gpu_share": round(row.gpu / known, 4) if known else None,
        "render_s": _p(row.render_p),
        "wait_s": _p(row.wait_p),
        "e2e_s": _p(row.e2e_p),
    }


async def render_summary(session: AsyncSession, f: Filters) -> dict[str, Any]:
    """Totals, one row per period and one per output type, in one pass over the range."""
    where, params = _stats_where(f, render=True)
    sql = f"""
        SELECT GROUPING(period) AS g_period, GROUPING(output_type_id) AS g_type, period, output_type_id,
               count(*) AS n,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               count(*) FILTER (WHERE device = 'gpu') AS gpu,
               count(*) FILTER (WHERE device = 'cpu') AS cpu,
               percentile_cont({QUANTILES}) WITHIN GROUP (ORDER BY render_s)
                   FILTER (WHERE status = 'completed') AS render_p,
               percentile_cont({QUANTILES}) WITHIN GROUP (ORDER BY wait_s)
                   FILTER (WHERE status = 'completed') AS wait_p,
               percentile_cont({QUANTILES}) WITHIN GROUP (ORDER BY e2e_s)
                   FILTER (WHERE status = 'completed') AS e2e_p
          FROM (SELECT {f.period} AS period, output_type_id, status, device, render_s, wait_s, e2e_s
                  FROM render_stats WHERE {where}) s
         GROUP BY GROUPING SETS ((), (period), (output_type_id))
    """  # noqa: S608 (fixed fragments; values are bound)
    rows = (await session.execute(text(sql), params)).all()
    totals: dict[str, Any] | None = None
    series, by_type = [], []
    for row in rows:
        if row.g_period and row.g_type:
            totals = _render_figures(row)
        elif not row.g_period:
            series.append({"period": row.period, **_render_figures(row)})
        else:
            by_type.append({"output_type_id": row.output_type_id, **_render_figures(row)})
    if by_type:
        names = await session.execute(
            text("SELECT id, name, kind FROM output_types WHERE id = ANY(:ids)"),
            {"ids": [t["output_type_id"] for t in by_type]},
        )
        known = {r.id: r for r in names}
        for entry in by_type:
            found = known.get(entry["output_type_id"])
            entry["name"] = found.name if found else str(entry["output_type_id"])
            entry["kind"] = found.kind if found else "unknown"
    series.sort(key=lambda s: s["period"])
    by_type.sort(key=lambda t: (-t["count"], t["name"]))
    empty = {"n": 0, "completed": 0, "failed": 0, "gpu": 0, "cpu": 0, "render_p": None}
    return {
        "totals": totals or _render_figures(_Row({**empty, "wait_p": None, "e2e_p": None})),
        "series": series,
        "by_output_type": by_type,
    }


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


async def render_failures(session: AsyncSession, f: Filters, *, top: int = 5) -> list[dict[str, Any]]:
    """Failed jobs by step, each with its ``top`` most frequent (normalised) error messages."""
    where, params = _stats_where(f, render=True)
    sql = f"""
        WITH failed AS (
            SELECT failed_step, error_key, error FROM render_stats WHERE {where} AND status = 'failed'
        ), steps AS (
            SELECT failed_step, count(*) AS n FROM failed GROUP BY failed_step
        ), errors AS (
            SELECT failed_step, coalesce(error_key, '') AS error_key, min(error) AS example, count(*) AS n,
                   row_number() OVER (PARTITION BY failed_step ORDER BY count(*) DESC, error_key) AS rank
              FROM failed GROUP BY failed_step, error_key
        )
        SELECT s.failed_step AS step, s.n AS step_count, e.error_key, e.example, e.n AS error_count
          FROM steps s LEFT JOIN errors e ON e.failed_step = s.failed_step AND e.rank <= :top
         ORDER BY s.n DESC, s.failed_step, e.n DESC, e.error_key
    """  # noqa: S608
    rows = (await session.execute(text(sql), {**params, "top": top})).all()
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        step = row.step or "unknown"
        entry = out.setdefault(step, {"step": step, "count": row.step_count, "top_errors": []})
        if row.error_count:
            entry["top_errors"].append(
                {"message": row.error_key or "", "example": row.example or "", "count": row.error_count}
            )
    return list(out.values())


async def failed_lines(
    session: AsyncSession,
    f: Filters,
    *,
    step: str | None,
    after: tuple[Any, ...] | None,
    limit: int,
) -> tuple[list[Any], int]:
    """The failed jobs of the range (newest first, keyset ``(finished_at, id)``) with their line,
    order, product and output type, and how many there are."""
    where, params = _stats_where(f, render=True, alias="r.")
    where += " AND r.status = 'failed'"
    if step is not None:
        where += " AND r.failed_step = :step"
        params["step"] = step
    count_sql = f"SELECT count(*) FROM render_stats r WHERE {where}"  # noqa: S608
    total = (await session.execute(text(count_sql), params)).scalar_one()
    if after is not None:
        where += " AND (r.finished_at, r.id) < (:after_at, :after_id)"
        params.update(after_at=after[0], after_id=after[1])
    sql = f"""
        SELECT r.id, r.line_id, r.order_id, r.failed_step, r.error, r.finished_at,
               o.number AS order_number, p.name AS product_name, t.name AS output_type_name
          FROM render_stats r
          LEFT JOIN orders o ON o.id = r.order_id
          LEFT JOIN order_lines l ON l.id = r.line_id
          LEFT JOIN products p ON p.id = l.product_id
          LEFT JOIN output_types t ON t.id = r.output_type_id
         WHERE {where}
         ORDER BY r.finished_at DESC, r.id DESC
         LIMIT :limit
    """  # noqa: S608
    rows = (await session.execute(text(sql), {**params, "limit": limit})).all()
    return list(rows), int(total)


# -- CAD --------------------------------------------------------------------------------------------

PARTS_EDGES = [0, 2, 11, 51, 201, 1001]
TRIANGLE_EDGES = [0, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]
LINE_EDGES = [1, 2, 6, 11, 26, 51, 101]


def buckets(edges: list[int], counts: dict[int, int]) -> list[dict[str, Any]]:
    """Named histogram buckets from ``width_bucket(value, edges)`` counts (bucket i: edges[i-1] ≤ v <
    edges[i]; the last one open-ended)."""
    out = []
    for i, low in enumerate(edges, start=1):
        high = edges[i] - 1 if i < len(edges) else None
        label = f"{low:,}+" if high is None else (f"{low:,}" if high == low else f"{low:,}-{high:,}")
        out.append({"label": label, "low": low, "high": high, "count": counts.get(i, 0)})
    return out


async def cad_summary(session: AsyncSession, f: Filters) -> dict[str, Any]:
    where, params = _stats_where(f, render=False)
    sql = f"""
        SELECT GROUPING(period) AS g_period, period, count(*) AS n,
               count(*) FILTER (WHERE status = 'ready') AS ready,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               percentile_cont({QUANTILES}) WITHIN GROUP (ORDER BY conversion_s)
                   FILTER (WHERE status = 'ready') AS conversion_p,
               percentile_cont({QUANTILES}) WITHIN GROUP (ORDER BY processing_s)
                   FILTER (WHERE status = 'ready') AS processing_p
          FROM (SELECT {f.period} AS period, status, conversion_s, processing_s
                  FROM cad_stats WHERE {where}) s
         GROUP BY GROUPING SETS ((), (period))
    """  # noqa: S608
    rows = (await session.execute(text(sql), params)).all()
    totals = next((r for r in rows if r.g_period), None)
    series = sorted(
        (
            {
                "period": r.period,
                "count": r.n,
                "failed": r.failed,
                "conversion_p50": (r.conversion_p or [None])[0],
                "conversion_p95": (r.conversion_p or [None, None, None])[2],
            }
            for r in rows
            if not r.g_period
        ),
        key=lambda s: s["period"],
    )
    reasons = await session.execute(
        text(
            f"SELECT coalesce(error_code, 'unknown') AS reason, count(*) AS n FROM cad_stats "  # noqa: S608
            f"WHERE {where} AND status = 'failed' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"
        ),
        params,
    )
    histogram = await session.execute(
        text(
            f"""
            SELECT 'parts' AS measure, width_bucket(parts, :parts_edges) AS b, count(*) AS n
              FROM cad_stats WHERE {where} AND status = 'ready' AND parts IS NOT NULL GROUP BY 2
            UNION ALL
            SELECT 'triangles', width_bucket(triangles, :triangle_edges), count(*)
              FROM cad_stats WHERE {where} AND status = 'ready' AND triangles IS NOT NULL GROUP BY 2
            """  # noqa: S608
        ),
        {**params, "parts_edges": PARTS_EDGES, "triangle_edges": TRIANGLE_EDGES},
    )
    counts: dict[str, dict[int, int]] = {"parts": {}, "triangles": {}}
    for row in histogram:
        counts[row.measure][row.b] = row.n
    return {
        "count": totals.n if totals else 0,
        "ready": totals.ready if totals else 0,
        "failed": totals.failed if totals else 0,
        "conversion_s": _p(totals.conversion_p if totals else None),
        "processing_s": _p(totals.processing_p if totals else None),
        "series": series,
        "failure_reasons": [{"reason": r.reason, "count": r.n} for r in reasons],
        "parts": buckets(PARTS_EDGES, counts["parts"]),
        "triangles": buckets(TRIANGLE_EDGES, counts["triangles"]),
    }


# -- orders -----------------------------------------------------------------------------------------


def _orders_cte(f: Filters) -> tuple[str, dict[str, Any]]:
    clauses = ["created_at >= :start", "created_at < :end"]
    params: dict[str, Any] = {"start": f.start, "end": f.end}
    if f.tenant_id is not None:
        clauses.append("tenant_id = :tenant_id")
        params["tenant_id"] = f.tenant_id
    period = "(created_at AT TIME ZONE 'UTC')::date"
    if f.group_by == "week":
        period = f"date_trunc('week', {period})::date"
    cte = (
        f"WITH o AS (SELECT id, status, submission_count, history, {period} AS period "  # noqa: S608
        f"FROM orders WHERE {' AND '.join(clauses)})"
    )
    return cte, params


async def order_summary(session: AsyncSession, f: Filters) -> dict[str, Any]:
    cte, params = _orders_cte(f)
    counts = (
        await session.execute(
            text(
                f"""{cte}
                SELECT GROUPING(period) AS g_period, GROUPING(status) AS g_status, period, status,
                       count(*) AS n,
                       count(*) FILTER (WHERE submission_count > 0) AS submitted,
                       count(*) FILTER (WHERE history @> '[{{"transition": "reject"}}]') AS rejected
                  FROM o GROUP BY GROUPING SETS ((), (status), (period), (period, status))
                """  # noqa: S608
            ),
            params,
        )
    ).all()
    totals = next((r for r in counts if r.g_period and r.g_status), None)
    statuses = sorted(
        ({"status": r.status, "count": r.n} for r in counts if r.g_period and not r.g_status),
        key=lambda s: (-s["count"], s["status"]),
    )
    periods: dict[date, dict[str, Any]] = {}
    for r in counts:
        if not r.g_period and r.g_status:
            periods.setdefault(r.period, {"period": r.period, "statuses": []})["created"] = r.n
    for r in counts:
        if not r.g_period and not r.g_status:
            periods[r.period]["statuses"].append({"status": r.status, "count": r.n})
    lines = (
        await session.execute(
            text(
                f"""{cte}, per_order AS (
                    SELECT o.id, count(*) AS n FROM o JOIN order_lines l ON l.order_id = o.id GROUP BY o.id
                )
                SELECT avg(n)::float8 AS average,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS p50,
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY n) AS p95,
                       max(n) AS max,
                       (SELECT coalesce(jsonb_object_agg(b, c), '{{}}'::jsonb) FROM (
                           SELECT width_bucket(n, :edges) AS b, count(*) AS c FROM per_order GROUP BY 1
                       ) h) AS histogram
                  FROM per_order
                """  # noqa: S608
            ),
            {**params, "edges": LINE_EDGES},
        )
    ).one()
    reasons = await session.execute(
        text(
            f"""{cte}
            SELECT coalesce(nullif(btrim(e->>'reason'), ''), '') AS reason, count(*) AS n
              FROM o CROSS JOIN LATERAL jsonb_array_elements(o.history) e
             WHERE e->>'transition' = 'reject'
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10
            """  # noqa: S608
        ),
        params,
    )
    submitted = totals.submitted if totals else 0
    rejected = totals.rejected if totals else 0
    return {
        "created": totals.n if totals else 0,
        "submitted": submitted,
        "rejected": rejected,
        "rejection_rate": round(rejected / submitted, 4) if submitted else None,
        "statuses": statuses,
        "series": [periods[k] for k in sorted(periods)],
        "lines_per_order": {
            "average": round(lines.average, 3) if lines.average is not None else None,
            "p50": lines.p50,
            "p95": lines.p95,
            "max": lines.max,
            "buckets": buckets(LINE_EDGES, {int(k): v for k, v in (lines.histogram or {}).items()}),
        },
        "rejection_reasons": [{"reason": r.reason, "count": r.n} for r in reasons],
    }

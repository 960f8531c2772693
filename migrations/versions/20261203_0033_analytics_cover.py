"""Covering indexes for the render analytics: the render summary reads every job of a range
(a global admin's 90 days: about 50,000 rows) for its counts and percentiles. With the figures it
reads in the index, the rows come from an index-only scan already in day order, without a heap
visit or the sort by day the plain ``(tenant_id, day)`` / ``(day)`` indexes left (measured with
``bench/analytics``). They replace those two; their leading columns serve the same lookups.

The order analytics count each order's lines (a global admin's 90 days: 5,000 orders, 50,000
lines): ``order_lines (order_id)`` with ``tenant_id`` included (the row-level security filter reads
it) answers that from the index alone, where the plain index lost to a scan of every line.

Revision ID: 0033_analytics_cover
Revises: 0028_admin_jobs
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033_analytics_cover"
down_revision: str | None = "0028_admin_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURES = ["output_type_id", "kind", "status", "device", "render_s", "wait_s", "e2e_s"]


def upgrade() -> None:
    op.create_index(
        "ix_render_stats_tenant_day_figures", "render_stats", ["tenant_id", "day"], postgresql_include=FIGURES
    )
    op.create_index(
        "ix_render_stats_day_figures", "render_stats", ["day"], postgresql_include=["tenant_id", *FIGURES]
    )
    op.drop_index("ix_render_stats_tenant_day", table_name="render_stats")
    op.drop_index("ix_render_stats_day", table_name="render_stats")
    op.create_index(
        "ix_order_lines_order_tenant", "order_lines", ["order_id"], postgresql_include=["tenant_id"]
    )
    op.drop_index("ix_order_lines_order", table_name="order_lines")


def downgrade() -> None:
    op.create_index("ix_order_lines_order", "order_lines", ["order_id"])
    op.drop_index("ix_order_lines_order_tenant", table_name="order_lines")
    op.create_index("ix_render_stats_day", "render_stats", ["day"])
    op.create_index("ix_render_stats_tenant_day", "render_stats", ["tenant_id", "day"])
    op.drop_index("ix_render_stats_day_figures", table_name="render_stats")
    op.drop_index("ix_render_stats_tenant_day_figures", table_name="render_stats")

"""CAD and order analytics against hand-built files and orders."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.analytics.conftest import at, cad_file, make_order, render_line
from tests.analytics.test_renders import DAY1, DAY2, get
from tests.support.factories import make_output_type, make_tenant


def test_cad_conversion_percentiles_reasons_and_histograms(
    client: TestClient, as_role: Any, app_db: SyncDatabase
) -> None:
    tenant = make_tenant(app_db)
    # Ready: conversions 1, 2, 3, 4 s (processing 10, 20, 30, 40 s); parts 1, 5, 60, 2000.
    for i, (parts, triangles) in enumerate(((1, 500), (5, 5_000), (60, 50_000), (2000, 2_000_000)), start=1):
        cad_file(app_db, tenant, ended=at(DAY1, 10 + i), conversion_s=i, processing_s=10 * i,
                 parts=parts, triangles=triangles)  # fmt: skip
    for code in ("conversion_timeout", "conversion_timeout", "not_a_step_file"):
        cad_file(app_db, tenant, ended=at(DAY2), conversion_s=None, processing_s=5, error_code=code)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    body = get(client, pm.headers, "cad")
    assert (body["count"], body["ready"], body["failed"]) == (7, 4, 3)
    assert body["conversion_s"] == pytest.approx({"p50": 2.5, "p90": 3.7, "p95": 3.85})
    assert body["processing_s"]["p50"] == pytest.approx(25.0)
    assert body["failure_reasons"] == [
        {"reason": "conversion_timeout", "count": 2},
        {"reason": "not_a_step_file", "count": 1},
    ]
    parts = {b["label"]: b["count"] for b in body["parts"]}
    assert parts == {"0-1": 1, "2-10": 1, "11-50": 0, "51-200": 1, "201-1,000": 0, "1,001+": 1}
    triangles = {b["label"]: b["count"] for b in body["triangles"]}
    assert triangles["0-999"] == 1 and triangles["1,000,000-9,999,999"] == 1
    days = {s["period"]: s for s in body["series"]}
    assert days["2026-06-10"]["conversion_p50"] == pytest.approx(2.5)
    assert days["2026-06-11"]["failed"] == 3


def test_orders_by_status_lines_per_order_and_rejections(
    client: TestClient, as_role: Any, app_db: SyncDatabase
) -> None:
    tenant = make_tenant(app_db)
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL)
    reject = {"transition": "reject", "from": "submitted", "to": "rejected", "reason": "Wrong colour"}
    orders = [
        make_order(app_db, tenant, created=at(DAY1), status="completed"),
        make_order(app_db, tenant, created=at(DAY1), status="rejected", history=[reject]),
        make_order(
            app_db,
            tenant,
            created=at(DAY2),
            status="completed",
            history=[reject, {**reject, "reason": "Missing parts"}],
        ),
        make_order(app_db, tenant, created=at(DAY2), status="draft", submissions=0),
    ]
    for order, n in zip(orders, (1, 3, 5, 11), strict=True):
        for _ in range(n):
            render_line(
                app_db, tenant, order_id=order, output_type_id=still, queued=at(DAY1), wait_s=1, render_s=1
            )
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    body = get(client, pm.headers, "orders")
    assert (body["created"], body["submitted"], body["rejected"]) == (4, 3, 2)
    assert body["rejection_rate"] == pytest.approx(0.6667)
    assert {s["status"]: s["count"] for s in body["statuses"]} == {"completed": 2, "rejected": 1, "draft": 1}
    assert [(p["period"], p["created"]) for p in body["series"]] == [("2026-06-10", 2), ("2026-06-11", 2)]
    day2 = {s["status"]: s["count"] for s in body["series"][1]["statuses"]}
    assert day2 == {"completed": 1, "draft": 1}
    lines = body["lines_per_order"]
    assert (lines["average"], lines["p50"], lines["max"]) == (5.0, 4.0, 11)
    assert lines["p95"] == pytest.approx(10.1)  # 1, 3, 5, 11: 5 + 0.85·6
    assert {b["label"]: b["count"] for b in lines["buckets"]}["11-25"] == 1
    assert body["rejection_reasons"] == [
        {"reason": "Wrong colour", "count": 2},
        {"reason": "Missing parts", "count": 1},
    ]

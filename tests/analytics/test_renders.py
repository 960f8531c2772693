"""Render analytics against a hand-built data set whose percentiles are known.

percentile_cont interpolates: for n sorted values the p-quantile sits at position p*(n-1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.analytics.conftest import at, make_order, render_line
from tests.support.factories import MadeTenant, make_output_type, make_tenant

DAY1, DAY2 = date(2026, 6, 10), date(2026, 6, 11)  # a Wednesday and a Thursday
RANGE = {"from": "2026-06-01", "to": "2026-06-30"}


@dataclass
class Data:
    tenant: MadeTenant
    still: uuid.UUID
    turntable: uuid.UUID


def build(db: SyncDatabase, tenant: MadeTenant) -> Data:
    still = make_output_type(db, tenant=tenant, kind=OutputKind.STILL, name="Still 2k")
    turntable = make_output_type(db, tenant=tenant, kind=OutputKind.TURNTABLE, name="Turntable")
    order = make_order(db, tenant)
    # Day 1: five stills, render 10..50 s, wait 1..5 s; three on the GPU, two on the CPU fallback.
    devices = ["NVIDIA RTX A4000 (OPTIX)"] * 3 + ["CPU (AMD EPYC 7B13)"] * 2
    for i, device in enumerate(devices):
        render_line(
            db, tenant, order_id=order, output_type_id=still, queued=at(DAY1, 9 + i),
            wait_s=i + 1, render_s=10 * (i + 1), device=device,
        )  # fmt: skip
    # Day 2: two turntables (wait 6 and 7 s, render 100 and 200 s, CPU) and four failures.
    for wait, seconds in ((6, 100), (7, 200)):
        render_line(
            db, tenant, order_id=order, output_type_id=turntable, step="render_turntable",
            queued=at(DAY2, 9), wait_s=wait, render_s=seconds, device="CPU",
        )  # fmt: skip
    for pid in (4711, 4712):
        render_line(
            db, tenant, order_id=order, output_type_id=still, queued=at(DAY2, 10), wait_s=1, render_s=3,
            fail_step="render_still", error=f"the render host died (pid {pid})",
        )  # fmt: skip
    render_line(
        db, tenant, order_id=order, output_type_id=still, queued=at(DAY2, 10), wait_s=1, render_s=3,
        fail_step="render_still", error="Blender could not read the GLB",
    )  # fmt: skip
    render_line(
        db, tenant, order_id=order, output_type_id=turntable, queued=at(DAY2, 11), wait_s=0, render_s=0,
        fail_step="check_cad", error="Product P-1 has no CAD file; link one, then retry this step.",
    )  # fmt: skip
    return Data(tenant, still, turntable)


@pytest.fixture
def data(app_db: SyncDatabase) -> Data:
    return build(app_db, make_tenant(app_db))


def get(client: TestClient, headers: dict[str, str], path: str, **params: Any) -> Any:
    response = client.get(f"/api/analytics/{path}", params={**RANGE, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_totals_percentiles_and_device_share(client: TestClient, as_role: Any, data: Data) -> None:
    pm = as_role(data.tenant, Role.PROJECT_MANAGER)
    body = get(client, pm.headers, "renders")
    totals = body["totals"]
    assert (totals["count"], totals["completed"], totals["failed"]) == (11, 7, 4)
    # Completed renders: 10, 20, 30, 40, 50, 100, 200 s.
    assert totals["render_s"] == pytest.approx({"p50": 40.0, "p90": 140.0, "p95": 170.0})
    # Waits 1..7 s; end to end = wait + render + 2 s delivery.
    assert totals["wait_s"] == pytest.approx({"p50": 4.0, "p90": 6.4, "p95": 6.7})
    assert totals["e2e_s"]["p50"] == pytest.approx(46.0)  # 13, 24, 35, 46, 57, 108, 209
    assert (totals["gpu"], totals["cpu"]) == (3, 4)
    assert totals["gpu_share"] == pytest.approx(3 / 7, abs=1e-4)


def test_per_day_per_week_and_per_output_type(client: TestClient, as_role: Any, data: Data) -> None:
    pm = as_role(data.tenant, Role.TENANT_ADMIN)
    body = get(client, pm.headers, "renders")
    days = {s["period"]: s for s in body["series"]}
    assert set(days) == {"2026-06-10", "2026-06-11"}
    assert (days["2026-06-10"]["count"], days["2026-06-11"]["count"]) == (5, 6)
    assert days["2026-06-10"]["render_s"] == pytest.approx({"p50": 30.0, "p90": 46.0, "p95": 48.0})
    assert days["2026-06-11"]["failed"] == 4
    by_type = {t["name"]: t for t in body["by_output_type"]}
    assert by_type["Still 2k"]["kind"] == "still" and by_type["Still 2k"]["count"] == 8
    assert by_type["Still 2k"]["render_s"] == pytest.approx({"p50": 30.0, "p90": 46.0, "p95": 48.0})
    assert by_type["Turntable"]["render_s"]["p50"] == pytest.approx(150.0)
    weeks = get(client, pm.headers, "renders", group_by="week")["series"]
    assert [(w["period"], w["count"]) for w in weeks] == [("2026-06-08", 11)]


def test_filters(client: TestClient, as_role: Any, data: Data) -> None:
    pm = as_role(data.tenant, Role.PROJECT_MANAGER)
    assert get(client, pm.headers, "renders", device="gpu")["totals"]["count"] == 3
    cpu = get(client, pm.headers, "renders", device="cpu")["totals"]
    assert cpu["count"] == 4 and cpu["gpu_share"] == 0
    assert get(client, pm.headers, "renders", kind="turntable")["totals"]["count"] == 3
    assert get(client, pm.headers, "renders", output_type_id=str(data.still))["totals"]["count"] == 8
    outside = get(client, pm.headers, "renders", **{"from": "2026-06-11", "to": "2026-06-30"})["totals"]
    assert outside["count"] == 6


def test_failures_by_step_with_messages_and_their_lines(client: TestClient, as_role: Any, data: Data) -> None:
    pm = as_role(data.tenant, Role.PROJECT_MANAGER)
    failures = {f["step"]: f for f in get(client, pm.headers, "renders")["failures_by_step"]}
    assert {s: f["count"] for s, f in failures.items()} == {"render_still": 3, "check_cad": 1}
    top = failures["render_still"]["top_errors"]
    assert (top[0]["message"], top[0]["count"]) == ("the render host died (pid N)", 2)
    assert top[0]["example"].startswith("the render host died (pid 471")
    assert (top[1]["message"], top[1]["count"]) == ("Blender could not read the GLB", 1)
    assert failures["check_cad"]["top_errors"][0]["message"].startswith("Product P-N has no CAD file")
    lines = get(client, pm.headers, "renders/failures", step="render_still", page_size=2)
    assert lines["total"] == 3 and len(lines["items"]) == 2 and lines["next_cursor"]
    rest = get(client, pm.headers, "renders/failures", step="render_still", cursor=lines["next_cursor"])
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    item = rest["items"][0]
    assert item["order_number"].startswith("ORD") and item["output_type_name"] == "Still 2k"
    assert item["failed_step"] == "render_still"


def test_a_retried_job_counts_once_as_it_ended(
    client: TestClient, as_role: Any, app_db: SyncDatabase
) -> None:
    """A failed job retried to completion replaces its failure (same job id)."""
    tenant = make_tenant(app_db)
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL)
    line_id = render_line(
        app_db, tenant, order_id=make_order(app_db, tenant), output_type_id=still, queued=at(DAY1),
        wait_s=1, render_s=5, fail_step="render_still", error="out of memory",
    )  # fmt: skip
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    assert get(client, pm.headers, "renders")["totals"]["failed"] == 1
    from automat.models.order import OrderLine

    with app_db.session(tenant.id) as session:
        line = session.get(OrderLine, line_id)
        assert line is not None
        doc = dict(line.job_document)
        doc["steps"] = [{**s, "status": "completed", "error": None, "device": "CPU"} for s in doc["steps"]]
        line.job_document, line.render_status, line.finished_at = doc, "completed", at(DAY1, 13)
    totals = get(client, pm.headers, "renders")["totals"]
    assert (totals["count"], totals["completed"], totals["failed"], totals["cpu"]) == (1, 1, 0, 1)


def test_clients_are_refused(client: TestClient, as_role: Any, data: Data) -> None:
    customer = as_role(data.tenant, Role.CLIENT)
    for path in ("renders", "renders/failures", "cad", "orders"):
        response = client.get(f"/api/analytics/{path}", params=RANGE, headers=customer.headers)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "insufficient_role"


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-06-30", "to": "2026-06-01"},  # backwards
        {"from": "2026-06-01", "to": "2026-06-01"},  # empty
        {"from": "2025-01-01", "to": "2026-06-01"},  # more than a year
        {"from": "0001-01-01", "to": "0001-01-05"},  # not a day the analytics know
        {"to": "9999-12-31"},
    ],
)
def test_invalid_ranges_are_422(client: TestClient, as_role: Any, data: Data, params: dict[str, str]) -> None:
    pm = as_role(data.tenant, Role.PROJECT_MANAGER)
    for path in ("renders", "cad", "orders", "renders/failures"):
        response = client.get(f"/api/analytics/{path}", params=params, headers=pm.headers)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"]["code"] == "invalid_range"


def test_a_year_is_allowed_and_the_default_is_thirty_days(
    client: TestClient, as_role: Any, data: Data
) -> None:
    pm = as_role(data.tenant, Role.PROJECT_MANAGER)
    year = get(client, pm.headers, "renders", **{"from": "2025-07-01", "to": "2026-07-01"})
    assert year["totals"]["count"] == 11
    default = client.get("/api/analytics/renders", headers=pm.headers).json()["range"]
    assert (date.fromisoformat(default["date_to"]) - date.fromisoformat(default["date_from"])).days == 29

"""Tenant A never sees tenant B's numbers; global admins see all, or one tenant's by filter."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.analytics.conftest import at, cad_file, make_order, render_line
from tests.analytics.test_renders import DAY1, RANGE, get
from tests.support.factories import MadeTenant, make_output_type, make_tenant


def _renders(db: SyncDatabase, tenant: MadeTenant, n: int, render_s: float) -> None:
    still = make_output_type(db, tenant=tenant, kind=OutputKind.STILL)
    order = make_order(db, tenant, created=at(DAY1, 8))
    for _ in range(n):
        render_line(
            db, tenant, order_id=order, output_type_id=still, queued=at(DAY1), wait_s=1, render_s=render_s
        )
    cad_file(
        db, tenant, ended=at(DAY1), conversion_s=render_s, processing_s=render_s * 2, parts=3, triangles=10
    )


def test_tenants_see_only_their_own_numbers(client: TestClient, as_role: Any, app_db: SyncDatabase) -> None:
    a, b = make_tenant(app_db), make_tenant(app_db)
    _renders(app_db, a, 2, 10.0)
    _renders(app_db, b, 3, 99.0)
    pm_a, ta_b = as_role(a, Role.PROJECT_MANAGER), as_role(b, Role.TENANT_ADMIN)
    seen_a = get(client, pm_a.headers, "renders")["totals"]
    seen_b = get(client, ta_b.headers, "renders")["totals"]
    assert (seen_a["count"], seen_a["render_s"]["p50"]) == (2, 10.0)
    assert (seen_b["count"], seen_b["render_s"]["p50"]) == (3, 99.0)
    assert get(client, pm_a.headers, "cad")["conversion_s"]["p50"] == 10.0
    assert get(client, pm_a.headers, "orders")["created"] == 1
    # Naming the other tenant is answered like an unknown one.
    other = client.get(
        "/api/analytics/renders", params={**RANGE, "tenant_id": str(b.id)}, headers=pm_a.headers
    )
    assert other.status_code == 404
    failures = get(client, pm_a.headers, "renders/failures")
    assert failures["total"] == 0

    ga = as_role(None, Role.GLOBAL_ADMIN)
    only_b = get(client, ga.headers, "renders", tenant_id=str(b.id))["totals"]
    assert (only_b["count"], only_b["render_s"]["p50"]) == (3, 99.0)
    assert get(client, ga.headers, "cad", tenant_id=str(a.id))["count"] == 1
    assert get(client, ga.headers, "orders", tenant_id=str(b.id))["created"] == 1
    everyone = get(client, ga.headers, "renders")["totals"]
    assert everyone["count"] >= 5  # every tenant's (other tests add theirs)

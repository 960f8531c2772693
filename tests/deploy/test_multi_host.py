"""Two worker hosts, one installation: PostgreSQL and Redis on TCP, each host in its own network
namespace with its own host name, one shared storage (``tests/support/hosts.py``).

An order of six renders is worked on by both hosts; one host loses power mid-render (every process
in its namespace is killed); beat sees its heartbeat stop and gives its render back to the queue,
the other host renders it, and the order completes with exactly one asset per line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from automat.core.db import BYPASS
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.cad.conftest import BEARING, fixture
from tests.support import hosts
from tests.support.factories import DEFAULT_PASSWORD, make_output_type, make_tenant, make_user

pytestmark = pytest.mark.skipif(hosts.available() is not None, reason=str(hosts.available()))

LINES = 6


@pytest.fixture
def farm(tmp_path: Path) -> Iterator[hosts.Cluster]:
    with hosts.cluster(tmp_path) as made:
        yield made


def test_two_worker_hosts_share_an_order_and_a_dead_hosts_render_is_redelivered(farm: hosts.Cluster) -> None:
    db = farm.database()
    tenant = make_tenant(db)
    pm_user = make_user(db, tenant=tenant, role=Role.PROJECT_MANAGER)
    ga_user = make_user(db, tenant=None, role=Role.GLOBAL_ADMIN)
    still = make_output_type(
        db, tenant=tenant, kind=OutputKind.STILL, name="Still", width=96, height=96, samples=64
    )
    farm.start_worker_host("host-a")
    farm.start_worker_host("host-b")
    with httpx.Client(base_url=farm.api_url, trust_env=False, timeout=30) as http:
        pm, ga = (farm.login(http, u.email, DEFAULT_PASSWORD) for u in (pm_user, ga_user))
        # Each host's workers are named after the host name of its own namespace.
        farm.wait_online(http, ga, ["render@host-a", "render@host-b", "step@host-a", "step@host-b"])

        # The CAD file goes up through the API and is converted on one of the hosts; the GLB
        # lands on the shared storage, where the other host finds it to render.
        cad = farm.converted_cad(http, pm, fixture(BEARING))
        products = farm.products(http, pm, cad["id"], [f"6204-{n}" for n in range(LINES)])
        order_id = farm.submit_order(http, pm, products, str(still))

        def order_now() -> dict[str, Any]:
            return dict(http.get(f"/api/orders/{order_id}", headers=pm).json())

        def victim() -> dict[str, Any] | None:
            """host-a has rendered a line and renders the next: the moment to pull its plug."""
            lines = order_now()["lines"]
            done_on_a = [ln for ln in lines if ln["render_status"] == "completed"
                         and ln["job_document"].get("host") == "host-a"]  # fmt: skip
            rendering_on_a = [ln for ln in lines if ln["render_status"] == "running"
                              and ln["job_document"].get("host") == "host-a"
                              and any(s["name"] == "render_still" and s["status"] == "running"
                                      for s in ln["job_document"].get("steps", []))]  # fmt: skip
            return rendering_on_a[0] if done_on_a and rendering_on_a else None

        line = farm.until("host-a rendering its second line", victim, timeout_s=400, every_s=0.2)
        killed = farm.kill_host("host-a")
        assert killed and not farm.network.pids("host-a")

        done = farm.finished_order(http, pm, order_id)
        assert done["status"] == "completed", [
            (ln["render_status"], ln["job_document"].get("error")) for ln in done["lines"]
        ]
        by_id = {ln["id"]: ln for ln in done["lines"]}
        assert all(ln["render_status"] == "completed" for ln in done["lines"])
        rendered_on = {ln["job_document"]["host"] for ln in done["lines"]}
        assert rendered_on == {"host-a", "host-b"}  # both hosts delivered media

        # The killed line was rendered again on the surviving host, as the render's next attempt.
        redone = by_id[line["id"]]
        assert redone["job_document"]["host"] == "host-b"
        render = next(s for s in redone["job_document"]["steps"] if s["name"] == "render_still")
        assert render["attempts"] >= 2

        # Exactly one asset per line, each a file on the shared storage.
        with db.session(BYPASS) as session:
            rows = session.execute(
                text("SELECT order_line_id, storage_key FROM media_assets WHERE order_id = :o"),
                {"o": order_id},
            ).all()
            alerts = session.execute(
                text("SELECT target_id, detail FROM audit_log WHERE action = 'worker.lost'")
            ).all()
        per_line: dict[str, int] = {}
        for row in rows:
            per_line[str(row.order_line_id)] = per_line.get(str(row.order_line_id), 0) + 1
            assert (farm.storage / row.storage_key).is_file()
        assert per_line == {line_id: 1 for line_id in by_id}

        # Global admins are told which worker was lost and what it gave back.
        lost = [a for a in alerts if a.target_id == "render@host-a"]
        assert lost and any(t["id"] for t in lost[0].detail["redelivered"])
        states = {w["name"]: w["state"] for w in http.get("/api/workers", headers=ga).json()["workers"]}
        assert states["render@host-a"] == "offline" and states["render@host-b"] == "online"
    db.dispose()

"""Scale-out: the same 12-thumbnail order on one worker host, then on two (issue 17).

The installation of ``tests/support/hosts.py``: PostgreSQL and Redis on TCP, the API in this
machine's namespace, worker hosts in network namespaces of their own sharing one storage. Each
worker host is a processing worker and a render worker (one Blender render host), restricted
with ``taskset`` to one core of its own: host-a to CPU 0, host-b to CPU 1, as two one-core
machines. The bearing is converted once before anything is timed.

- ``baseline_s``: host-a alone renders an order of ``LINES`` thumbnails, from the submit until
  the order is completed (after a warm-up order, so its render host has rendered once).
- ``value_s``: host-b joins (and warms up), and an order of the same shape is timed again.
- ``speedup``: baseline / value; target ≥ 1.7. ``hosts`` says, per run and host, how many lines it
  rendered and the seconds each pipeline step took on them (the rest of the wall time is queueing,
  dispatch and the database). The API, PostgreSQL and Redis are not pinned: with one host they
  have a core nearly to themselves, with two they share the cores with the renders, which is what
  a small farm pays.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.common import report

LINES = 12
SIZE = 128  # px: a thumbnail the catalogue shows
SAMPLES = 16


def _order(
    farm: Any, http: httpx.Client, pm: dict[str, str], products: list[str], output: str
) -> dict[str, Any]:
    """Submit an order of ``products`` with one ``output`` each; wait until it is completed."""
    order_id = farm.submit_order(http, pm, products, output)
    done: dict[str, Any] = farm.finished_order(http, pm, order_id, timeout_s=1200)
    assert done["status"] == "completed", [ln["job_document"].get("error") for ln in done["lines"]]
    return done


def _timed(
    farm: Any, http: httpx.Client, pm: dict[str, str], products: list[str], output: str
) -> tuple[float, dict[str, Any]]:
    """Seconds from submit to completed, and per host: lines and the seconds each step took."""
    started = time.perf_counter()
    done = _order(farm, http, pm, products, output)
    elapsed = time.perf_counter() - started
    per_host: dict[str, Any] = {}
    for line in done["lines"]:
        doc = line["job_document"]
        host = per_host.setdefault(str(doc.get("host")), {"lines": 0, "step_s": Counter()})
        host["lines"] += 1
        for step in doc.get("steps", []):
            host["step_s"][step["name"]] += step.get("duration_s") or 0.0
    for host in per_host.values():
        host["step_s"] = {name: round(s, 2) for name, s in host["step_s"].items()}
    return elapsed, per_host


def main() -> None:
    from tests.cad.conftest import BEARING, fixture
    from tests.support import hosts
    from tests.support.factories import DEFAULT_PASSWORD, make_output_type, make_tenant, make_user

    from automat.models.output import OutputKind
    from automat.models.user import Role

    why_not = hosts.available()
    if why_not:
        raise SystemExit(f"scale_out needs network namespaces: {why_not}")
    with (
        tempfile.TemporaryDirectory(prefix="automat-scale-") as tmp,
        hosts.cluster(Path(tmp), beat=False) as farm,
    ):
        db = farm.database()
        tenant = make_tenant(db, max_concurrent_renders=8)
        pm_user = make_user(db, tenant=tenant, role=Role.PROJECT_MANAGER)
        ga_user = make_user(db, tenant=None, role=Role.GLOBAL_ADMIN)
        thumb = str(make_output_type(db, tenant=tenant, kind=OutputKind.THUMBNAIL, name="Thumbnail",
                                     width=SIZE, height=SIZE, samples=SAMPLES))  # fmt: skip
        db.dispose()
        farm.start_worker_host("host-a", cpus="0")
        with httpx.Client(base_url=farm.api_url, trust_env=False, timeout=30) as http:
            pm, ga = (farm.login(http, u.email, DEFAULT_PASSWORD) for u in (pm_user, ga_user))
            farm.wait_online(http, ga, ["render@host-a", "step@host-a"])
            cad = farm.converted_cad(http, pm, fixture(BEARING))
            products = farm.products(http, pm, cad["id"], [f"6204-{n:02d}" for n in range(LINES)])

            _order(farm, http, pm, products[:1], thumb)  # warm-up: host-a's render host renders once
            one_s, one_host = _timed(farm, http, pm, products, thumb)

            farm.start_worker_host("host-b", cpus="1")
            farm.wait_online(http, ga, ["render@host-a", "render@host-b", "step@host-a", "step@host-b"])
            _order(farm, http, pm, products[:2], thumb)  # warm-up of host-b (two lines: one each)
            two_s, two_hosts = _timed(farm, http, pm, products, thumb)

    report(
        "scale_out",
        baseline_s=one_s,
        value_s=two_s,
        speedup=round(one_s / two_s, 3),
        target_speedup=1.7,
        lines=LINES,
        thumbnail=f"{SIZE}px, {SAMPLES} samples",
        hosts={"one_host": one_host, "two_hosts": two_hosts},
        note="baseline = an order of 12 thumbnails on one worker host (taskset CPU 0), value = the same "
        "order on two hosts (CPU 0 and CPU 1), each in its own network namespace against PostgreSQL and "
        "Redis on TCP; submit until completed, warm render hosts",
    )

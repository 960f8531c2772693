"""Workflow executor benchmarks.

- ``workflow_fanout``: a 500-line order whose output type runs a tenant's 3-node workflow (a copy
  of the Still built-in with a node param), submitted through the API until every line has its
  run (500 runs, 1,500 node rows) and each run's entry message sits in the real Redis broker.
  Baseline: 500 bare ``send_task`` calls over one producer. Target: value ≤ 2 s.
- ``workflow_overhead``: one still line through the executor on a real worker (submit → run
  created → check CAD → render in the worker's warm render host → deliver → run and order
  completed) vs the same three task bodies called one after another in this process (no run, no
  broker, a warm render host of its own), same line settings. Alternating rounds; the ratio is of
  the fastest round of each (the least disturbed on a shared machine), medians reported beside.
  Target: ratio ≤ 1.05.
"""

from __future__ import annotations

import statistics
import time
import uuid
from typing import Any

from bench.common import private_database, report, tenant_with_pm
from bench.orders import _api, _catalogue, _login, _worker, bare_sends, timed_submit, warm_bearing

LINES = 500
FANOUT_TARGET_S = 2.0
OVERHEAD_TARGET = 1.05
ROUNDS = 4
STILL_BUILTIN = "00000000-0000-4000-8000-00000000f002"


def _own_workflow(client: Any, headers: dict[str, str], output_type: str) -> str:
    """A copy of the Still built-in whose render looks from the side, given to the output type."""
    copy = client.post(f"/api/workflows/{STILL_BUILTIN}/copy", json={"name": "Bench side"}, headers=headers)
    assert copy.status_code == 201, copy.text
    workflow = copy.json()
    config = workflow["config"]
    for node in config["nodes"]:
        if node["step"] == "render_still":
            node["params"] = {"position": "side"}
    saved = client.post(f"/api/workflows/{workflow['id']}/versions", json={"config": config}, headers=headers)
    assert saved.status_code == 201, saved.text
    assigned = client.patch(
        f"/api/output-types/{output_type}", json={"workflow_id": workflow["id"]}, headers=headers
    )
    assert assigned.status_code == 200, assigned.text
    return str(workflow["id"])


def _count_runs(tenant_id: uuid.UUID) -> tuple[int, int]:
    from sqlalchemy import func, select

    from automat.models.workflow import WorkflowRun, WorkflowRunNode
    from automat.worker.context import worker_db

    with worker_db().session(tenant_id) as session:
        runs = session.scalar(select(func.count()).select_from(WorkflowRun)) or 0
        nodes = session.scalar(select(func.count()).select_from(WorkflowRunNode)) or 0
    return int(runs), int(nodes)


def workflow_fanout() -> None:
    with private_database(), _api() as client:
        tenant_id, email = tenant_with_pm(max_order_size=LINES, role="tenant_admin")
        headers = _login(client, email)
        products, output_type = _catalogue(tenant_id, LINES, kind="still", width=64, height=64, samples=4)
        _own_workflow(client, headers, output_type)

        baseline = bare_sends(tenant_id)
        value, _, in_broker = timed_submit(client, headers, products, output_type)
        runs, nodes = _count_runs(tenant_id)
    assert in_broker == LINES, in_broker
    assert (runs, nodes) == (LINES, 3 * LINES), (runs, nodes)
    report(
        "workflow_fanout",
        baseline,
        value,
        lines=LINES,
        runs=runs,
        nodes=nodes,
        target_s=FANOUT_TARGET_S,
        within_target=value <= FANOUT_TARGET_S,
        note="value = POST submit of a 500-line order on a tenant's 3-node workflow until the response "
        "(runs and node rows written, entry messages in the broker); baseline = 500 bare send_task calls",
    )


def _line_kwargs(
    client: Any, headers: dict[str, str], products: list[str], output_type: str
) -> dict[str, str]:
    """An order line queued as a submit queues it, without a run: for the task bodies called here."""
    from automat.models.order import Order, OrderLine, OrderStatus
    from automat.orders import lines
    from automat.worker.context import worker_db

    order = client.post(
        "/api/orders", json={"product_ids": products, "output_type_ids": [output_type]}, headers=headers
    ).json()
    with worker_db().session(uuid.UUID(order["tenant_id"])) as session:
        row = session.get(Order, uuid.UUID(order["id"]))
        assert row is not None
        row.status = OrderStatus.SUBMITTED
        line = session.query(OrderLine).filter_by(order_id=row.id).one()
        lines.queue(line, submission=1, render_task_id="direct")
        return {"tenant_id": order["tenant_id"], "line_id": str(line.id)}


def _direct(kwargs: dict[str, str]) -> float:
    """check CAD → render → deliver, each task body called in this process."""
    from automat.orders.tasks import check_cad, deliver_line
    from automat.worker.celery_app import celery_app

    render = celery_app.tasks[_render_task()]
    started = time.perf_counter()
    assert check_cad.apply(kwargs=kwargs).get() == "ready"
    assert render.apply(kwargs=kwargs).get() == "rendered"
    assert deliver_line.apply(kwargs=kwargs).get() == "completed"
    return time.perf_counter() - started


def _render_task() -> str:
    from automat.orders.dispatch import RENDER_TASK

    return RENDER_TASK


def _through_executor(client: Any, headers: dict[str, str], products: list[str], output_type: str) -> float:
    """Submit until the order's "completed" event (the tenant's live channel, as the browsers get
    it): no polling that would take the CPU from the render."""
    import json

    from automat.core import events
    from automat.core.redis import sync_client

    order = client.post(
        "/api/orders", json={"product_ids": products, "output_type_ids": [output_type]}, headers=headers
    ).json()
    live = sync_client().pubsub()
    live.subscribe(events.channel_for(order["tenant_id"]))
    started = time.perf_counter()
    client.post(f"/api/orders/{order['id']}/submit", headers=headers)
    deadline = started + 600
    while time.perf_counter() < deadline:
        message = live.get_message(timeout=1.0)
        if message is None or message["type"] != "message":
            continue
        event = json.loads(message["data"])
        if event.get("type") == "order" and event.get("order_id") == order["id"] and event.get("outcome"):
            break
    value = time.perf_counter() - started
    live.close()
    done = client.get(f"/api/orders/{order['id']}", headers=headers).json()
    (line,) = done["lines"]
    assert line["render_status"] == "completed", line["job_document"].get("error")
    return value


def workflow_overhead() -> None:
    with private_database(), _api() as client, _worker():
        import automat.orders.tasks  # noqa: F401  (the task bodies called directly)
        from automat.workflows.catalogue import steps

        steps()
        tenant_id, email = tenant_with_pm()
        headers = _login(client, email)
        products, still = _catalogue(
            tenant_id,
            1,
            kind="still",
            cad_file_id=warm_bearing(client, headers),
            width=256,
            height=256,
            samples=16,
        )
        _direct(_line_kwargs(client, headers, products, still))  # warms this process's render host
        direct, executor = [], []
        for _ in range(ROUNDS):
            executor.append(_through_executor(client, headers, products, still))
            direct.append(_direct(_line_kwargs(client, headers, products, still)))
    baseline, value = min(direct), min(executor)
    report(
        "workflow_overhead",
        baseline,
        value,
        rounds=ROUNDS,
        size_px=256,
        samples=16,
        direct_s=[round(d, 3) for d in direct],
        executor_s=[round(e, 3) for e in executor],
        median_ratio=round(statistics.median(executor) / statistics.median(direct), 3),
        target_ratio=OVERHEAD_TARGET,
        within_target=value / baseline <= OVERHEAD_TARGET,
        note="value = fastest submit until the order's completed event, executor on a real worker; "
        "baseline = fastest run of the same three task bodies called in one process (no run, no broker)",
    )

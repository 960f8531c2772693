"""Order benchmarks.

- ``order_dispatch``: a 500-line order submitted through the API (``POST /api/orders/{id}/submit``:
  lock, 500 job documents, commit, then the Celery canvas sent to the real Redis broker) until
  every line is queued and its first task sits in the broker. Baseline: sending the same 500
  task messages with plain ``send_task`` and no database work, so the ratio is what the order
  machinery adds to the broker's own cost. Target: value ≤ 2 s.
- ``order_overhead``: one 512² still line end to end on a real worker (submit → check CAD →
  render in the worker's warm render host → deliver as a media asset → order completed) vs the
  ``bpy.ops.render.render`` time the host measured for that line. Target: ratio ≤ 1.10.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import PASSWORD, private_database, report, tenant_with_pm

LINES = 500
DISPATCH_TARGET_S = 2.0
OVERHEAD_TARGET = 1.10
REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO.parent / "shared" / "fixtures" / "step" / "bearing_20x37x9__freecad_ap214.stp"


def _login(client: Any, email: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _catalogue(tenant_id: uuid.UUID, products: int, **settings: Any) -> tuple[list[str], str]:
    from automat.models.output import OutputKind, OutputType
    from automat.models.product import Product
    from automat.output_types.settings import RenderSettings
    from automat.worker.context import worker_db

    kind = OutputKind(settings.pop("kind", "thumbnail"))
    cad_file_id = settings.pop("cad_file_id", None)
    with worker_db().session(tenant_id) as session:
        rows = [
            Product(
                tenant_id=tenant_id, pim_id=f"B{i:05d}", name=f"Bench bearing {i}", cad_file_id=cad_file_id
            )
            for i in range(products)
        ]
        session.add_all(rows)
        output_type = OutputType(
            tenant_id=tenant_id,
            name=f"Bench {kind.value}",
            kind=kind.value,
            render_settings=RenderSettings(**settings).for_kind(kind).model_dump(),
        )
        session.add(output_type)
        session.flush()
        return [str(p.id) for p in rows], str(output_type.id)


def _queue_length(queue: str) -> int:
    from automat.core.redis import sync_client

    return int(sync_client().llen(queue))


def _drain(queue: str) -> None:
    from automat.core.redis import sync_client

    sync_client().delete(queue)


@contextmanager
def _api() -> Iterator[Any]:
    """The application in this process, built after the private servers are configured (the
    Celery app reads its broker address when first imported)."""
    from fastapi.testclient import TestClient

    from automat.app import create_app

    with TestClient(create_app()) as client:
        yield client


def bare_sends(tenant_id: uuid.UUID) -> float:
    """Baseline: the broker alone, ``LINES`` messages of a line's first task over one producer."""
    from automat.orders.dispatch import CHECK_CAD_TASK
    from automat.worker.celery_app import celery_app
    from automat.worker.queues import STEP_QUEUE

    kwargs = {"tenant_id": str(tenant_id), "line_id": str(uuid.uuid4())}
    started = time.perf_counter()
    with celery_app.producer_or_acquire() as producer:
        for _ in range(LINES):
            celery_app.send_task(CHECK_CAD_TASK, kwargs=kwargs, producer=producer)
    seconds = time.perf_counter() - started
    assert _queue_length(STEP_QUEUE) == LINES
    _drain(STEP_QUEUE)
    return seconds


def timed_submit(
    client: Any, headers: dict[str, str], products: list[str], output_type: str
) -> tuple[float, dict[str, Any], int]:
    """An order of every product in the output type, and its submit timed until the response:
    (seconds, the submitted order, messages it left in the step queue — drained)."""
    from automat.worker.queues import STEP_QUEUE

    order = client.post(
        "/api/orders", json={"product_ids": products, "output_type_ids": [output_type]}, headers=headers
    ).json()
    assert order["line_count"] == len(products), order
    started = time.perf_counter()
    submitted = client.post(f"/api/orders/{order['id']}/submit", headers=headers)
    seconds = time.perf_counter() - started
    assert submitted.status_code == 200, submitted.text
    in_broker = _queue_length(STEP_QUEUE)
    _drain(STEP_QUEUE)
    return seconds, dict(submitted.json()), in_broker


def order_dispatch() -> None:
    with private_database(), _api() as client:
        tenant_id, email = tenant_with_pm(max_order_size=LINES)
        headers = _login(client, email)
        products, output_type = _catalogue(tenant_id, LINES)
        baseline = bare_sends(tenant_id)
        value, submitted, in_broker = timed_submit(client, headers, products, output_type)
        queued = [ln for ln in submitted["lines"] if ln["render_status"] == "queued"]
    assert len(queued) == LINES, len(queued)
    assert in_broker == LINES, in_broker
    report(
        "order_dispatch",
        baseline,
        value,
        lines=LINES,
        target_s=DISPATCH_TARGET_S,
        within_target=value <= DISPATCH_TARGET_S,
        note="value = POST submit of a 500-line order until the response (lines queued, each line's "
        "run written, its first task in the broker); baseline = 500 bare send_task calls, one producer",
    )


@contextmanager
def _worker() -> Iterator[subprocess.Popen[bytes]]:
    from automat.config import get_settings
    from automat.worker.celery_app import celery_app

    log = get_settings().resolved_home() / "bench-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "automat.worker_app:celery_app", "worker",
                "-Q", "step_processing,thumbnail_rendering", "-n", "bench@%h", "--concurrency", "1",
                "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
            ],
            cwd=REPO, env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while not celery_app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"the bench worker did not start:\n{log.read_text()}")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait(client: Any, url: str, headers: dict[str, str], done: Any, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(url, headers=headers).json()
        if done(body):
            return body
        time.sleep(0.05)
    raise RuntimeError(f"{url} not done after {timeout_s} s")


def warm_bearing(client: Any, headers: dict[str, str]) -> uuid.UUID:
    """Upload the bearing and wait until it is ready with its thumbnail rendered: the worker's
    render host is warm. The CAD file's id."""
    uploaded = client.post(
        "/api/cad-files",
        files={"file": (FIXTURE.name, FIXTURE.read_bytes(), "application/octet-stream")},
        headers=headers,
    ).json()
    _wait(
        client,
        f"/api/cad-files/{uploaded['id']}",
        headers,
        lambda c: c["status"] == "failed" or (c["status"] == "ready" and c.get("thumbnail")),
        300,
    )
    return uuid.UUID(uploaded["id"])


def order_overhead() -> None:
    with private_database(), _api() as client, _worker():
        tenant_id, email = tenant_with_pm()
        headers = _login(client, email)
        products, still = _catalogue(
            tenant_id,
            1,
            kind="still",
            cad_file_id=warm_bearing(client, headers),
            width=512,
            height=512,
            samples=32,
        )
        order = client.post(
            "/api/orders", json={"product_ids": products, "output_type_ids": [still]}, headers=headers
        ).json()
        started = time.perf_counter()
        client.post(f"/api/orders/{order['id']}/submit", headers=headers)
        done = _wait(client, f"/api/orders/{order['id']}", headers, lambda o: o["status"] == "completed", 600)
        value = time.perf_counter() - started
    (line,) = done["lines"]
    assert line["render_status"] == "completed", line["job_document"].get("error")
    steps = {s["name"]: s for s in line["job_document"]["steps"]}
    timings = steps["render_still"]["outputs"]["timings"]
    report(
        "order_overhead",
        timings["render"],
        value,
        size_px=512,
        samples=32,
        target_ratio=OVERHEAD_TARGET,
        steps={name: s["duration_s"] for name, s in steps.items()},
        phases=timings,
        note="value = submit until the order is completed (check CAD, render, deliver, settle); "
        "baseline = bpy.ops.render.render inside the host for that line",
    )

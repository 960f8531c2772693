"""Orders end to end on a real Celery worker with a real render host (Blender) and real CAD
conversion: submit → completed with media, cancel mid-render, a killed worker, stalled renders."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import text

from automat.core.db import BYPASS, SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.cad.conftest import BEARING, fixture, validate_gltf
from tests.orders.conftest import AsRole, create_order, wait_order
from tests.products.conftest import xlsx
from tests.support.factories import MadeTenant, make_output_type
from tests.support.fixtures import Party

pytestmark = pytest.mark.usefixtures("celery_worker_process")
TERMINAL = {"completed", "failed", "cancelled"}
REPO = Path(__file__).resolve().parents[2]
_TENANTS: set[str] = set()  # every tenant a test of this module used, for the storage check at its end


@pytest.fixture(autouse=True)
def _remember_tenants(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    for value in request.node.funcargs.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, MadeTenant):
                _TENANTS.add(str(item.id))
            elif isinstance(item, Party) and item.user.tenant_id:
                _TENANTS.add(str(item.user.tenant_id))


def upload_bearing(client: TestClient, party: Party) -> dict[str, Any]:
    created = client.post(
        "/api/cad-files",
        files={"file": (BEARING, fixture(BEARING).read_bytes(), "application/octet-stream")},
        headers=party.headers,
    )
    assert created.status_code in (200, 201, 202), created.text
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(
            f"/api/cad-files/{created.json()['id']}", headers=party.headers
        ).json()
        if body["status"] in ("ready", "failed"):
            assert body["status"] == "ready", body.get("error")
            return body
        time.sleep(0.3)
    raise AssertionError("the bearing did not become ready")


def import_products(client: TestClient, party: Party) -> dict[str, Any]:
    workbook = xlsx(
        [
            ["Artikelnummer", "Bezeichnung", "Lagertyp", "CAD-Datei"],
            ["6204-2RSR", "Rillenkugellager 6204-2RSR", "Rillenkugellager", BEARING],
            ["6204-2Z", "Rillenkugellager 6204-2Z", "Rillenkugellager", BEARING],
            [None, "row without a PIM id", "Rillenkugellager", BEARING],
        ]
    )
    started = client.post(
        "/api/imports/excel",
        files={"file": ("list.xlsx", workbook, "application/octet-stream")},
        headers=party.headers,
    )
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        record: dict[str, Any] = client.get(
            f"/api/imports/{started.json()['id']}", headers=party.headers
        ).json()
        if record["status"] in ("completed", "failed"):
            return record
        time.sleep(0.2)
    raise AssertionError("the import did not finish")


def bearing_product(client: TestClient, party: Party, pim_id: str) -> dict[str, Any]:
    """A product linked to the (uploaded, converted) FreeCAD bearing."""
    cad = upload_bearing(client, party)
    product = client.post(
        "/api/products",
        json={"pim_id": pim_id, "name": f"Bearing {pim_id}", "cad_file_id": cad["id"]},
        headers=party.headers,
    )
    assert product.status_code == 201, product.text
    return dict(product.json())


def products_by_pim(client: TestClient, party: Party) -> dict[str, str]:
    page = client.get("/api/products", params={"page_size": 100}, headers=party.headers).json()
    return {p["pim_id"]: p["id"] for p in page["items"]}


def download(client: TestClient, party: Party, asset: dict[str, Any]) -> bytes:
    response = client.get(asset["download_url"], headers=party.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(asset["content_type"])
    assert "attachment" in response.headers["content-disposition"]
    return response.content


def test_order_goes_from_excel_and_step_to_downloadable_media(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase, tmp_path: Path
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    upload_bearing(client, pm)
    record = import_products(client, pm)
    assert (record["imported"], record["skipped"]) == (2, 1)
    skipped = client.get(
        f"/api/imports/{record['id']}/rows", params={"status": "skipped"}, headers=pm.headers
    ).json()["items"]
    assert skipped[0]["row"] == 4
    assert skipped[0]["reason"]
    products = products_by_pim(client, pm)
    types = [
        make_output_type(app_db, tenant=tenant, kind=OutputKind.THUMBNAIL, name="Thumb 64"),
        make_output_type(
            app_db, tenant=tenant, kind=OutputKind.TURNTABLE, name="Turntable 4f", frames=4, fps=4
        ),
        make_output_type(app_db, tenant=tenant, kind=OutputKind.GLB, name="GLB"),
    ]
    order = create_order(
        client, pm, product_ids=[products["6204-2RSR"], products["6204-2Z"]], output_type_ids=types
    )
    assert order["line_count"] == 6
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200

    done = wait_order(client, pm, order["id"], lambda o: o["status"] == "completed", what="completed")
    assert {ln["render_status"] for ln in done["lines"]} == {"completed"}
    assert [h["to"] for h in done["history"]] == ["submitted", "processing", "completed"]
    for line in done["lines"]:
        doc = line["job_document"]
        assert doc["state"] == "completed"
        assert doc["celery_task_id"] and doc["pid"]
        steps = {s["name"]: s for s in doc["steps"]}
        render_step = {"thumbnail": "render_thumbnail", "turntable": "render_turntable", "glb": "export_glb"}
        assert list(steps) == ["check_cad", render_step[line["kind"]], "deliver"]
        for step in steps.values():
            assert step["status"] == "completed"
            assert step["duration_s"] is not None and step["duration_s"] >= 0
        if line["kind"] != "glb":  # exports render nothing
            assert steps[render_step[line["kind"]]]["device"].startswith("CPU")  # no GPU here: the fallback
        roles = {m["role"]: m for m in line["media"]}
        main = roles["main"]
        data = download(client, pm, main)
        assert len(data) == main["file_size"]
        if line["kind"] == "thumbnail":
            image = Image.open(io.BytesIO(data))
            assert (image.format, image.size) == ("PNG", (64, 64))
        elif line["kind"] == "turntable":
            path = tmp_path / f"{line['id']}.mp4"
            path.write_bytes(data)
            with av.open(str(path)) as video:
                frames = sum(1 for _ in video.decode(video=0))
            assert frames == 4
            assert "poster" in roles
        else:
            path = tmp_path / f"{line['id']}.glb"
            path.write_bytes(data)
            (report,) = validate_gltf(path)
            assert report["errors"] == 0, report

    notes = client.get("/api/notifications", headers=pm.headers).json()["items"]
    summaries = [n for n in notes if n["action"] == "order.completed" and n["target_id"] == order["id"]]
    assert [n["message"] for n in summaries] == [
        f"Order #{order['number']} rendering complete: 6/6 succeeded, 0 failed"
    ]
    admin = as_role(tenant, Role.TENANT_ADMIN)
    alerts = client.get("/api/alerts", headers=admin.headers).json()["items"]
    # No GPU here: the probe's CPU fallback is reported once for the render host, not per line.
    assert len([a for a in alerts if a["action"] == "render.gpu_probe_failed"]) == 1
    items = client.get("/api/activity", params={"page_size": 100}, headers=pm.headers).json()["items"]
    assert len([a for a in items if a["action"] == "order_line.completed"]) == 6


def _ps_pids() -> set[int]:
    out = subprocess.run(["ps", "-eo", "pid="], capture_output=True, text=True, check=True).stdout
    return {int(p) for p in out.split()}


def _wait_running(client: TestClient, pm: Party, order_id: str) -> dict[str, Any]:
    body = wait_order(
        client,
        pm,
        order_id,
        lambda o: any(
            ln["render_status"] == "running" and ln["job_document"].get("pid") for ln in o["lines"]
        ),
        timeout_s=180,
        what="a running line",
    )
    return next(ln for ln in body["lines"] if ln["render_status"] == "running")


@pytest.fixture
def slow_order(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase
) -> tuple[Party, dict[str, Any]]:
    """A submitted order whose one line renders long enough to be interrupted."""
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    product = bearing_product(client, pm, "NU-2205")
    slow = make_output_type(
        app_db, tenant=tenant, kind=OutputKind.TURNTABLE, name="Slow turntable", width=128, height=128,
        samples=64, frames=120, fps=24,
    )  # fmt: skip
    order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[slow])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
    return pm, order


def _runs(client: TestClient, party: Party, line_id: str) -> list[dict[str, Any]]:
    """The line's workflow runs (each order line runs its output type's workflow)."""
    response = client.get("/api/workflow-runs", params={"subject_id": line_id}, headers=party.headers)
    assert response.status_code == 200, response.text
    return list(response.json())


def test_cancel_mid_render_kills_blender_and_leaves_no_files(
    client: TestClient, slow_order: tuple[Party, dict[str, Any]], settings: Any
) -> None:
    pm, order = slow_order
    line = _wait_running(client, pm, order["id"])
    pid = line["job_document"]["pid"]
    assert pid in _ps_pids()
    cancelled = client.post(f"/api/orders/{order['id']}/cancel-renders", headers=pm.headers)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["cancelled"] == 1
    assert cancelled.json()["order"]["status"] == "cancelled"
    deadline = time.monotonic() + 30
    while pid in _ps_pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert pid not in _ps_pids(), "the render host survived the cancel"
    final = client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()
    (line,) = final["lines"]
    assert line["render_status"] == "cancelled"
    assert line["media"] == []
    (run,) = _runs(client, pm, line["id"])
    assert run["status"] == "cancelled"
    assert {n["node_id"]: n["status"] for n in run["nodes"]} == {
        "check_cad": "completed", "render": "cancelled", "deliver": "cancelled",
    }  # fmt: skip
    tmp = Path(settings.resolved_home()) / "storage" / ".tmp"
    leftovers = [p for p in tmp.glob("automat-line-*") if any(p.iterdir())] if tmp.exists() else []
    time.sleep(1.0)
    assert not [p for p in leftovers if p.exists() and any(p.iterdir())]


def _rendering_still(
    client: TestClient, pm: Party, tenant: MadeTenant, app_db: SyncDatabase, pim_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An order of one 96 px still, submitted, and its line once its render host runs."""
    product = bearing_product(client, pm, pim_id)
    still = make_output_type(
        app_db, tenant=tenant, kind=OutputKind.STILL, name="Still", width=96, height=96, samples=48
    )
    order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[still])
    client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers)
    return order, _wait_running(client, pm, order["id"])


def _assets_of(app_db: SyncDatabase, line_id: str) -> int:
    with app_db.session(BYPASS) as session:
        sql = text("SELECT count(*) FROM media_assets WHERE order_line_id = :l")
        return int(session.execute(sql, {"l": line_id}).scalar_one())


def test_a_killed_worker_process_redelivers_and_the_line_completes_once(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    order, line = _rendering_still(client, pm, tenant, app_db, "6305")
    host_pid = line["job_document"]["pid"]
    worker_child = int(Path(f"/proc/{host_pid}/stat").read_text().split()[3])  # the host's parent
    os.kill(worker_child, signal.SIGKILL)
    done = wait_order(
        client, pm, order["id"], lambda o: o["status"] in ("completed", "cancelled"), what="completed"
    )
    (line,) = done["lines"]
    assert line["render_status"] == "completed", line["job_document"].get("error")
    render = next(s for s in line["job_document"]["steps"] if s["name"] == "render_still")
    assert render["attempts"] >= 2  # it ran again after the worker died
    assert _assets_of(app_db, line["id"]) == 1
    (run,) = _runs(client, pm, line["id"])  # the render node ran twice, the run completed once
    nodes = {n["step"]: n for n in run["nodes"]}
    assert run["status"] == "completed" and nodes["render_still"]["attempts"] >= 2
    assert nodes["deliver"]["attempts"] == 1
    deadline = time.monotonic() + 20
    while host_pid in _ps_pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert host_pid not in _ps_pids(), "the orphaned render host outlived its worker"


def test_a_crashed_render_host_is_retried_after_a_backoff_and_each_try_is_an_attempt(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase
) -> None:
    """Blender dies under a render (out of memory, killed): the line goes back to queued with
    the reason, runs again after the tenant's backoff, and completes; the job document and the
    run show two attempts, the crash is kept in the job's errors."""
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    ta = as_role(tenant, Role.TENANT_ADMIN)
    for key, value in (("task_retry_backoff_s", 1), ("task_retry_attempts", 2)):
        response = client.put(f"/api/settings/{key}", json={"value": value}, headers=ta.headers)
        assert response.status_code == 204, response.text
    order, line = _rendering_still(client, pm, tenant, app_db, "6306")
    os.kill(line["job_document"]["pid"], signal.SIGKILL)
    done = wait_order(
        client, pm, order["id"], lambda o: o["status"] in ("completed", "cancelled"), what="completed"
    )
    (line,) = done["lines"]
    doc = line["job_document"]
    assert line["render_status"] == "completed", doc.get("error")
    render = next(s for s in doc["steps"] if s["name"] == "render_still")
    assert (render["status"], render["attempts"]) == ("completed", 2)
    assert [e["message"] for e in doc["errors"]] == [
        "the render host was killed by SIGKILL (out of memory, or stopped from outside); job not rendered"
    ]
    requeued = [h for h in doc["history"] if h["from_state"] == "running" and h["to_state"] == "queued"]
    assert [h["reason"].rsplit("; ", 1)[1] for h in requeued] == ["tried again in 1 s"]
    (run,) = _runs(client, pm, line["id"])
    nodes = {n["step"]: n for n in run["nodes"]}
    assert run["status"] == "completed" and nodes["render_still"]["attempts"] == 2
    assert _assets_of(app_db, line["id"]) == 1


def test_stalled_render_is_terminated_failed_and_alerted(
    client: TestClient,
    slow_order: tuple[Party, dict[str, Any]],
    app_db: SyncDatabase,
    as_role: AsRole,
    tenant: MadeTenant,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from automat.orders.tasks import recover_stalled_renders

    pm, order = slow_order
    line = _wait_running(client, pm, order["id"])
    pid = line["job_document"]["pid"]
    with app_db.session(BYPASS) as session:  # it has been running for 45 minutes, as far as anyone knows
        session.execute(
            text("UPDATE order_lines SET started_at = now() - interval '45 minutes' WHERE id = :l"),
            {"l": line["id"]},
        )
    with caplog.at_level("WARNING"):
        outcome = recover_stalled_renders.apply().get()
    assert line["id"] in outcome["recovered"]
    expected = f"[WORKER_RECOVERY] Stalled render for order_line {line['id']} terminated after 45min"
    assert expected in caplog.text
    deadline = time.monotonic() + 30
    while pid in _ps_pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert pid not in _ps_pids()
    final = client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()
    (line,) = final["lines"]
    assert line["render_status"] == "failed"
    assert expected in line["job_document"]["error"]
    assert final["status"] == "completed"
    (run,) = _runs(client, pm, line["id"])  # the run fails with the line, its render node too
    assert run["status"] == "failed"
    assert next(n for n in run["nodes"] if n["node_id"] == "render")["status"] == "failed"
    admin = as_role(tenant, Role.TENANT_ADMIN)
    alerts = client.get("/api/alerts", headers=admin.headers).json()
    items = alerts["items"]
    assert [a for a in items if a["action"] == "render.stalled" and a["target_id"] == line["id"]]


def test_lines_wait_visibly_for_a_render_slot(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase, redis_client: Any
) -> None:
    from automat.orders import control
    from tests.support.factories import make_tenant

    tenant = make_tenant(app_db, max_concurrent_renders=1)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    product = bearing_product(client, pm, "6000")
    thumb = make_output_type(app_db, tenant=tenant, kind=OutputKind.THUMBNAIL)
    busy = "another-line-rendering"
    assert control.acquire_slot(redis_client, tenant.id, busy, 1)  # the tenant's one slot is taken
    try:
        order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[thumb])
        client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers)
        waiting = wait_order(
            client,
            pm,
            order["id"],
            lambda o: "render slot" in json.dumps(o["lines"][0]["job_document"]),
            timeout_s=60,
            what="waiting for a slot",
        )
        (line,) = waiting["lines"]
        assert line["render_status"] == "queued"
        check = next(s for s in line["job_document"]["steps"] if s["name"] == "check_cad")
        assert check["message"] == "waiting for a render slot (1 of 1 in use)"
        time.sleep(4)  # still waiting, not rendering
        assert (
            client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()["lines"][0]["render_status"]
            == "queued"
        )
    finally:
        control.release_slot(redis_client, tenant.id, busy)
    done = wait_order(
        client, pm, order["id"], lambda o: o["status"] == "completed", timeout_s=120, what="completed"
    )
    assert done["lines"][0]["render_status"] == "completed"


def _wait_idle(redis_client: Any, timeout_s: float = 180) -> None:
    """Until the worker runs, holds and schedules nothing and no message waits in a queue."""
    from automat.worker.celery_app import celery_app
    from automat.worker.queues import QUEUES

    deadline, quiet = time.monotonic() + timeout_s, 0
    while time.monotonic() < deadline:
        inspect = celery_app.control.inspect(timeout=1.0)
        busy = [
            task
            for answer in (inspect.active(), inspect.reserved(), inspect.scheduled())
            for tasks in (answer or {}).values()
            for task in tasks
        ]
        queued = sum(redis_client.llen(q) for q in QUEUES)
        quiet = quiet + 1 if not busy and not queued else 0
        if quiet >= 2:
            return
        time.sleep(0.5)
    raise AssertionError("the worker did not become idle")


def test_storage_is_consistent_after_the_render_tests(redis_client: Any) -> None:
    """Runs last in this module, after the cancel, kill and stall tests: no orphan file, no row
    without its file, in any tenant they used; the killed worker's temp folder is swept."""
    from automat.core.storage import default_storage
    from automat.kit.storage import OWNERS_DIR, owner_alive

    if not _TENANTS:
        pytest.skip("checks what the other tests of this module left; run it with them")
    _wait_idle(redis_client)
    done = subprocess.run(
        [sys.executable, "-m", "automat.cli", "storage", "check", "--json", "--min-age-minutes", "0",
         *(f"--tenant={t}" for t in sorted(_TENANTS))],
        capture_output=True, text=True, cwd=REPO, timeout=180, check=False,
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert report["checked_files"] > 0
    assert (done.returncode, report["clean"]) == (0, True), json.dumps(report["tenants"], indent=1)

    storage = default_storage()
    swept = storage.sweep_temp(0)
    owned = re.compile(r"^automat-[a-z]+-([0-9a-f]{12})-")
    for entry in storage.tmp.iterdir():
        match = owned.match(entry.name)
        if entry.name != OWNERS_DIR:
            assert match and owner_alive(storage.tmp, match[1]), f"{entry.name} survived the sweep"
    print(f"swept after the render tests: {swept.removed}")

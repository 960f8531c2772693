"""The per-worker blocklist (issue 17): a worker that fails a step's jobs N times in a row is
blocklisted for that step, an alert names it, other workers take its jobs, an admin clears it.

Real Celery workers (each its own process, its own node name, on the real broker) run real
workflow nodes of the order-line CAD check; ``tests.support.celery_tasks`` makes the check fail
(as on a broken host) or pass on a named worker.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.core.db import SyncDatabase
from automat.core.redis import sync_client
from automat.models.user import Role
from automat.models.workflow import Workflow, WorkflowRunNode, WorkflowVersion
from automat.pipeline import executor
from automat.pipeline.executor import NodeStatus
from automat.worker import status
from automat.worker.celery_app import celery_app
from automat.worker.queues import STEP_QUEUE
from automat.workers.blocklist import wait_after
from automat.workflows.catalogue import steps
from tests.support.celery_tasks import CHECK_CAD_ON, CHECK_CAD_RAN
from tests.support.factories import MadeTenant, unique
from tests.support.fixtures import Party
from tests.support.workers import CeleryWorker, start_celery_worker

AsRole = Callable[[MadeTenant | None, Role], Party]
START_TIMEOUT_S = 180
HOST = "blocklist-test"


Worker = CeleryWorker


@pytest.fixture
def start_worker(tmp_root: Path) -> Iterator[Callable[[str], Worker]]:
    """Start step workers of our own; workers already running (the session's test worker) stop
    taking the step queue meanwhile, so ours are the ones that run the nodes."""
    replies = celery_app.control.cancel_consumer(STEP_QUEUE, reply=True, timeout=2)
    others = [node for reply in replies for node in reply]
    if others:  # their heartbeats stop listing the queue: they are no workers that could take over
        client = sync_client()
        try:
            _until(
                "the other workers' heartbeats no longer list the step queue",
                lambda: (
                    not [
                        w
                        for w in status.read_workers(client)
                        if w.online(time.time()) and STEP_QUEUE in w.queues
                    ]
                ),
                timeout_s=3 * status.HEARTBEAT_S,
            )
        finally:
            client.close()
    started: list[Worker] = []

    def start(label: str) -> Worker:
        worker = start_celery_worker(
            tmp_root, f"{label}-{uuid.uuid4().hex[:6]}@{HOST}", STEP_QUEUE, test_tasks=True,
            timeout_s=START_TIMEOUT_S,
        )  # fmt: skip
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    if others:
        celery_app.control.add_consumer(STEP_QUEUE, destination=others, reply=True, timeout=2)


def _workflow(db: SyncDatabase, tenant: MadeTenant) -> tuple[uuid.UUID, uuid.UUID]:
    """A one-node order-line workflow: the CAD check."""
    with db.session(tenant.id) as session:
        workflow = Workflow(tenant_id=tenant.id, name=unique("wf"), subject="order_line", latest_version=1)
        session.add(workflow)
        session.flush()
        config = {
            "version": 1,
            "nodes": [{"id": "check", "step": "check_cad", "step_version": 1, "params": {}}],
            "edges": [],
        }
        version = WorkflowVersion(workflow_id=workflow.id, tenant_id=tenant.id, version=1, config=config)
        session.add(version)
        session.flush()
        return workflow.id, version.id


def _run(
    db: SyncDatabase, tenant: MadeTenant, workflow: tuple[uuid.UUID, uuid.UUID]
) -> tuple[uuid.UUID, uuid.UUID]:
    """Dispatch a run on a made-up line (its task is sent through the real broker): (run, line)."""
    steps()
    line = uuid.uuid4()
    with db.session(tenant.id) as session:
        wf, version = session.get(Workflow, workflow[0]), session.get(WorkflowVersion, workflow[1])
        assert wf is not None and version is not None
        run, _ = executor.dispatch_workflow(session, wf, version, tenant_id=tenant.id, subject_id=line)
        return run.id, line


def _node(db: SyncDatabase, tenant: MadeTenant, run_id: uuid.UUID) -> WorkflowRunNode:
    with db.session(tenant.id) as session:
        node = session.get(WorkflowRunNode, (run_id, "check"))
        assert node is not None
        session.expunge(node)
        return node


def _until(what: str, check: Callable[[], Any], timeout_s: float = 90) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout_s} s")


def _ends(db: SyncDatabase, tenant: MadeTenant, run_id: uuid.UUID) -> WorkflowRunNode:
    return _until(  # type: ignore[no-any-return]
        f"node of run {run_id} ended",
        lambda: (n := _node(db, tenant, run_id)).status in executor.FINISHED and n,
    )


def _entry(client: TestClient, ga: Party, worker: str) -> dict[str, Any] | None:
    overview = client.get("/api/workers", headers=ga.headers)
    assert overview.status_code == 200, overview.text
    return next(
        (e for e in overview.json()["blocklist"] if e["worker"] == worker and e["step"] == "check_cad"), None
    )


def test_a_failing_worker_is_blocklisted_alerted_bypassed_and_cleared(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    app_db: SyncDatabase,
    admin_engine: Engine,
    redis_client: redis.Redis,
    start_worker: Callable[[str], Worker],
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    assert client.get("/api/workers", headers=ga.headers).json()["blocklist_threshold"] == 3
    workflow = _workflow(app_db, tenant)
    a = start_worker("broken")
    script_a = CHECK_CAD_ON.format(worker=a.name)
    redis_client.set(script_a, "fail", ex=900)

    def run_once() -> tuple[WorkflowRunNode, str | None]:
        """A run to its end: its node, and which worker passed the check (None: it failed)."""
        run_id, line = _run(app_db, tenant, workflow)
        node = _ends(app_db, tenant, run_id)
        ran_on = redis_client.get(CHECK_CAD_RAN.format(line=line))
        return node, None if ran_on is None else str(ran_on)

    def fail_on_a() -> None:
        node, _ = run_once()
        assert node.status == NodeStatus.FAILED
        assert node.error is not None and f"broken on {a.name}" in node.error

    # Alone: two failures in a row, then a success on the same worker: the count starts again.
    fail_on_a()
    fail_on_a()
    entry = _entry(client, ga, a.name)
    assert entry is not None and entry["failures"] == 2 and not entry["blocklisted"]
    redis_client.set(script_a, "ok", ex=900)
    assert run_once() == (ANY, a.name)
    _until("the success reset the count", lambda: _entry(client, ga, a.name) is None)

    # Three failures in a row, but no other worker could take the step over: not blocklisted (the
    # step would stop altogether), the admins are alerted once.
    redis_client.set(script_a, "fail", ex=900)
    for _ in range(3):
        fail_on_a()
    entry = _entry(client, ga, a.name)
    assert entry is not None and entry["failures"] == 3 and not entry["blocklisted"]
    alerts = client.get("/api/alerts", headers=ga.headers).json()["items"]
    failing = [x for x in alerts if x["action"] == "worker.failing" and a.name in x["message"]]
    assert len(failing) == 1 and "no other online worker of queue step_processing" in failing[0]["message"]

    # Another worker starts: A's next failure blocklists it, with an alert for the global admins.
    b = start_worker("healthy")
    redis_client.set(CHECK_CAD_ON.format(worker=b.name), "ok", ex=900)
    _until("A failed once more", lambda: run_once()[0].status == NodeStatus.FAILED, timeout_s=300)
    entry = _entry(client, ga, a.name)
    assert entry is not None and entry["blocklisted"] and entry["failures"] == 4
    assert f"broken on {a.name}" in (entry["last_error"] or "")
    alerts = client.get("/api/alerts", headers=ga.headers).json()["items"]
    alert = next(x for x in alerts if x["action"] == "worker.blocklisted" and a.name in x["message"])
    assert "check_cad" in alert["message"] and f"broken on {a.name}" in alert["message"]
    # A tenant's admin sees no installation-wide alert about workers.
    ta = as_role(tenant, Role.TENANT_ADMIN)
    ta_alerts = client.get("/api/alerts", headers=ta.headers).json()["items"]
    assert not [x for x in ta_alerts if x["action"].startswith("worker.")]

    # Blocklisted, A takes none of the step's jobs, though it would pass them now: B runs them all,
    # each in one attempt (a hand-back is no attempt).
    redis_client.set(script_a, "ok", ex=900)
    for _ in range(4):
        node, ran_on = run_once()
        assert (node.status, node.attempts, ran_on) == (NodeStatus.COMPLETED, 1, b.name)

    # B stops: the job reaches A, which hands it back, and the node says why it waits.
    b.stop()
    run_id, line = _run(app_db, tenant, workflow)
    waiting = _until(
        "the node says it waits for a worker",
        lambda: (n := _node(app_db, tenant, run_id)).error and "blocklisted" in n.error and n,
    )
    assert waiting.status == NodeStatus.QUEUED and waiting.attempts == 0
    assert f"every online worker of queue {STEP_QUEUE} is blocklisted for step check_cad" in waiting.error
    assert "handed node" in a.log.read_text()
    assert redis_client.get(CHECK_CAD_RAN.format(line=line)) is None

    # The admin clears the entry (audited); A takes the step again and runs the waiting job.
    cleared = client.post(f"/api/workers/blocklist/{entry['id']}/clear", headers=ga.headers)
    assert cleared.status_code == 200, cleared.text
    assert not [e for e in cleared.json() if e["worker"] == a.name]
    with admin_engine.connect() as conn:
        audited = conn.execute(
            text("SELECT actor_id, target_id, detail FROM audit_log WHERE action = 'worker_blocklist.clear'")
        ).all()
    assert any(r.actor_id == ga.user.id and r.target_id == a.name for r in audited)
    node = _until(
        "A ran the waiting job",
        lambda: (n := _node(app_db, tenant, run_id)).status == NodeStatus.COMPLETED and n,
        timeout_s=120,
    )
    assert node.attempts == 1
    assert redis_client.get(CHECK_CAD_RAN.format(line=line)) == a.name
    missing = client.post(f"/api/workers/blocklist/{entry['id'] + 10_000}/clear", headers=ga.headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "worker_block_not_found"


def test_a_handed_back_job_waits_longer_each_time_only_while_no_other_worker_may_run_it() -> None:
    assert [wait_after(n, others=False) for n in range(6)] == [2, 4, 8, 16, 30, 30]
    assert wait_after(5, others=True) == 1

"""After-commit dispatch and routing, against the real broker and a real worker process."""

from __future__ import annotations

import subprocess
import time
from typing import Any

import pytest
from sqlalchemy import text

from automat.core.db import SyncDatabase
from automat.worker.celery_app import RENDER_QUEUE, STEP_QUEUE, celery_app, route_by_module
from automat.worker.dispatch import enqueue_after_commit, pending
from tests.support.factories import MadeTenant, unique


def _wait_for(redis_client: Any, key: str, timeout_s: float) -> str | None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value: str | None = redis_client.get(key)
        if value is not None:
            return value
        time.sleep(0.1)
    return None


def test_task_is_sent_when_the_transaction_commits(
    celery_worker_process: subprocess.Popen[bytes],
    app_db: SyncDatabase,
    redis_client: Any,
    tenant: MadeTenant,
) -> None:
    key = unique("mark")
    with app_db.session(tenant.id) as session:
        enqueue_after_commit(session, "tests.support.celery_tasks.mark", tenant_id=str(tenant.id), key=key)
        assert pending(session) == 1
        # Not sent yet: the worker would find nothing of this transaction.
        time.sleep(0.5)
        assert redis_client.get(key) is None
    assert _wait_for(redis_client, key, 30) == str(tenant.id)


def test_task_is_dropped_when_the_transaction_rolls_back(
    celery_worker_process: subprocess.Popen[bytes],
    app_db: SyncDatabase,
    redis_client: Any,
    tenant: MadeTenant,
) -> None:
    key = unique("mark")
    with pytest.raises(RuntimeError), app_db.session(tenant.id) as session:
        enqueue_after_commit(session, "tests.support.celery_tasks.mark", tenant_id=str(tenant.id), key=key)
        raise RuntimeError("the request failed")
    # Prove the worker is alive and idle, then that the dropped task never ran.
    control = unique("mark")
    with app_db.session(tenant.id) as session:
        enqueue_after_commit(
            session, "tests.support.celery_tasks.mark", tenant_id=str(tenant.id), key=control
        )
    assert _wait_for(redis_client, control, 30) is not None
    assert redis_client.get(key) is None


def test_worker_task_logs_its_pipeline_steps(
    celery_worker_process: subprocess.Popen[bytes],
    app_db: SyncDatabase,
    redis_client: Any,
    tenant: MadeTenant,
) -> None:
    key = unique("mark")
    celery_app.send_task(
        "tests.support.celery_tasks.mark", kwargs={"tenant_id": str(tenant.id), "key": key}
    ).get(timeout=30)
    with app_db.session(tenant.id) as session:
        rows = session.execute(
            text(
                "SELECT step_name, task_id, context->>'kind' AS kind "
                "FROM pipeline_events WHERE job_id = :j ORDER BY id"
            ),
            {"j": key},
        ).all()
    assert [(r.step_name, r.kind) for r in rows] == [("deliver", "start"), ("deliver", "done")]
    assert all(r.task_id for r in rows)


def test_routes_follow_the_module() -> None:
    assert route_by_module("automat.rendering.tasks.render_still", (), {}, {}) == {"queue": RENDER_QUEUE}
    assert route_by_module("automat.cad.tasks.extract_metadata", (), {}, {}) == {"queue": STEP_QUEUE}


def test_reliability_settings() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert {q.name for q in conf.task_queues} == {STEP_QUEUE, RENDER_QUEUE}
    assert "prune-pipeline-events" in conf.beat_schedule

"""After-commit dispatch and routing, against the real broker and a real worker process."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
from sqlalchemy import text

from automat.core.db import SyncDatabase
from automat.kit.transaction import on_commit
from automat.worker.celery_app import celery_app
from automat.worker.dispatch import enqueue_after_commit, pending
from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE, UndeclaredTask, declare_task, route_declared
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


def test_a_failing_after_commit_action_neither_hides_the_commit_nor_stops_the_next(
    celery_worker_process: subprocess.Popen[bytes],
    app_db: SyncDatabase,
    redis_client: Any,
    tenant: MadeTenant,
) -> None:
    """A live event that cannot be published (Redis away) must not make a committed transaction
    look failed to its caller, nor lose the task queued after it."""
    key = unique("mark")

    def unreachable() -> None:
        raise ConnectionError("Redis is away")

    with app_db.session(tenant.id) as session:
        on_commit(session, unreachable)
        enqueue_after_commit(session, "tests.support.celery_tasks.mark", tenant_id=str(tenant.id), key=key)
    assert _wait_for(redis_client, key, 30) == str(tenant.id)


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


def test_a_sender_that_imports_no_task_module_routes_by_the_declarations() -> None:
    """As in the API: the workflow executor sends the steps' tasks and the template check by the
    names' declarations alone (no task module is imported), and each message goes to the queue
    its task declared. Naming a task does not even build the Celery app (it reads its broker URL
    when built)."""
    code = (
        "import sys\n"
        "from automat.output_types.templates import VALIDATE_TASK\n"
        "from automat.workflows.catalogue import steps\n"
        "names = sorted({t for s in steps().latest() for t in s.handlers.values()}) + [VALIDATE_TASK]\n"
        "print('automat.worker.celery_app' in sys.modules)\n"
        "print(sorted(m for m in sys.modules if m.startswith('automat.') and m.endswith('tasks')))\n"
        "from automat.worker.celery_app import celery_app\n"
        "for name in names:\n"
        "    print(name.rsplit('.', 1)[1], celery_app.amqp.router.route({}, name)['queue'].name)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    app_built, loaded, *routes = out.stdout.splitlines()
    assert app_built == "False"
    assert loaded == "[]"
    assert dict(line.split() for line in routes) == {
        "occ_glb_export": STEP_QUEUE,
        "extract_metadata": STEP_QUEUE,
        "auto_materials": STEP_QUEUE,
        "render_cad_thumbnail": RENDER_QUEUE,
        "check_cad": STEP_QUEUE,
        "render_order_line": RENDER_QUEUE,
        "deliver_line": STEP_QUEUE,
        "parse_excel": STEP_QUEUE,
        "validate_render_template": RENDER_QUEUE,
    }


def test_an_undeclared_task_of_ours_is_refused_and_a_declaration_cannot_change_queue() -> None:
    with pytest.raises(UndeclaredTask):
        route_declared("automat.nowhere.tasks.nothing", (), {}, {})
    assert route_declared("celery.chord_unlock", (), {}, {}) is None  # Celery's own: the default queue
    name = declare_task(f"automat.tests.{unique('task')}", queue=RENDER_QUEUE)
    assert declare_task(name, queue=RENDER_QUEUE) == name
    assert route_declared(name, (), {}, {}) == {"queue": RENDER_QUEUE}
    with pytest.raises(ValueError, match="declared on"):
        declare_task(name, queue=STEP_QUEUE)
    with pytest.raises(ValueError, match="unknown queue"):
        declare_task(f"automat.tests.{unique('task')}", queue="elsewhere")


def test_reliability_settings() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert {q.name for q in conf.task_queues} == {STEP_QUEUE, RENDER_QUEUE}
    assert "prune-pipeline-events" in conf.beat_schedule

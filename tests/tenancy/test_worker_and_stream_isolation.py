"""Isolation beyond HTTP: a Celery task sent for tenant A, and the live event stream."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from starlette.websockets import WebSocketDisconnect

from automat.core.db import SyncDatabase
from automat.models.user import Role
from automat.pipeline.logger import PipelineLogger
from automat.pipeline.steps import ProcessStep
from automat.worker.base import MissingTenant
from automat.worker.celery_app import celery_app
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


def test_task_for_tenant_a_cannot_touch_tenant_b(
    celery_worker_process: subprocess.Popen[bytes],
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    admin_engine: Engine,
) -> None:
    as_role(tenant, Role.CLIENT)
    victim = as_role(other_tenant, Role.PROJECT_MANAGER)
    result = celery_app.send_task(
        "tests.support.celery_tasks.tamper",
        kwargs={
            "tenant_id": str(tenant.id),
            "victim_user_id": str(victim.user.id),
            "victim_tenant_id": str(other_tenant.id),
        },
    )
    report: dict[str, Any] = result.get(timeout=30)
    assert report["visible_users"] >= 1  # it does see its own tenant
    assert report["victim_visible"] == 0
    assert report["updated"] == 0
    assert report["deleted"] == 0
    assert report["insert"].startswith("refused")
    with admin_engine.connect() as conn:
        name = conn.execute(
            text("SELECT full_name FROM users WHERE id = :id"), {"id": victim.user.id}
        ).scalar_one()
    assert name != "pwned"


def test_task_without_tenant_is_refused(celery_worker_process: subprocess.Popen[bytes]) -> None:
    result = celery_app.send_task("tests.support.celery_tasks.mark", kwargs={"tenant_id": "", "key": "never"})
    with pytest.raises(MissingTenant):
        result.get(timeout=30)


def _logger(app_db: SyncDatabase, tenant: MadeTenant, job_id: str, redis_client: Any) -> PipelineLogger:
    return PipelineLogger(tenant_id=tenant.id, db=app_db, redis_client=redis_client, job_id=job_id)


def _receive_event(ws: Any) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = ws.receive_json()
        if message.get("type") == "pipeline_event":
            return message


def test_websocket_delivers_only_own_tenants_events(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    app_db: SyncDatabase,
    redis_client: Any,
) -> None:
    party = as_role(tenant, Role.PROJECT_MANAGER)
    token = party.headers["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/api/ws?token={token}") as ws:
        assert ws.receive_json()["type"] == "subscribed"
        _logger(app_db, other_tenant, "job-b", redis_client).step_start(ProcessStep.DELIVER, "B's secret")
        _logger(app_db, tenant, "job-a", redis_client).step_start(ProcessStep.DELIVER, "A's own")
        event = _receive_event(ws)
    assert event["message"] == "A's own"
    assert event["tenant_id"] == str(tenant.id)


def test_websocket_job_filter(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase, redis_client: Any
) -> None:
    party = as_role(tenant, Role.PROJECT_MANAGER)
    token = party.headers["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/api/ws?token={token}&job_id=wanted") as ws:
        assert ws.receive_json()["job_id"] == "wanted"
        _logger(app_db, tenant, "other-job", redis_client).step_start(ProcessStep.RENDER_STILL, "not this")
        _logger(app_db, tenant, "wanted", redis_client).step_start(ProcessStep.RENDER_STILL, "this one")
        assert _receive_event(ws)["message"] == "this one"


def test_global_admin_stream_sees_all_tenants(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    app_db: SyncDatabase,
    redis_client: Any,
) -> None:
    ga = as_role(None, Role.GLOBAL_ADMIN)
    token = ga.headers["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/api/ws?token={token}") as ws:
        ws.receive_json()
        _logger(app_db, tenant, "ga-1", redis_client).step_start(ProcessStep.DELIVER, "from a")
        _logger(app_db, other_tenant, "ga-2", redis_client).step_start(ProcessStep.DELIVER, "from b")
        seen = {_receive_event(ws)["tenant_id"] for _ in range(2)}
    assert seen == {str(tenant.id), str(other_tenant.id)}


@pytest.mark.parametrize("token", ["", "garbage.token.value"])
def test_websocket_without_valid_token_is_closed(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/api/ws?token={token}") as ws:
        message = ws.receive_json()
        assert message["type"] == "error"
        assert message["error"]["code"] in {"not_authenticated", "token_invalid"}
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4401

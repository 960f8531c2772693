"""A CAD file deleted while it is being converted leaves no file behind (issue 10 §5).

The race is made deterministic: the test worker's conversion stops right after the sandbox has
written the GLBs (``tests.support.celery_tasks``), the file is deleted through the API then, and
only after the 204 does the conversion go on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import redis
from celery.result import AsyncResult
from fastapi.testclient import TestClient

from automat.core.storage import default_storage
from automat.models.user import Role
from automat.worker.celery_app import celery_app
from tests.cad.conftest import BEARING, fixture
from tests.support.celery_tasks import CONVERSION_PAUSED, CONVERSION_RESUME, PAUSE_CONVERSION
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party
from tests.support.redis_wait import blocking_pop

pytestmark = pytest.mark.usefixtures("celery_worker_process")


def test_a_file_deleted_during_its_conversion_leaves_no_file(
    client: TestClient, as_role: Any, tenant: MadeTenant, redis_client: redis.Redis
) -> None:
    pm: Party = as_role(tenant, Role.PROJECT_MANAGER)
    storage = default_storage()
    redis_client.set(PAUSE_CONVERSION.format(tenant=tenant.id), "1", ex=300)
    created = client.post(
        "/api/cad-files",
        files={"file": (BEARING, fixture(BEARING).read_bytes(), "application/octet-stream")},
        headers=pm.headers,
    )
    assert created.status_code == 201, created.text
    cad_id = created.json()["id"]
    folder = storage.root / "tenants" / str(tenant.id) / "cad" / cad_id

    paused = blocking_pop(redis_client, CONVERSION_PAUSED.format(tenant=tenant.id), timeout_s=120)
    assert paused is not None, "the conversion did not reach the pause"
    glb = Path(str(paused))
    assert glb.is_file()  # the GLBs exist, in the step's temp folder
    doc = client.get(f"/api/cad-files/{cad_id}", headers=pm.headers).json()["job_document"]
    task_id = doc["celery_task_id"]

    assert client.delete(f"/api/cad-files/{cad_id}", headers=pm.headers).status_code == 204
    assert not folder.exists()
    redis_client.rpush(CONVERSION_RESUME.format(tenant=tenant.id), "go")

    assert AsyncResult(task_id, app=celery_app).get(timeout=120) == "missing"
    assert not folder.exists(), sorted(p.name for p in folder.iterdir())
    assert not glb.parent.exists()  # the temp folder went with what was computed in it
    assert client.get(f"/api/cad-files/{cad_id}", headers=pm.headers).status_code == 404

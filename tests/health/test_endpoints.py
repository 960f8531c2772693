from __future__ import annotations

import subprocess

from fastapi.testclient import TestClient


def test_health_reports_database_redis_and_workers(
    client: TestClient, celery_worker_process: subprocess.Popen[bytes]
) -> None:
    response = client.get("/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["redis"] == "ok"
    assert body["workers"] >= 1


def test_liveness_needs_nothing(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "ok"}

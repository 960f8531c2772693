"""`automat up` as a newcomer runs it: embedded servers, migrations, demo data, API, workers,
beat; Ctrl-C stops every process; a second start reuses the data."""

from __future__ import annotations

import json
import os
import signal
import socket
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

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
        demo_pm = _login(base, "pm@demo.local", creds["pm@demo.local"])
        demo_users = httpx.get(f"{base}/api/users", headers=demo_pm, timeout=10).json()
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

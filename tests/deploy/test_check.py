"""``automat check`` against the test session's real PostgreSQL and Redis, and what it says when
something a host needs is missing: a bad database URL, a Redis port nobody listens on, a storage
root it may not write, a schema behind the code. Every run is the real command in a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from automat.config import Settings

AUTOMAT = [sys.executable, "-m", "automat.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def host_env(tmp_path: Path, settings: Settings) -> dict[str, str]:
    """A fresh host: its own AUTOMAT_HOME with a storage root, the session's servers, the shared
    secrets given in the environment as a multi-host install gives them."""
    home = tmp_path / "home"
    (home / "storage").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOMAT_")}
    env.update(
        AUTOMAT_HOME=str(home),
        AUTOMAT_DATABASE_URL=str(settings.database_url),
        AUTOMAT_DATABASE_NAME=settings.database_name,
        AUTOMAT_REDIS_URL=str(settings.redis_url),
        AUTOMAT_APP_DB_PASSWORD=settings.secret("app_db_password"),
        AUTOMAT_SECRET_KEY="check-test-key",
    )
    return env


def run_check(env: dict[str, str], *args: str, prefix: list[str] | None = None) -> tuple[int, dict[str, Any]]:
    proc = subprocess.run(
        [*(prefix or []), *AUTOMAT, "check", "--json", *args],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def use_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for key in [k for k in os.environ if k.startswith("AUTOMAT_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("AUTOMAT_"):
            monkeypatch.setenv(key, value)


def check_here(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], role: str, *, require_gpu: bool = False
) -> tuple[int, dict[str, Any]]:
    """The same checks in this process (seconds of imports saved per run), in ``env`` alone."""
    from automat.health.host import run_checks

    use_env(monkeypatch, env)
    report = run_checks(role, require_gpu=require_gpu)
    return (0 if report.ready else 1), report.as_json()


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in report["checks"]}


def test_api_host_reaches_everything(host_env: dict[str, str]) -> None:
    code, report = run_check(host_env, "--role", "api")
    checks = by_name(report)
    assert code == 0, report["problems"]
    assert report["ready"] is True
    assert checks["config"]["status"] == "ok"
    db = checks["database"]
    assert db["status"] == "ok"
    assert db["detail"]["user"] == "automat_app"  # the role the API logs in as
    assert db["detail"]["server_version"].split(".")[0].isdigit()
    assert checks["migrations"]["status"] == "ok"
    assert checks["migrations"]["detail"]["current"] == checks["migrations"]["detail"]["heads"]
    assert checks["broker"]["status"] == "ok"
    assert checks["broker"]["detail"]["server_version"]
    storage = checks["storage"]
    assert storage["status"] == "ok"
    assert storage["detail"]["free_bytes"] > 0
    assert os.listdir(storage["detail"]["root"]) == []  # the probe file is gone
    assert checks["blender"]["status"] == checks["cad"]["status"] == "skip"  # not an api host's business


def test_text_output_has_one_line_per_check(
    host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from automat.health.host import run_checks

    use_env(monkeypatch, host_env)
    lines = run_checks("api").lines()
    names = [line.split()[1] for line in lines[:-1]]
    assert names == ["config", "database", "migrations", "broker", "storage", "blender", "cad"]
    assert lines[1].startswith("OK") and "PostgreSQL" in lines[1]
    assert lines[3].startswith("OK") and "Redis" in lines[3]
    assert lines[-1].startswith("Ready for api")


def test_render_host_reports_its_cycles_device(
    host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, report = check_here(monkeypatch, host_env, "render")
    blender = by_name(report)["blender"]
    assert blender["required"] is True
    assert blender["detail"]["blender"].startswith(("4.", "5."))
    info = blender["detail"]["gpu_info"]
    if info["fallback"]:  # no GPU here: the CPU, with the reason, is a warning, not a failure
        assert blender["status"] == "warn"
        assert "CPU fallback" in blender["summary"] and info["reason"] in blender["summary"]
    else:
        assert blender["status"] == "ok" and info["devices"][0] in blender["summary"]
    assert code == 0, report["problems"]

    code, report = check_here(monkeypatch, host_env, "render", require_gpu=True)
    if info["fallback"]:
        assert code == 1
        assert any(p.startswith("blender:") and "CPU fallback" in p for p in report["problems"])
    else:
        assert code == 0


def test_bad_database_url_fails_with_the_reason(
    host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _free_port()
    host_env["AUTOMAT_DATABASE_URL"] = f"postgresql://postgres:x@127.0.0.1:{port}/postgres"
    code, report = check_here(monkeypatch, host_env, "worker")
    assert code == 1
    assert by_name(report)["database"]["status"] == "fail"
    assert by_name(report)["migrations"]["status"] == "skip"
    problem = next(p for p in report["problems"] if p.startswith("database:"))
    assert f"127.0.0.1:{port}" in problem and "refused" in problem.lower()
    assert by_name(report)["broker"]["status"] == "ok"  # the rest is still checked
    assert by_name(report)["cad"]["status"] == "ok"  # a worker converts STEP: cascadio imports


def test_beat_does_not_need_the_database(host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    host_env["AUTOMAT_DATABASE_URL"] = f"postgresql://postgres:x@127.0.0.1:{_free_port()}/postgres"
    code, report = check_here(monkeypatch, host_env, "beat")
    assert by_name(report)["database"]["status"] == "fail"
    assert by_name(report)["database"]["required"] is False
    assert code == 0 and report["ready"] is True


def test_unreachable_redis_fails_with_the_reason(
    host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _free_port()
    host_env["AUTOMAT_REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    code, report = check_here(monkeypatch, host_env, "beat")
    assert code == 1
    problem = next(p for p in report["problems"] if p.startswith("broker:"))
    assert f"127.0.0.1:{port}" in problem and "refused" in problem.lower()


def test_no_urls_means_failure_not_embedded_servers(
    host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    del host_env["AUTOMAT_DATABASE_URL"], host_env["AUTOMAT_REDIS_URL"]
    code, report = check_here(monkeypatch, host_env, "api")
    assert code == 1
    assert "AUTOMAT_DATABASE_URL" in by_name(report)["database"]["summary"]
    assert "AUTOMAT_REDIS_URL" in by_name(report)["broker"]["summary"]
    home = Path(host_env["AUTOMAT_HOME"])
    assert not (home / "postgres").exists() and not (home / "redis").exists()  # nothing was started


def test_read_only_storage_root_fails(host_env: dict[str, str]) -> None:
    root = Path(host_env["AUTOMAT_HOME"]) / "storage"
    prefix: list[str] = []
    if os.geteuid() == 0:  # root writes through permissions: a read-only bind mount in a private namespace
        prefix = ["unshare", "-m", "sh", "-c", f'mount --bind "{root}" "{root}" && '
                  f'mount -o remount,bind,ro "{root}" && exec "$0" "$@"']  # fmt: skip
    else:
        root.chmod(0o555)
    code, report = run_check(host_env, "--role", "api", prefix=prefix)
    assert code == 1
    storage = by_name(report)["storage"]
    assert storage["status"] == "fail"
    assert "not writable" in storage["summary"] and str(root) in storage["summary"]


def test_missing_storage_root_fails(host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(host_env["AUTOMAT_HOME"]) / "storage"
    root.rmdir()
    code, report = check_here(monkeypatch, host_env, "worker")
    assert code == 1
    assert "does not exist" in by_name(report)["storage"]["summary"]
    assert not root.exists()  # the check does not create it


def test_schema_behind_the_code_fails(
    host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, admin_engine: Engine
) -> None:
    name = f"automat_check_{uuid.uuid4().hex[:8]}"
    with admin_engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(f"CREATE DATABASE {name}"))
    try:
        host_env["AUTOMAT_DATABASE_NAME"] = name
        code, report = check_here(monkeypatch, host_env, "api")
        assert code == 1
        migrations = by_name(report)["migrations"]
        assert migrations["status"] == "fail"
        assert "not migrated" in migrations["summary"] and "automat migrate" in migrations["summary"]
    finally:
        with admin_engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text(f"DROP DATABASE {name} WITH (FORCE)")
            )


def test_secrets_from_files(
    host_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    redis_file = tmp_path / "redis_url"
    redis_file.write_text(host_env.pop("AUTOMAT_REDIS_URL") + "\n")  # as `echo … > file` leaves it
    host_env["AUTOMAT_REDIS_URL_FILE"] = str(redis_file)
    code, report = check_here(monkeypatch, host_env, "beat")
    assert code == 0, report["problems"]
    assert by_name(report)["config"]["detail"]["secrets"]["redis_url"] == f"file {redis_file}"

    host_env["AUTOMAT_REDIS_URL_FILE"] = str(tmp_path / "missing")
    code, report = check_here(monkeypatch, host_env, "beat")
    assert code == 1
    assert "AUTOMAT_REDIS_URL_FILE" in by_name(report)["config"]["summary"]


def test_unknown_role_is_refused() -> None:
    from typer.testing import CliRunner

    from automat.cli import app

    result = CliRunner().invoke(app, ["check", "--role", "gpu"])
    assert result.exit_code == 2
    assert "api, worker, render, beat" in result.output

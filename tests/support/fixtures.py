"""Shared fixtures: the app client, databases, factories, logins, a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, update

from automat.config import Settings, get_settings
from automat.core.db import SyncDatabase
from automat.core.urls import admin_url
from automat.models.cad import CadFile, CadStatus
from automat.models.product import Product
from automat.models.user import Role
from tests.support.factories import MadeTenant, MadeUser, make_tenant, make_user

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
def app_db(settings: Settings) -> Iterator[SyncDatabase]:
    """The application role (no BYPASSRLS), as workers use it."""
    db = SyncDatabase(settings)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def admin_engine(settings: Settings) -> Iterator[Engine]:
    """The admin connection (superuser on the embedded server): sets up rows RLS would hide."""
    engine = create_engine(admin_url(settings))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def redis_client(settings: Settings) -> redis.Redis:
    assert settings.redis_url
    return redis.Redis.from_url(settings.redis_url, decode_responses=True)


@pytest.fixture(autouse=True)
def _fresh_login_counters(redis_client: redis.Redis) -> None:
    keys = list(redis_client.scan_iter("automat:login-failures:*"))
    if keys:
        redis_client.delete(*keys)


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    from automat.app import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def tenant(app_db: SyncDatabase) -> MadeTenant:
    return make_tenant(app_db)


@pytest.fixture
def other_tenant(app_db: SyncDatabase) -> MadeTenant:
    return make_tenant(app_db)


UserFactory = Callable[..., MadeUser]


@pytest.fixture
def user_factory(app_db: SyncDatabase) -> UserFactory:
    def make(tenant: MadeTenant | None, role: Role = Role.PROJECT_MANAGER, **kw: object) -> MadeUser:
        return make_user(app_db, tenant=tenant, role=role, **kw)  # type: ignore[arg-type]

    return make


def login(client: TestClient, user: MadeUser) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@dataclass
class Party:
    """A user of a tenant, logged in."""

    user: MadeUser
    headers: dict[str, str]


@pytest.fixture
def as_role(client: TestClient, user_factory: UserFactory) -> Callable[[MadeTenant | None, Role], Party]:
    def make(tenant: MadeTenant | None, role: Role) -> Party:
        user = user_factory(tenant, role)
        return Party(user, login(client, user))

    return make


@pytest.fixture(scope="session")
def worker_metrics_dir(tmp_root: Path) -> Path:
    """Where the test worker's processes keep their Prometheus metrics (multiprocess mode)."""
    path = tmp_root / "worker-metrics"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def celery_worker_process(
    settings: Settings, tmp_root: Path, worker_metrics_dir: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker in its own process, on the real broker, with the test tasks loaded;
    its metrics go to ``worker_metrics_dir`` as on a real host."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        "PROMETHEUS_MULTIPROC_DIR": str(worker_metrics_dir),
    }
    log_path = tmp_root / "celery-worker.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "automat.worker_app:celery_app", "worker",
                "-Q", "step_processing,thumbnail_rendering", "-n", "test@%h", "--concurrency", "1",
                "--include", "tests.support.celery_tasks", "--loglevel", "INFO", "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    from automat.worker.celery_app import celery_app

    # Importing the worker's task modules alone takes 30 s and more on a loaded 2-core machine.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"celery worker exited:\n{log_path.read_text()}")
        if celery_app.control.ping(timeout=0.5):
            break
    else:
        proc.kill()
        raise RuntimeError(f"celery worker did not answer:\n{log_path.read_text()}")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


CadLinker = Callable[[MadeTenant, list[uuid.UUID]], None]


@pytest.fixture
def cad_still_processing(app_db: SyncDatabase) -> Iterator[CadLinker]:
    """Link products to a CAD file that is still being converted: their lines wait in check_cad (a
    session's worker may be running) and the order stays open for a reject. Afterwards the file
    fails, so the waiting lines end within a retry instead of keeping the worker busy for hours."""
    made: list[tuple[uuid.UUID, uuid.UUID]] = []

    def link(tenant: MadeTenant, products: list[uuid.UUID]) -> None:
        with app_db.session(tenant.id) as session:
            cad = CadFile(
                tenant_id=tenant.id, original_name="converting.step", sha256=uuid.uuid4().hex,
                size_bytes=1, storage_key=f"tenants/{tenant.id}/cad/{uuid.uuid4()}/source.step",
                status=CadStatus.PROCESSING,
            )  # fmt: skip
            session.add(cad)
            session.flush()
            session.execute(update(Product).where(Product.id.in_(products)).values(cad_file_id=cad.id))
            made.append((tenant.id, cad.id))

    yield link
    for tenant_id, cad_id in made:
        with app_db.session(tenant_id) as session:
            session.execute(
                update(CadFile).where(CadFile.id == cad_id).values(status=CadStatus.FAILED, error="test over")
            )

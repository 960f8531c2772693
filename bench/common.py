"""Shared benchmark plumbing: private servers in a temp dir, timing, JSON output."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


@contextmanager
def private_database() -> Iterator[None]:
    """A migrated embedded PostgreSQL (and Redis) of its own, configured through the env.

    With ``AUTOMAT_BENCH_DIR`` set the servers live in that directory and outlive the run: the next
    run with the same directory attaches to them (benches that seed check whether their data is
    there), which lets a large database be measured again, or EXPLAINed, without rebuilding it."""
    from automat.config import get_settings
    from automat.core.embedded import EmbeddedServices, start_postgres, start_redis
    from automat.core.migrate import migrate

    keep = os.environ.get("AUTOMAT_BENCH_DIR")
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="automat-bench-"))
    pg, db_url = start_postgres(root / "pg")
    rd, redis_url = start_redis(root / "redis")
    services = EmbeddedServices(pg, rd, db_url, redis_url)
    os.environ.update(
        {"AUTOMAT_HOME": str(root / "home"), "AUTOMAT_DATABASE_URL": db_url, "AUTOMAT_REDIS_URL": redis_url}
    )
    get_settings.cache_clear()
    try:
        migrate(get_settings())
        yield
    finally:
        services.close()


def best_of(fn: Callable[[], Any], *, repeat: int = 7, number: int = 20) -> float:
    """Median seconds per call over ``repeat`` rounds of ``number`` calls."""
    fn()  # warm caches and plans
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def report(name: str, baseline_s: float, value_s: float, **extra: Any) -> dict[str, Any]:
    result = {
        "name": name,
        "baseline_s": round(baseline_s, 6),
        "value_s": round(value_s, 6),
        "ratio": round(value_s / baseline_s, 3) if baseline_s else None,
        **extra,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result), flush=True)
    return result


PASSWORD = "bench-password-1"  # noqa: S105 (a throwaway user of a private database)


def tenant_with_pm(
    slug: str | None = None, *, role: str = "project_manager", **config: Any
) -> tuple[uuid.UUID, str]:
    """A fresh tenant (``config`` as its tenant_config) with one user of ``role`` (a project manager
    unless told); (tenant id, e-mail)."""
    from automat.core.db import BYPASS
    from automat.core.security import hash_password
    from automat.models.tenant import Tenant
    from automat.models.user import User
    from automat.tenants.schemas import TenantConfig
    from automat.worker.context import worker_db

    slug = slug or f"bench-{uuid.uuid4().hex[:8]}"
    with worker_db().session(BYPASS) as session:
        tenant = Tenant(slug=slug, name=slug, tenant_config=TenantConfig(**config).model_dump())
        session.add(tenant)
        session.flush()
        email = f"pm@{slug}.example"
        secret = hash_password(PASSWORD)
        session.add(User(tenant_id=tenant.id, email=email, role=role, password_hash=secret))
        return tenant.id, email

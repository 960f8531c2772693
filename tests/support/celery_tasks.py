"""Tasks that exist only for tests; the test worker loads them with ``--include``.

They use the production base tasks, so what they show about tenant confinement and
after-commit dispatch holds for every real task built on them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from automat.cad import tasks as cad_tasks
from automat.cad import thumbnail
from automat.cad.conversion import ConversionOutput
from automat.core.redis import sync_client
from automat.orders import tasks as order_tasks
from automat.pipeline.steps import ProcessStep
from automat.pipeline.task import StepTask
from automat.worker.base import TenantTask
from automat.worker.celery_app import celery_app
from tests.support.redis_wait import blocking_pop


@celery_app.task(base=TenantTask, bind=True, name="tests.support.celery_tasks.tamper")
def tamper(self: TenantTask, *, tenant_id: str, victim_user_id: str, victim_tenant_id: str) -> dict[str, Any]:
    """Run for tenant A, try everything against tenant B's rows; report what happened."""
    report: dict[str, Any] = {}
    with self.tenant_session(tenant_id) as session:
        report["visible_users"] = session.execute(text("SELECT count(*) FROM users")).scalar()
        report["victim_visible"] = session.execute(
            text("SELECT count(*) FROM users WHERE id = :id"), {"id": victim_user_id}
        ).scalar()
        report["updated"] = session.execute(
            text("UPDATE users SET full_name = 'pwned' WHERE id = :id"), {"id": victim_user_id}
        ).rowcount
        report["deleted"] = session.execute(
            text("DELETE FROM users WHERE id = :id"), {"id": victim_user_id}
        ).rowcount
    try:
        with self.tenant_session(tenant_id) as session:
            session.execute(
                text(
                    "INSERT INTO tenant_settings (tenant_id, key, value) "
                    "VALUES (:t, 'max_upload_mb', '1'::jsonb)"
                ),
                {"t": victim_tenant_id},
            )
        report["insert"] = "accepted"
    except Exception as exc:
        report["insert"] = f"refused: {exc.__class__.__name__}"
    return report


@celery_app.task(base=StepTask, bind=True, name="tests.support.celery_tasks.mark")
def mark(self: StepTask, *, tenant_id: str, key: str) -> str:
    """Leave a mark in Redis (proves the task ran) and log a pipeline step for the tenant."""
    pl = self.pipeline_logger(tenant_id, job_id=key)
    with pl.step(ProcessStep.DELIVER, "marking"):
        sync_client().set(key, str(uuid.UUID(tenant_id)), ex=300)
    return key


# -- a pause inside the CAD conversion, for races made deterministic ---------------------------
# When the key PAUSE_CONVERSION names a tenant, that tenant's next conversion stops right after the
# sandbox has written its GLBs (into the step's temp folder) and before the task goes on: it pushes
# the production GLB's path onto CONVERSION_PAUSED and waits for an item on CONVERSION_RESUME.

PAUSE_CONVERSION = "tests:pause-conversion:{tenant}"
CONVERSION_PAUSED = "tests:conversion-paused:{tenant}"
CONVERSION_RESUME = "tests:conversion-resume:{tenant}"


def _pausing(convert: Callable[..., ConversionOutput]) -> Callable[..., ConversionOutput]:
    def convert_step(step_path: Path, out_dir: Path, **kwargs: Any) -> ConversionOutput:
        out = convert(step_path, out_dir, **kwargs)
        parts = step_path.parts  # …/storage/tenants/<tenant>/cad/<id>/source.step
        tenant = parts[-4] if len(parts) >= 4 else ""
        client = sync_client()
        if client.delete(PAUSE_CONVERSION.format(tenant=tenant)):
            client.rpush(CONVERSION_PAUSED.format(tenant=tenant), str(out.production))
            blocking_pop(client, CONVERSION_RESUME.format(tenant=tenant), timeout_s=120)
        return out

    return convert_step


cad_tasks.convert_step = _pausing(cad_tasks.convert_step)  # type: ignore[assignment]


# -- a pause before the CAD thumbnail renders ----------------------------------------------------
# When PAUSE_THUMBNAIL names a tenant, that tenant's next thumbnail stops right after its step was
# recorded as running (before the render host is asked): it pushes the CAD file's id onto
# THUMBNAIL_PAUSED and waits for an item on THUMBNAIL_RESUME.

PAUSE_THUMBNAIL = "tests:pause-thumbnail:{tenant}"
THUMBNAIL_PAUSED = "tests:thumbnail-paused:{tenant}"
THUMBNAIL_RESUME = "tests:thumbnail-resume:{tenant}"


def _pausing_thumbnail(begin: Callable[..., Any]) -> Callable[..., Any]:
    def _begin(task: TenantTask, tid: uuid.UUID, cid: uuid.UUID, **kwargs: Any) -> Any:
        job = begin(task, tid, cid, **kwargs)
        client = sync_client()
        if job is not None and client.delete(PAUSE_THUMBNAIL.format(tenant=tid)):
            client.rpush(THUMBNAIL_PAUSED.format(tenant=tid), str(cid))
            blocking_pop(client, THUMBNAIL_RESUME.format(tenant=tid), timeout_s=120)
        return job

    return _begin


thumbnail._begin = _pausing_thumbnail(thumbnail._begin)


# -- a thumbnail render that takes (nearly) forever ---------------------------------------------
# While SLOW_THUMBNAIL names a tenant, that tenant's thumbnails render with so many samples that a
# test has all the time it needs to cancel one mid-render (the admin job's cancel).

SLOW_THUMBNAIL = "tests:slow-thumbnail:{tenant}"


def _slow_thumbnail(make_spec: Callable[..., Any]) -> Callable[..., Any]:
    def thumbnail_spec(**kwargs: Any) -> Any:
        spec = make_spec(**kwargs)
        parts = Path(str(kwargs.get("input_glb", ""))).parts  # …/tenants/<tenant>/cad/<id>/production.glb
        tenant = parts[-4] if len(parts) >= 4 else ""
        if tenant and sync_client().exists(SLOW_THUMBNAIL.format(tenant=tenant)):
            spec = spec.model_copy(update={"samples": 60_000})
        return spec

    return thumbnail_spec


thumbnail.thumbnail_spec = _slow_thumbnail(thumbnail.thumbnail_spec)


# -- a worker on which the CAD check fails (the per-worker blocklist) ---------------------------
# CHECK_CAD_ON names a worker (its Celery node name): "fail" makes every CAD check of an order line
# on that worker raise as a broken host would, "ok" makes it pass (and records on CHECK_CAD_RAN
# which worker checked the line); unset, the check runs as always.

CHECK_CAD_ON = "tests:check-cad-on:{worker}"
CHECK_CAD_RAN = "tests:check-cad-ran:{line}"


def _scripted_check(check: Callable[..., str]) -> Callable[..., str]:
    def _check(task: StepTask, tid: uuid.UUID, lid: uuid.UUID) -> str:
        worker = str(getattr(task.request, "hostname", "") or "")
        client = sync_client()
        scripted = client.get(CHECK_CAD_ON.format(worker=worker)) if worker else None
        if scripted == "fail":
            raise RuntimeError(f"the CAD checker is broken on {worker}")
        if scripted == "ok":
            client.set(CHECK_CAD_RAN.format(line=lid), worker, ex=600)
            return "ready"
        return check(task, tid, lid)

    return _check


order_tasks._check = _scripted_check(order_tasks._check)

"""A hand-built data set for the analytics: order lines that end the way a render does (queued,
started, finished with a job document whose steps carry durations and devices), CAD files that end
ready or failed, and orders with histories. The rows are written by the app role, so the triggers
fill the rollup tables as they do in production."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from automat.core.db import SyncDatabase
from automat.models.cad import CadFile
from automat.models.order import Order, OrderLine
from tests.support.factories import MadeTenant, make_product, unique


def at(day: date, hour: int = 12, seconds: float = 0) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC) + timedelta(seconds=seconds)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def make_order(
    db: SyncDatabase,
    tenant: MadeTenant,
    *,
    created: datetime | None = None,
    status: str = "processing",
    history: list[dict[str, Any]] | None = None,
    submissions: int = 1,
) -> uuid.UUID:
    with db.session(tenant.id) as session:
        order = Order(
            tenant_id=tenant.id, number=unique("ORD"), status=status, history=history or [],
            submission_count=submissions,
        )  # fmt: skip
        if created is not None:
            order.created_at = created
        session.add(order)
        session.flush()
        return order.id


def render_line(
    db: SyncDatabase,
    tenant: MadeTenant,
    *,
    order_id: uuid.UUID,
    output_type_id: uuid.UUID,
    step: str = "render_still",
    queued: datetime,
    wait_s: float,
    render_s: float,
    device: str | None = "NVIDIA RTX A4000 (OPTIX)",
    fail_step: str | None = None,
    error: str | None = None,
    deliver_s: float = 2.0,
) -> uuid.UUID:
    """A line queued at ``queued`` that starts rendering ``wait_s`` later and renders ``render_s``;
    completed ``deliver_s`` after that, or failed in ``fail_step`` with ``error``. Written as the
    workers do: inserted queued, then updated to its end (the trigger sees the UPDATE)."""
    product_id = make_product(db, tenant=tenant)
    started = queued + timedelta(seconds=wait_s)
    rendered = started + timedelta(seconds=render_s)
    with db.session(tenant.id) as session:
        line = OrderLine(
            tenant_id=tenant.id, order_id=order_id, product_id=product_id, output_type_id=output_type_id,
            render_status="queued", job_document={},
        )  # fmt: skip
        session.add(line)
        session.flush()
        job = f"line:{line.id}:1"
        history = [
            {"at": iso(queued), "from_state": "pending", "to_state": "queued", "reason": "submission 1"}
        ]
        steps: list[dict[str, Any]] = [
            {
                "name": "check_cad",
                "status": "completed",
                "started_at": iso(queued),
                "duration_s": 0.1,
                "attempts": 1,
            }
        ]
        errors: list[dict[str, Any]] = []
        if fail_step == "check_cad":
            steps = [{"name": "check_cad", "status": "failed", "error": error, "attempts": 1}]
            errors = [{"at": iso(started), "message": error, "step": "check_cad"}]
            line.render_status, line.finished_at = "failed", started
        else:
            history.append(
                {"at": iso(started), "from_state": "queued", "to_state": "running", "reason": None}
            )
            record: dict[str, Any] = {
                "name": step, "status": "completed", "started_at": iso(started),
                "completed_at": iso(rendered), "duration_s": render_s, "attempts": 1, "engine": "CYCLES",
                "device": device,
            }  # fmt: skip
            line.started_at = started
            if fail_step is not None:
                record.update(status="failed", error=error, device=None)
                errors = [{"at": iso(rendered), "message": error, "step": step}]
                line.render_status, line.finished_at = "failed", rendered
            else:
                line.render_status, line.finished_at = "completed", rendered + timedelta(seconds=deliver_s)
            steps.append(record)
        line.job_document = {
            "version": 1, "job_id": job, "state": line.render_status, "steps": steps,
            "error": error, "errors": errors, "warnings": [], "history": history,
            "created_at": iso(queued), "updated_at": iso(line.finished_at),
        }  # fmt: skip
        session.flush()
        return line.id


def cad_file(
    db: SyncDatabase,
    tenant: MadeTenant,
    *,
    ended: datetime,
    conversion_s: float | None,
    processing_s: float,
    parts: int | None = None,
    triangles: int | None = None,
    error_code: str | None = None,
) -> uuid.UUID:
    """A CAD file whose processing began ``processing_s`` before ``ended`` and ended ready (or
    failed with ``error_code``)."""
    began = ended - timedelta(seconds=processing_s)
    steps = []
    if conversion_s is not None:
        steps.append(
            {"name": "occ_glb_export", "status": "completed", "duration_s": conversion_s, "attempts": 1}
        )
    doc = {"version": 1, "job_id": f"cad:{uuid.uuid4()}", "state": "completed", "steps": steps,
           "errors": [], "history": [], "created_at": iso(began), "updated_at": iso(ended)}  # fmt: skip
    with db.session(tenant.id) as session:
        cad = CadFile(
            tenant_id=tenant.id, original_name=f"{unique('part')}.step", sha256=uuid.uuid4().hex * 2,
            size_bytes=1000, storage_key="k", status="processing", job_document=doc,
        )  # fmt: skip
        session.add(cad)
        session.flush()
        cad.status = "failed" if error_code else "ready"
        cad.error_code = error_code
        cad.error = f"it failed: {error_code}" if error_code else None
        cad.cad_metadata = {"counts": {"parts": parts, "triangles": triangles}} if parts is not None else {}
        cad.updated_at = ended
        session.flush()
        return cad.id

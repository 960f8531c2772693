"""Render template validation on the render queue: open the .blend in a render host.

``validate_render_template`` runs once per upload (after its commit). The worker's render host
opens the file with its scripts disabled and reports what is in it; the template becomes
``ready`` (a camera or an ``AUTOMAT_MODEL`` anchor) or ``invalid`` with a readable reason, and
the tenant's activity feed gets one entry either way. A redelivered message for a template that
is no longer ``validating`` does nothing.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from automat.core.storage import default_storage
from automat.models.audit import AuditChannel, AuditLog
from automat.models.output import TemplateStatus
from automat.output_types import repository
from automat.output_types.templates import VALIDATE_TASK, verdict
from automat.rendering.host_client import RenderHostError
from automat.rendering.worker_host import worker_host
from automat.worker.base import TenantTask
from automat.worker.celery_app import celery_app

log = logging.getLogger(__name__)
INSPECT_TIMEOUT_S = 300.0


def _pending_key(task: TenantTask, tid: uuid.UUID, rid: uuid.UUID) -> str | None:
    with task.tenant_session(tid) as session:
        row = repository.template_sync(session, rid, tid)
        if row is None or row.status != TemplateStatus.VALIDATING:
            return None
        return row.storage_key


def _inspect(storage_key: str) -> dict[str, Any]:
    try:
        path = default_storage().path(storage_key)
        return worker_host().inspect_template(path, timeout_s=INSPECT_TIMEOUT_S)
    except (RenderHostError, OSError, ValueError) as exc:  # no host, or a bad key: not the file's fault
        log.exception("render template inspection could not run")
        return {"status": "failed", "host_error": f"the render host could not inspect it ({exc})"}


def _record(task: TenantTask, tid: uuid.UUID, rid: uuid.UUID, report: dict[str, Any]) -> str:
    status, error = verdict(report)
    with task.tenant_session(tid) as session:
        row = repository.template_for_update(session, rid, tid)
        if row is None:
            return "missing"
        row.status = status.value
        row.error = error
        row.inspection = {
            k: v for k, v in report.items() if k not in ("job_id", "status", "error", "host_error")
        }
        message = f"Render template {row.name!r} is {status.value}" + (f": {error}" if error else "")
        repository.add_audit_entry(
            session,
            AuditLog(
                tenant_id=tid,
                channel=AuditChannel.ACTIVITY.value,
                actor_id=row.uploaded_by,
                action="render_template.validated",
                target_type="render_template",
                target_id=str(rid),
                detail={"message": message, "name": row.name, "status": status.value, "error": error},
            ),
        )
    log.info("%s", message)
    return status.value


@celery_app.task(base=TenantTask, bind=True, name=VALIDATE_TASK)
def validate_render_template(self: TenantTask, *, tenant_id: str, template_id: str) -> str:
    """Open an uploaded template in the render host; mark it ready or invalid."""
    tid, rid = uuid.UUID(tenant_id), uuid.UUID(template_id)
    key = _pending_key(self, tid, rid)
    if key is None:
        return "skipped"
    return _record(self, tid, rid, _inspect(key))

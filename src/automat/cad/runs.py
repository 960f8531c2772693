"""A CAD file's part in its workflow runs (sync; the executor calls these in its transactions).

A file whose run ended while the file was still processing (a node raised, or a tenant's
workflow stopped before assigning materials) fails with the run's reason; a retried node puts a
failed file back to processing.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from automat.cad import repository
from automat.models.cad import CadStatus
from automat.models.workflow import WorkflowRun
from automat.pipeline import executor
from automat.pipeline.executor import RunStatus
from automat.pipeline.job_document import JobState, RenderJobDocument


def lock_file(session: Session, tenant_id: uuid.UUID, cad_file_id: uuid.UUID) -> None:
    repository.get_for_update(session, cad_file_id, tenant_id)


def _document(job: dict | None, cad_file_id: uuid.UUID) -> RenderJobDocument:  # type: ignore[type-arg]
    return RenderJobDocument.from_json(job) if job else RenderJobDocument(job_id=f"cad:{cad_file_id}")


def run_ended(session: Session, run: WorkflowRun) -> None:
    latest = executor.latest_run(session, run.subject_id)
    if latest is None or latest.id != run.id:
        return
    cad = repository.get_for_update(session, run.subject_id, run.tenant_id)
    if cad is None or cad.status != CadStatus.PROCESSING:
        return  # ready (a later node, e.g. the thumbnail, may fail without harming the file) or failed
    if run.status == RunStatus.COMPLETED:
        message = f"Workflow {run.workflow_name} ended before the file was ready (no materials step)."
    else:
        message = f"Processing stopped: {run.error or run.status}"
    doc = _document(cad.job_document, cad.id)
    doc.append_error(message)
    if doc.can_move_to(JobState.FAILED):
        doc.set_state(JobState.FAILED, reason=message)
    cad.job_document = doc.to_json()
    cad.status = CadStatus.FAILED
    cad.error, cad.error_code, cad.error_detail = message, "workflow_failed", run.error


def reopen_file(session: Session, run: WorkflowRun, node_ids: list[str], _by: uuid.UUID | None) -> None:
    cad = repository.get_for_update(session, run.subject_id, run.tenant_id)
    if cad is None:
        raise executor.RunError("The CAD file no longer exists.")
    doc = _document(cad.job_document, cad.id)
    if cad.status == CadStatus.FAILED:
        doc.set_state(JobState.QUEUED, reason=f"retry of {', '.join(node_ids)}")
        cad.status = CadStatus.PROCESSING
        cad.error = cad.error_code = cad.error_detail = None
    cad.job_document = doc.to_json()


HOOKS = executor.SubjectHooks(lock=lock_file, reopen=reopen_file, ended=run_ended)
"""Registered for CAD files by ``cad/steps.py`` (loaded in the API and the workers)."""

"""A product import's part in its workflow run (sync; the executor calls these in its transactions).

An import runs the built-in "Product import" workflow (one ``parse_excel`` node). The task
records the import's end itself; an import its run left unfinished (the node's task raised before
it could, or the run was cancelled) fails with the run's reason, and a retried node puts a
failed import back to pending, so the task reads the stored workbook again.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from automat.models.product import ImportStatus
from automat.models.workflow import WorkflowRun
from automat.pipeline import executor
from automat.products import importer, repository

_FINISHED = (ImportStatus.COMPLETED, ImportStatus.FAILED)


def lock_import(session: Session, tenant_id: uuid.UUID, import_id: uuid.UUID) -> None:
    repository.import_for_update(session, import_id, tenant_id)


def run_ended(session: Session, run: WorkflowRun) -> None:
    latest = executor.latest_run(session, run.subject_id)
    if latest is None or latest.id != run.id:
        return
    record = repository.import_for_update(session, run.subject_id, run.tenant_id)
    if record is None or record.status in _FINISHED:
        return
    importer.fail(session, record, f"The import stopped: {run.error or run.status}")


def reopen_import(session: Session, run: WorkflowRun, node_ids: list[str], _by: uuid.UUID | None) -> None:
    record = repository.import_for_update(session, run.subject_id, run.tenant_id)
    if record is None:
        raise executor.RunError("The import no longer exists.")
    if record.status != ImportStatus.FAILED:
        raise executor.RunError(f"The import is {record.status}, not failed.")
    record.status = ImportStatus.PENDING
    record.error = None
    record.started_at = record.finished_at = None


HOOKS = executor.SubjectHooks(lock=lock_import, reopen=reopen_import, ended=run_ended)
"""Registered for product imports by ``products/steps.py`` (loaded in the API and the workers)."""

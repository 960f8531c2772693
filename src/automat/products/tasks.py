"""The ``parse_excel`` step (queue ``step_processing``): read an uploaded product list and upsert it.

The import record moves pending → processing → completed | failed. The capped child reads the
workbook in parts of rows, and each part is upserted while the child reads the next; all rows
are written in one transaction with the record's counts, log and notification, so a failure (of
the child too: it is the transaction's) leaves no half-import. A redelivered message of a
finished import does nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from automat.core.storage import default_storage
from automat.kit.errors import AutomatError
from automat.kit.time import utcnow
from automat.models.product import ImportStatus
from automat.pipeline import executor
from automat.pipeline.logger import StepHandle
from automat.pipeline.node_task import NodeTask
from automat.pipeline.steps import ProcessStep
from automat.pipeline.task import StepTask
from automat.products import excel, importer, repository
from automat.products.service import PARSE_EXCEL_TASK
from automat.settings.registry import SETTINGS
from automat.settings.service import read_system_value
from automat.worker.celery_app import celery_app

log = logging.getLogger(__name__)
STEP = ProcessStep.PARSE_EXCEL


SOURCE_MISSING = (
    "The uploaded workbook is missing from storage: upload the list again, or retry once the storage is back."
)


class SourceMissing(AutomatError):
    """The import's workbook is not where it was stored."""

    code = "import_source_missing"


@dataclass(frozen=True)
class _Job:
    storage_key: str
    override: dict[str, str]
    limits: excel.ReadLimits


def _begin(task: StepTask, tid: uuid.UUID, iid: uuid.UUID) -> _Job | None:
    with task.tenant_session(tid) as session:
        record = repository.import_for_update(session, iid, tid)
        if record is None or record.status in (ImportStatus.COMPLETED, ImportStatus.FAILED):
            return None
        record.status = ImportStatus.PROCESSING
        record.started_at = utcnow()
        limits = excel.read_limits(
            {key: read_system_value(session, SETTINGS[key]) for key in excel.LIMIT_SETTINGS.values()}
        )
        return _Job(record.storage_key, dict(record.column_mapping.get("override") or {}), limits)


def _fail(task: StepTask, tid: uuid.UUID, iid: uuid.UUID, message: str) -> None:
    executor.note_failure(message)  # the workflow node's reason too
    with task.tenant_session(tid) as session:
        record = repository.import_for_update(session, iid, tid)
        if record is not None:
            importer.fail(session, record, message)


def _reported(parts: Iterator[excel.ParsedSheet], handle: StepHandle) -> Iterator[excel.ParsedSheet]:
    """The parts, and once the last is written, how many rows the sheet had (the last part has
    every skipped row)."""
    rows = skipped = 0
    for part in parts:
        rows, skipped = rows + len(part.rows), len(part.skipped)
        yield part
    handle.progress(f"{rows:,} valid rows, {skipped:,} skipped", persist=False)


@celery_app.task(base=NodeTask, bind=True, name=PARSE_EXCEL_TASK)
def parse_excel(self: StepTask, *, tenant_id: str, import_id: str) -> str:
    """Excel product list → products (upserted by PIM id), with a per-row log."""
    tid, iid = uuid.UUID(tenant_id), uuid.UUID(import_id)
    job = _begin(self, tid, iid)
    if job is None:
        log.info("%s import %s is finished or gone; nothing to do", STEP.prefix, iid)
        return "skipped"
    pl = self.pipeline_logger(tid, job_id=f"import:{iid}")
    written = False
    try:
        with pl.step(STEP) as handle:
            source = default_storage().path(job.storage_key)
            if not source.is_file():
                raise SourceMissing(SOURCE_MISSING)
            parts = excel.upload_parts(source, job.override, job.limits)
            with self.tenant_session(tid) as session:
                record = repository.import_for_update(session, iid, tid)
                if record is None:
                    return "missing"
                outcome = importer.apply(session, record, _reported(parts, handle))
            written = True  # committed: the import is complete, whatever its log does next
            handle.context.update(
                imported=outcome.imported, updated=outcome.updated, skipped=outcome.skipped,
                warnings=outcome.warnings,
            )  # fmt: skip
            handle.progress(outcome.message)
    except Exception as exc:
        if written:
            log.exception("%s the import was written; recording its step failed", STEP.prefix)
            return "done"
        if isinstance(exc, AutomatError):
            _fail(self, tid, iid, exc.message)
            return "failed"
        log.exception("%s unexpected error", STEP.prefix)
        _fail(self, tid, iid, f"internal error in {STEP.label.lower()}: {exc.__class__.__name__}: {exc}")
        return "failed"
    return "done"

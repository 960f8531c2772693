"""Applying a parsed product list in one transaction (the ``parse_excel`` task's write half).

Rows upsert by (tenant, pim_id): a new PIM id is ``imported``, a known one ``updated``. Columns
the sheet has overwrite the product (an empty cell clears category/bearing type); other columns
are merged into ``attributes``. A CAD file name is kept on the product (``cad_file_name`` and
its key, ``cad.names.cad_key``: case-insensitive, with or without .step/.stp) and matched against
the tenant's CAD files (the newest wins); a name that matches none keeps the row, logged as
``warning`` ("waiting for CAD file …"), and never clears an existing link: the CAD pipeline links
the product when a file of that name becomes ready (``cad.linking``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from automat.cad.names import cad_key
from automat.kit.time import utcnow
from automat.models.product import ImportStatus, ProductImport
from automat.notifications.service import notify_sync
from automat.products import excel, repository


@dataclass(frozen=True)
class Outcome:
    imported: int
    updated: int
    skipped: int
    warnings: int
    row_counts: dict[str, int]

    @property
    def message(self) -> str:
        return f"Excel import: {counts_text(self.row_counts)} (see import log)"


def counts_text(row_counts: dict[str, int]) -> str:
    """ "7 imported, 1 with a warning, 0 skipped": the rows per status of the import log, so every
    number is one its filter shows (a row with a warning was stored, but counts as a warning)."""
    parts = [f"{row_counts.get('imported', 0):,} imported"]
    if updated := row_counts.get("updated", 0):
        parts.append(f"{updated:,} updated")
    if warnings := row_counts.get("warning", 0):
        parts.append(f"{warnings:,} with {'a warning' if warnings == 1 else 'warnings'}")
    parts.append(f"{row_counts.get('skipped', 0):,} skipped")
    return ", ".join(parts)


def _cad_index(session: Session, tenant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    index: dict[str, uuid.UUID] = {}
    for name, cad_id in repository.cad_files_by_name(session, tenant_id):  # newest first
        index.setdefault(cad_key(name), cad_id)
    return index


def _values(
    rows: list[excel.ProductRow], cads: dict[str, uuid.UUID], warnings: dict[int, str]
) -> list[dict[str, Any]]:
    """The rows as the upsert takes them, each CAD file name matched (``warnings``: the names
    that match no CAD file yet, by row)."""
    values: list[dict[str, Any]] = []
    for row in rows:
        key = cad_key(row.cad_file) if row.cad_file else None
        cad_id = cads.get(key) if key else None
        if row.cad_file and cad_id is None:
            warnings[row.row] = (
                f"waiting for CAD file {row.cad_file!r}: it is linked when a file of that name is uploaded"
            )
        values.append(
            {
                **row.values,
                "attributes": row.attributes,
                "cad_file_id": cad_id,
                "cad_file_name": row.cad_file,
                "cad_file_key": key,
            }
        )
    return values


def apply(session: Session, record: ProductImport, parts: Iterable[excel.ParsedSheet]) -> Outcome:
    """Upsert the valid rows of each part of the sheet as it comes (``excel.upload_parts``: the
    child reads the next part meanwhile), then write the per-row log (``product_import_rows``, a
    few multi-row inserts) and the counts, and notify the importer."""
    cads: dict[str, uuid.UUID] | None = None
    created: dict[str, bool] = {}
    warnings: dict[int, str] = {}
    entries: list[dict[str, Any]] = []
    sheet: excel.ParsedSheet | None = None
    for sheet in parts:
        if cads is None and any(r.cad_file for r in sheet.rows):
            cads = _cad_index(session, record.tenant_id)
        values = _values(sheet.rows, cads or {}, warnings)
        overwrite = [f for f in sheet.fields_present if f != "pim_id"]
        created.update(repository.upsert_products(session, record.tenant_id, values, overwrite=overwrite))
        for row in sheet.rows:
            pim_id = str(row.values["pim_id"])
            status = "imported" if created.get(pim_id) else "updated"
            entry: dict[str, Any] = {"row": row.row, "status": status, "pim_id": pim_id, "reason": None}
            if row.row in warnings:
                entry.update(status="warning", reason=f"{status}, but {warnings[row.row]}")
            entries.append(entry)
    if sheet is None:
        raise ValueError("a sheet has at least one part")
    log: list[dict[str, Any]] = [*sheet.skipped, *entries]  # the last part has every skipped row
    repository.replace_import_rows(session, record.tenant_id, record.id, log)
    new = sum(1 for v in created.values() if v)
    outcome = Outcome(
        imported=new, updated=len(created) - new, skipped=len(sheet.skipped), warnings=len(warnings),
        row_counts=dict(Counter(str(e["status"]) for e in log)),
    )  # fmt: skip
    record.status = ImportStatus.COMPLETED
    record.imported, record.updated, record.skipped = outcome.imported, outcome.updated, outcome.skipped
    record.row_counts = outcome.row_counts
    record.column_mapping = {
        **record.column_mapping,
        "columns": sheet.columns,
        "header_row": sheet.header_row,
    }
    record.error = None
    record.finished_at = utcnow()
    notify(session, record, outcome.message, detail={"warnings": outcome.warnings})
    return outcome


def fail(session: Session, record: ProductImport, message: str) -> None:
    """Mark the import failed (nothing of it was written) and tell the importer."""
    record.status = ImportStatus.FAILED
    record.error = message
    record.finished_at = utcnow()
    notify(session, record, f"Excel import failed: {message}")


def notify(
    session: Session, record: ProductImport, message: str, *, detail: dict[str, Any] | None = None
) -> None:
    """One notification per finished import, to the person who started it."""
    notify_sync(
        session,
        tenant_id=record.tenant_id,
        action="product_import.finished",
        message=message,
        recipient_id=record.created_by,
        actor_id=record.created_by,
        target_type="product_import",
        target_id=record.id,
        detail={
            "status": record.status,
            "imported": record.imported,
            "updated": record.updated,
            "skipped": record.skipped,
            "name": record.original_name,
            **(detail or {}),
        },
    )

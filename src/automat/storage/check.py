"""``automat storage check [--fix]``: files with no row and rows with no file, per tenant.

Every stored file has a key ``tenants/<tenant>/<kind>/…``, and a file is wanted when a row names it:

=========================================  ================  ==========================================
folder                                     rows              a file there is wanted when
=========================================  ================  ==========================================
``cad/<id>/``                              cad_files         the row names it (source, viewer and
                                                             production GLB, thumbnail)
``imports/<id>/``                          product_imports   it is the row's ``storage_key``
``media/<asset>/``                         media_assets      it is the row's ``storage_key``
``templates/<id>/``                        render_templates  it is the row's ``storage_key``
``downloads/<id>/``                        media_downloads   it is the row's ``storage_key`` (a ready
                                                             bulk download's archive)
``orders/<o>/lines/<l>/staging/<x>/``      order_lines       the line is queued or running and its
                                                             render step recorded this staging folder
=========================================  ================  ==========================================

Anything else under ``tenants/`` is an orphan too. Files younger than ``min_age_s`` are left out:
an upload moves its file into place just before its row commits, a render stages its files just
before delivery removes them. ``--fix`` repairs each finding in a transaction of its own, with the
row locked and the finding checked again first:

- an orphan file is deleted (then empty folders are pruned);
- a row whose file is gone is never deleted (a person made it); it is marked instead, so the
  people using it see why and the check knows it has been dealt with: a CAD file whose STEP
  source is gone becomes ``failed`` ("… upload it again"); one whose viewer or production GLB is
  gone loses that key and becomes ``failed`` ("… reprocess the file"); a missing thumbnail is
  forgotten (the next reprocess renders one); an unfinished import fails, a finished one keeps
  its outcome and records that its workbook is gone; a media asset is marked ``file_missing``
  (downloads answer 404 ``media_file_missing`` already); a render template becomes ``invalid``
  ("… upload it again"); a queued or running line whose staged render is gone fails (and its order
  settles as usual).

The check runs as ``bypass``: it is an administrator's tool and reads every tenant.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.orm import Session

from automat.cad.conversion import SOURCE_MISSING
from automat.core.db import BYPASS, SyncDatabase
from automat.kit.storage import LocalStorage
from automat.kit.time import utcnow
from automat.models.cad import CadFile, CadStatus
from automat.models.media import MediaAsset, MediaDownload
from automat.models.order import OrderLine
from automat.models.output import RenderTemplate, TemplateStatus
from automat.models.product import ImportStatus, ProductImport
from automat.storage import repository

CONVERTED_MISSING = "the converted model is missing from storage; reprocess the file"
IMPORT_SOURCE_MISSING = "the uploaded workbook is missing from storage"
TEMPLATE_MISSING = "the .blend file is missing from storage; upload it again"
STAGING_MISSING = "the rendered files are missing from storage before delivery; submit the order again"
DOWNLOAD_MISSING = "the archive is missing from storage; ask for the download again"

Problem = Literal["orphan_file", "missing_file"]
Model = type[CadFile] | type[ProductImport] | type[MediaAsset] | type[RenderTemplate] | type[MediaDownload]


@dataclass(frozen=True)
class Kind:
    """A folder of per-row subfolders: ``tenants/<t>/<folder>/<row id>/…``."""

    folder: str
    model: Model
    columns: tuple[str, ...]  # the row's columns that hold storage keys


KINDS = {
    k.folder: k
    for k in (
        Kind("cad", CadFile, ("storage_key", "viewer_glb_key", "production_glb_key", "thumbnail_key")),
        Kind("imports", ProductImport, ("storage_key",)),
        Kind("media", MediaAsset, ("storage_key",)),
        Kind("templates", RenderTemplate, ("storage_key",)),
        Kind("downloads", MediaDownload, ("storage_key",)),
    )
}


@dataclass
class Finding:
    tenant: str
    kind: str  # cad | imports | media | templates | staging | unknown
    problem: Problem
    key: str
    reason: str
    row_id: str | None = None
    column: str | None = None
    size_bytes: int = 0
    action: str | None = None  # what --fix did (None: not fixed)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    young_files: int = 0  # orphan candidates left out because they are younger than min_age_s
    checked_files: int = 0
    fixed: bool = False
    pruned_dirs: int = 0

    @property
    def clean(self) -> bool:
        return not self.findings

    @property
    def unrepaired(self) -> list[Finding]:
        return [f for f in self.findings if f.action is None or f.action.startswith("not repaired")]

    def by_tenant(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for finding in self.findings:
            out.setdefault(finding.tenant, []).append(finding)
        return out

    def as_json(self) -> dict[str, Any]:
        tenants = {
            tenant: {
                "orphan_files": [asdict(f) for f in items if f.problem == "orphan_file"],
                "missing_files": [asdict(f) for f in items if f.problem == "missing_file"],
            }
            for tenant, items in self.by_tenant().items()
        }
        orphans = [f for f in self.findings if f.problem == "orphan_file"]
        return {
            "clean": self.clean,
            "fixed": self.fixed,
            "checked_files": self.checked_files,
            "young_files_skipped": self.young_files,
            "orphan_files": len(orphans),
            "orphan_bytes": sum(f.size_bytes for f in orphans),
            "missing_files": len(self.findings) - len(orphans),
            "unrepaired": len(self.unrepaired) if self.fixed else None,
            "pruned_dirs": self.pruned_dirs,
            "tenants": tenants,
        }


# -- what rows want ----------------------------------------------------------------------------


def _acknowledged(kind: str, row: Any, column: str) -> bool:
    """A row already marked for its missing file (by an earlier ``--fix``): not a finding again."""
    if kind == "cad":
        return bool(
            column == "storage_key" and row.status == CadStatus.FAILED and row.error == SOURCE_MISSING
        )
    if kind == "imports":
        return bool(row.error == IMPORT_SOURCE_MISSING)
    if kind == "media":
        return bool(row.details.get("file_missing"))
    if kind == "templates":
        return bool(row.status == TemplateStatus.INVALID and row.error == TEMPLATE_MISSING)
    return False


def _wanted_keys(kind: Kind, row: Any) -> dict[str, str]:
    """column -> key of the files ``row`` names."""
    return {c: getattr(row, c) for c in kind.columns if getattr(row, c)}


def _staged(line: OrderLine) -> tuple[str | None, list[str]]:
    """The staging folder the line's render recorded and the files in it (if the line may own one)."""
    if line.render_status not in ("queued", "running"):
        return None, []
    for step in (line.job_document or {}).get("steps", []):
        outputs = step.get("outputs") or {}
        if outputs.get("staging") and step.get("status") == "completed":
            return str(outputs["staging"]), [str(k) for k in (outputs.get("files") or {}).values()]
    return None, []


# -- the scan ---------------------------------------------------------------------------------


def _files(root: Path) -> Iterator[Path]:
    for folder, _dirs, names in os.walk(root):
        for name in names:
            yield Path(folder) / name


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@dataclass
class _Snapshot:
    tenants: set[uuid.UUID]
    rows: dict[str, dict[uuid.UUID, Any]]  # kind folder -> id -> row
    lines: dict[uuid.UUID, OrderLine]


def _orphan_reason(snap: _Snapshot, key: str) -> tuple[str, str] | None:
    """(kind, why) when no row wants ``key``; None when one does."""
    parts = key.split("/")
    tenant = _uuid(parts[1]) if len(parts) > 1 else None
    if tenant is None or tenant not in snap.tenants:
        return "unknown", "no such tenant"
    kind = parts[2] if len(parts) > 2 else ""
    if kind in KINDS and len(parts) >= 5:
        row = snap.rows[kind].get(_uuid(parts[3]) or uuid.UUID(int=0))
        if row is None or row.tenant_id != tenant:
            return kind, f"no {KINDS[kind].model.__tablename__} row"
        if key in _wanted_keys(KINDS[kind], row).values():
            return None
        return kind, f"not named by its {KINDS[kind].model.__tablename__} row"
    if kind == "orders" and len(parts) >= 9 and parts[4] == "lines" and parts[6] == "staging":
        line = snap.lines.get(_uuid(parts[5]) or uuid.UUID(int=0))
        if line is None or line.tenant_id != tenant:
            return "staging", "no order line"
        prefix, _ = _staged(line)
        if prefix is None:
            return "staging", f"the line is {line.render_status} (nothing left to deliver)"
        if prefix != "/".join(parts[:8]):
            return "staging", "not the line's current render"
        return None
    return "unknown", "not a key Automat makes"


@dataclass(frozen=True)
class _File:
    tenant: str  # the tenant folder's name
    key: str
    mtime: float
    size: int


def _walk(storage: LocalStorage, scope: Collection[uuid.UUID] | None) -> list[_File]:
    """Every file under ``tenants/`` (of the tenants in ``scope``), with its age and size."""
    base = storage.root / "tenants"
    found: list[_File] = []
    if not base.is_dir():
        return found
    for tenant_dir in sorted(base.iterdir()):
        if scope is not None and _uuid(tenant_dir.name) not in scope:
            continue
        for path in _files(tenant_dir) if tenant_dir.is_dir() else [tenant_dir]:
            try:
                stat = path.lstat()
            except FileNotFoundError:
                continue
            key = path.relative_to(storage.root).as_posix()
            found.append(_File(tenant_dir.name, key, stat.st_mtime, stat.st_size))
    return found


def _scan_files(
    storage: LocalStorage, files: list[_File], snap: _Snapshot, min_age_s: float, report: Report
) -> None:
    """Files (walked before the rows were read, so a file and the row naming it, written in one
    transaction, are never told apart) that no row wants."""
    now = time.time()
    for file in files:
        report.checked_files += 1
        found = _orphan_reason(snap, file.key)
        if found is None or not (storage.root / file.key).exists():
            continue
        if now - file.mtime < min_age_s:
            report.young_files += 1
            continue
        kind, why = found
        report.findings.append(
            Finding(file.tenant, kind, "orphan_file", file.key, why, row_id=_row_id(kind, file.key),
                    size_bytes=file.size)
        )  # fmt: skip


def _row_id(kind: str, key: str) -> str | None:
    parts = key.split("/")
    if kind in KINDS and len(parts) > 3:
        return parts[3]
    if kind == "staging" and len(parts) > 5:
        return parts[5]
    return None


def _scan_rows(storage: LocalStorage, snap: _Snapshot, report: Report) -> None:
    for folder, kind in KINDS.items():
        for row in snap.rows[folder].values():
            for column, key in _wanted_keys(kind, row).items():
                if _acknowledged(folder, row, column) or _exists(storage, key):
                    continue
                report.findings.append(
                    Finding(str(row.tenant_id), folder, "missing_file", key,
                            f"{kind.model.__tablename__}.{column} names a file that is not there",
                            row_id=str(row.id), column=column)
                )  # fmt: skip
    for line in snap.lines.values():
        prefix, files = _staged(line)
        missing = [k for k in files if not _exists(storage, k)]
        if prefix is not None and missing:
            report.findings.append(
                Finding(str(line.tenant_id), "staging", "missing_file", missing[0],
                        f"the {line.render_status} line's staged render is not there",
                        row_id=str(line.id), column="job_document")
            )  # fmt: skip


def _exists(storage: LocalStorage, key: str) -> bool:
    try:
        return storage.path(key).is_file()
    except ValueError:
        return False  # a key that cannot be a file of ours names no file


def _snapshot(session: Session, scope: Collection[uuid.UUID] | None, line_ids: set[uuid.UUID]) -> _Snapshot:
    rows = {
        folder: {r.id: r for r in repository.rows_of(session, kind.model, scope)}  # type: ignore[type-var]
        for folder, kind in KINDS.items()
    }
    lines = repository.lines_by_id(session, line_ids)
    for line in repository.live_lines(session, scope):
        lines[line.id] = line
    return _Snapshot(repository.tenant_ids(session), rows, lines)


def _staging_line_ids(storage: LocalStorage, scope: Collection[uuid.UUID] | None) -> set[uuid.UUID]:
    """Lines that have a staging folder on disk (the only finished lines the scan needs)."""
    found: set[uuid.UUID] = set()
    for staging in (storage.root / "tenants").glob("*/orders/*/lines/*/staging"):
        tenant = _uuid(staging.parts[-6])
        if scope is not None and tenant not in scope:
            continue
        line_id = _uuid(staging.parts[-2])
        if line_id is not None:
            found.add(line_id)
    return found


# -- repairs ----------------------------------------------------------------------------------


def _fix_orphan(session: Session, storage: LocalStorage, finding: Finding) -> str:
    """Delete the file if, with its row locked, it is still wanted by nobody."""
    path = storage.path(finding.key)
    row_id = _uuid(finding.row_id or "")
    if finding.kind in KINDS and row_id is not None:
        kind = KINDS[finding.kind]
        row = repository.for_update(session, kind.model, row_id)  # type: ignore[type-var]
        if row is not None and finding.key in _wanted_keys(kind, row).values():
            return "not deleted: its row names it now"
    elif finding.kind == "staging" and row_id is not None:
        line = repository.for_update(session, OrderLine, row_id)
        if line is not None and _staged(line)[0] == "/".join(finding.key.split("/")[:8]):
            return "not deleted: the line's render is current now"
    path.unlink(missing_ok=True)
    _prune_parents(storage, path)
    return "deleted"


def _prune_parents(storage: LocalStorage, path: Path) -> None:
    """Remove the folders that deleting ``path`` left empty, up to the tenant's folder."""
    stop = storage.root / "tenants"
    folder = path.parent
    while folder.parent != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or gone)
        folder = folder.parent


def _confirmed(session: Session, storage: LocalStorage, finding: Finding) -> bool:
    """The row of a missing-file finding still names the file, and the file is still not there."""
    row_id = _uuid(finding.row_id or "")
    if row_id is None or _exists(storage, finding.key):
        return False
    if finding.kind == "staging":
        line = repository.lines_by_id(session, {row_id}).get(row_id)
        return line is not None and finding.key in _staged(line)[1]
    row = repository.get(session, KINDS[finding.kind].model, row_id)  # type: ignore[type-var]
    return row is not None and getattr(row, finding.column or "") == finding.key


def _fix_missing(session: Session, storage: LocalStorage, finding: Finding) -> str:
    row_id = _uuid(finding.row_id or "")
    assert row_id is not None
    assert finding.column is not None
    if finding.kind == "staging":
        return _fail_line(session, storage, row_id)
    kind = KINDS[finding.kind]
    row: Any = repository.for_update(session, kind.model, row_id)
    if row is None:
        return "not needed: the row is gone"
    if getattr(row, finding.column) != finding.key or _exists(storage, finding.key):
        return "not needed: the file or the row has changed"
    return str(_REPAIRS[finding.kind](row, finding.column))


def _repair_cad(row: CadFile, column: str) -> str:
    if column == "storage_key":
        row.status, row.error = CadStatus.FAILED, SOURCE_MISSING
        return "marked failed (upload it again)"
    setattr(row, column, None)
    if column == "thumbnail_key":
        return "thumbnail forgotten"
    if row.status != CadStatus.PROCESSING:
        row.status, row.error = CadStatus.FAILED, CONVERTED_MISSING
    return "key cleared, marked failed (reprocess)"


def _repair_import(row: ProductImport, column: str) -> str:
    row.error = IMPORT_SOURCE_MISSING
    if row.status in (ImportStatus.PENDING, ImportStatus.PROCESSING):
        row.status, row.finished_at = ImportStatus.FAILED, utcnow()
        return "marked failed"
    return "noted on the import (its outcome stays)"


def _repair_media(row: MediaAsset, column: str) -> str:
    row.details = {**row.details, "file_missing": utcnow().isoformat()}
    return "marked file_missing"


def _repair_template(row: RenderTemplate, column: str) -> str:
    row.status, row.error = TemplateStatus.INVALID, TEMPLATE_MISSING
    return "marked invalid (upload it again)"


def _repair_download(row: MediaDownload, column: str) -> str:
    row.status, row.storage_key, row.error = "expired", None, DOWNLOAD_MISSING
    return "marked expired (ask for the download again)"


_REPAIRS: dict[str, Any] = {
    "downloads": _repair_download,
    "cad": _repair_cad,
    "imports": _repair_import,
    "media": _repair_media,
    "templates": _repair_template,
}


def _fail_line(session: Session, storage: LocalStorage, line_id: uuid.UUID) -> str:
    from automat.orders import lines, runtime

    line = repository.for_update(session, OrderLine, line_id)
    if line is None:
        return "not needed: the line is gone"
    prefix, files = _staged(line)
    if prefix is None or all(_exists(storage, k) for k in files):
        return "not needed: the line has moved on"
    lines.fail(line, STAGING_MISSING)
    runtime.finished(session, line, what="failed")
    return "line failed"


def _prune_empty_dirs(storage: LocalStorage, scope: Collection[uuid.UUID] | None, min_age_s: float) -> int:
    """Remove empty folders under ``tenants/`` (bottom up), leaving young ones to their writers."""
    pruned, now = 0, time.time()
    base = storage.root / "tenants"
    if not base.is_dir():
        return 0
    for folder, dirs, names in os.walk(base, topdown=False):
        path = Path(folder)
        if path == base or names or any((path / d).exists() for d in dirs):
            continue
        tenant = _uuid(path.relative_to(base).parts[0])
        if scope is not None and tenant not in scope:
            continue
        try:
            if now - path.stat().st_mtime >= min_age_s:
                path.rmdir()
                pruned += 1
        except OSError:
            continue  # something arrived meanwhile
    return pruned


# -- entry point -------------------------------------------------------------------------------


def check(
    db: SyncDatabase,
    storage: LocalStorage,
    *,
    fix: bool = False,
    tenants: Collection[uuid.UUID] | None = None,
    min_age_s: float = 3600.0,
) -> Report:
    """Compare storage with the database (``tenants``: only theirs); repair with ``fix``."""
    report = Report(fixed=fix)
    line_ids = _staging_line_ids(storage, tenants)
    files = _walk(storage, tenants)
    with db.session(BYPASS) as session:
        snap = _snapshot(session, tenants, line_ids)
    _scan_files(storage, files, snap, min_age_s, report)
    _scan_rows(storage, snap, report)
    with db.session(BYPASS) as session:  # a row deleted with its files meanwhile is no finding
        report.findings = [
            f for f in report.findings if f.problem == "orphan_file" or _confirmed(session, storage, f)
        ]
    report.findings.sort(key=lambda f: (f.tenant, f.problem, f.kind, f.key))
    if fix:
        for finding in report.findings:
            repair = _fix_orphan if finding.problem == "orphan_file" else _fix_missing
            action: str | None = None
            try:
                with db.session(BYPASS) as session:
                    action = repair(session, storage, finding)
            except Exception as exc:  # one stubborn finding must not stop the others
                problem = f"{exc.__class__.__name__}: {exc}"
                action = f"not repaired: {problem}" if action is None else f"{action} (then {problem})"
            finding.action = action
        report.pruned_dirs = _prune_empty_dirs(storage, tenants, min_age_s)
    return report

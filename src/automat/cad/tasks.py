"""CAD processing, one Celery task per pipeline step (queue ``step_processing``).

``occ_glb_export`` → ``extract_metadata`` → ``auto_materials`` run as a chain. Each step records
itself in the file's job document and in the pipeline log; a failing step marks the file
``failed`` with a message a person understands, and later steps of the chain skip it. The
worker itself never runs OpenCASCADE: conversions happen in the sandbox.

A step's outputs may carry ``warnings`` (``CadWarning`` dicts): they go into the job document's
``warnings`` (the step's own from an earlier run are replaced), each is logged, and the file is
ready with warnings when the chain ends. The step's outputs keep only their codes.

A step computes without a transaction, into a temp folder of its own; its files move into the
file's folder only in ``store``, while the row is locked (``SELECT … FOR UPDATE``) in the
transaction that records them. A file deleted meanwhile (the row is gone) gets nothing: the temp
folder is removed with whatever was computed, and a delete that comes later waits for the lock,
then removes the folder with the files in it.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery.signals import worker_process_init
from sqlalchemy.orm import Session

from automat.cad import checks, failures, geometry, linking, metadata, repository
from automat.cad.conversion import ConversionOutput, convert_step
from automat.cad.dispatch import AUTO_MATERIALS_TASK, EXTRACT_METADATA_TASK, OCC_GLB_EXPORT_TASK
from automat.cad.sandbox import ConversionError, SandboxLimits, default_sandbox
from automat.core.storage import default_storage
from automat.kit.storage import cad_prefix
from automat.models.cad import CadFile, CadPart, CadStatus
from automat.pipeline import executor
from automat.pipeline.job_document import IllegalJobTransition, JobState, RenderJobDocument, StepStatus
from automat.pipeline.logger import StepHandle
from automat.pipeline.node_task import NodeTask
from automat.pipeline.steps import ProcessStep
from automat.pipeline.task import StepTask
from automat.settings.registry import SETTINGS
from automat.settings.service import read_tenant_value
from automat.worker.celery_app import celery_app, consumed
from automat.worker.queues import STEP_QUEUE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """What a step's computation may know about the file without holding a transaction."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    storage_key: str
    production_glb_key: str | None
    settings: dict[str, Any]


Compute = Callable[[Snapshot, StepHandle, Path], Any]
"""The step's work, outside any transaction; it may write into the temp folder it is given."""
Store = Callable[[Session, CadFile, Any], dict[str, Any]]
"""Record the result on the locked row (and move files into place); returns the step's outputs."""


def _document(cad: CadFile) -> RenderJobDocument:
    if cad.job_document:
        return RenderJobDocument.from_json(cad.job_document)
    return RenderJobDocument(job_id=f"cad:{cad.id}")


def _fail(
    task: StepTask,
    tenant_id: uuid.UUID,
    cad_file_id: uuid.UUID,
    step: ProcessStep,
    message: str,
    *,
    code: str,
    detail: str | None = None,
) -> None:
    executor.note_failure(message)
    with task.tenant_session(tenant_id) as session:
        cad = repository.get_for_update(session, cad_file_id, tenant_id)
        if cad is None:
            return
        doc = _document(cad)
        record = doc.step(step)
        if record is not None and record.status is StepStatus.RUNNING:
            doc.fail_step(step, message)
        else:
            doc.append_error(message, step=step)
        if doc.can_move_to(JobState.FAILED):
            doc.set_state(JobState.FAILED, reason=message)
        cad.job_document = doc.to_json()
        cad.status = CadStatus.FAILED
        cad.error, cad.error_code, cad.error_detail = message, code, detail


def _link_products(session: Session, cad: CadFile, handle: StepHandle) -> dict[str, Any]:
    found = linking.link_waiting_products(session, cad)
    if found.linked:
        handle.progress(
            f"linked to {len(found.linked)} product(s) waiting for it: {_pims(found.linked)}", persist=True
        )
    if found.taken_over:
        handle.progress(
            f"took over {len(found.taken_over)} product(s) from an older version: {_pims(found.taken_over)}",
            persist=True,
        )
    return {"linked_products": len(found.linked), "taken_over_products": len(found.taken_over)}


def _pims(pims: list[str]) -> str:
    return ", ".join(pims[:10]) + (f" and {len(pims) - 10} more" if len(pims) > 10 else "")


def _settings(session: Session, tenant_id: uuid.UUID) -> dict[str, Any]:
    """The tenant's settings, with the workflow node's overrides (e.g. a finer tessellation)."""
    settings = {key: read_tenant_value(session, tenant_id, defn) for key, defn in SETTINGS.items()}
    node = executor.current_node()
    if node is not None:
        settings.update({key: value for key, value in node.params.items() if value is not None})
    return settings


def run_step(
    task: StepTask,
    *,
    tenant_id: str,
    cad_file_id: str,
    step: ProcessStep,
    compute: Compute,
    store: Store,
    final: bool = False,
) -> str:
    tid, cid = uuid.UUID(tenant_id), uuid.UUID(cad_file_id)
    with task.tenant_session(tid) as session:
        cad = repository.get_for_update(session, cid, tid)
        if cad is None:
            log.warning("%s: CAD file %s is gone; nothing to do", step.prefix, cid)
            return "missing"
        if cad.status == CadStatus.FAILED:
            return "skipped"
        doc = _document(cad)
        done = doc.step(step)
        if done is not None and done.status is StepStatus.COMPLETED:
            return "already_done"  # a redelivered message of a step that finished
        if doc.state in (JobState.PENDING, JobState.QUEUED):
            doc.set_state(JobState.RUNNING)
        doc.celery_task_id = task.request.id
        doc.pid = os.getpid()
        doc.begin_step(step)
        cad.job_document = doc.to_json()
        snapshot = Snapshot(
            id=cad.id,
            tenant_id=tid,
            storage_key=cad.storage_key,
            production_glb_key=cad.production_glb_key,
            settings=_settings(session, tid),
        )

    pl = task.pipeline_logger(tid, job_id=f"cad:{cid}")
    work = default_storage().temp_dir("cad")
    try:
        with pl.step(step) as handle:
            result = compute(snapshot, handle, work)
            with task.tenant_session(tid) as session:
                cad = repository.get_for_update(session, cid, tid)
                if cad is None:  # deleted while we computed: what we made goes with the temp folder
                    log.warning("%s: CAD file %s was deleted meanwhile; output discarded", step.prefix, cid)
                    handle.context.update(discarded=True)
                    return "missing"
                outputs = store(session, cad, result)
                if final:  # ready now: products waiting for this name (or an older version) get it
                    outputs.update(_link_products(session, cad, handle))
                doc = _document(cad)
                if (warnings := outputs.pop("warnings", None)) is not None:
                    doc.set_step_warnings(step, warnings)
                    outputs["warnings"] = [w["code"] for w in warnings]
                    for w in warnings:
                        handle.progress(f"{w['severity']} {w['code']}: {w['message']}", persist=True)
                handle.context.update(outputs)
                doc.finish_step(step, outputs=outputs)
                if final:
                    doc.set_state(JobState.COMPLETED)
                    cad.status = CadStatus.READY
                cad.job_document = doc.to_json()
    except ConversionError as exc:
        _fail(task, tid, cid, step, exc.message, code=exc.code, detail=exc.detail)
        return "failed"
    except IllegalJobTransition as exc:
        log.warning("%s %s", step.prefix, exc.message)
        return "skipped"
    except Exception as exc:
        log.exception("%s unexpected error", step.prefix)
        _fail(
            task, tid, cid, step,
            f"Processing stopped with an internal error in {step.label.lower()}; this is not a problem of "
            "your file. Reprocess it; if that fails again, tell your administrator.",
            code="internal_error", detail=f"{exc.__class__.__name__}: {exc}",
        )  # fmt: skip
        return "failed"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "done"


# -- occ_glb_export ----------------------------------------------------------------------------


def _export(snapshot: Snapshot, handle: StepHandle, work: Path) -> ConversionOutput:
    limits = SandboxLimits(
        timeout_s=float(snapshot.settings["conversion_timeout_s"]),
        memory_mb=int(snapshot.settings["conversion_memory_mb"]),
    )
    return convert_step(
        default_storage().path(snapshot.storage_key),
        work,
        viewer_base_mm=float(snapshot.settings["gltf_preview_linear_deflection"]),
        production_base_mm=float(snapshot.settings["gltf_production_linear_deflection"]),
        limits=limits,
    )


def _store_export(session: Session, cad: CadFile, out: ConversionOutput) -> dict[str, Any]:
    """The GLBs move into the file's folder now, with its row locked by this transaction."""
    storage = default_storage()
    prefix = cad_prefix(cad.tenant_id, cad.id)
    cad.production_glb_key, cad.viewer_glb_key = f"{prefix}/production.glb", f"{prefix}/viewer.glb"
    storage.commit(out.production, cad.production_glb_key)
    storage.commit(out.viewer, cad.viewer_glb_key)
    return {
        "viewer_glb": cad.viewer_glb_key,
        "production_glb": cad.production_glb_key,
        "viewer_deflection_mm": out.viewer_tol_mm,
        "production_deflection_mm": out.production_tol_mm,
        "diagonal_mm": out.diagonal_mm,
        "network_isolated": out.network_isolated,
        "durations_s": out.durations_s,
        "warnings": [note.as_dict() for note in out.notes],
    }


@celery_app.task(base=NodeTask, bind=True, name=OCC_GLB_EXPORT_TASK)
def occ_glb_export(self: StepTask, *, tenant_id: str, cad_file_id: str) -> str:
    """STEP → viewer and production GLB, in the sandbox."""
    return run_step(
        self, tenant_id=tenant_id, cad_file_id=cad_file_id, step=ProcessStep.OCC_GLB_EXPORT,
        compute=_export, store=_store_export,
    )  # fmt: skip


# -- extract_metadata --------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    metadata: dict[str, Any]
    info: geometry.GeometryInfo
    warnings: list[checks.CadWarning]


def _measure(snapshot: Snapshot, handle: StepHandle, work: Path) -> Measured:
    storage = default_storage()
    if snapshot.production_glb_key is None:
        raise ConversionError("no_geometry", "there is no converted model to measure")
    glb = storage.path(snapshot.production_glb_key)
    info = geometry.analyze(glb)
    source = storage.path(snapshot.storage_key)
    if not info.parts:
        raise failures.explain(ConversionError("no_geometry", "the converted model has no parts"), source)
    data = source.read_bytes()
    gltf = geometry.gltf_json(glb)
    return Measured(metadata.build_metadata(data, info, gltf), info, checks.inspect(data, info, gltf))


def _store_metadata(session: Session, cad: CadFile, result: Measured) -> dict[str, Any]:
    meta, info = result.metadata, result.info
    cad.cad_metadata = meta
    repository.replace_parts(
        session,
        cad.id,
        [
            CadPart(
                tenant_id=cad.tenant_id,
                cad_file_id=cad.id,
                position=i,
                name=p.name,
                path=p.path,
                color=p.color,
                bbox_mm=p.bbox_mm,
                volume_mm3=p.volume_mm3,
                area_mm2=p.area_mm2,
                triangles=p.triangles,
            )
            for i, p in enumerate(info.parts)
        ],
    )
    return {
        "parts": len(info.parts),
        "size_mm": info.size_mm,
        "schema": meta["application_protocol"],
        "warnings": [w.as_dict() for w in result.warnings],
    }


@celery_app.task(base=NodeTask, bind=True, name=EXTRACT_METADATA_TASK)
def extract_metadata(self: StepTask, *, tenant_id: str, cad_file_id: str) -> str:
    """Header, units, assembly tree, bounding boxes in mm, volume/area per part, counts."""
    return run_step(
        self, tenant_id=tenant_id, cad_file_id=cad_file_id, step=ProcessStep.EXTRACT_METADATA,
        compute=_measure, store=_store_metadata,
    )  # fmt: skip


# -- auto_materials ----------------------------------------------------------------------------


def _nothing(snapshot: Snapshot, handle: StepHandle, work: Path) -> StepHandle:
    return handle


def _assign_materials(session: Session, cad: CadFile, handle: StepHandle) -> dict[str, Any]:
    from automat.cad import part_materials
    from automat.materials.resolve import log_line

    resolved = part_materials.assign(session, cad)
    parts = repository.part_names(session, cad.id)
    reasons: dict[str, int] = {}
    for part in parts:
        reason = resolved[part.name].reason
        reasons[reason] = reasons.get(reason, 0) + 1
    for name, resolution in resolved.items():
        handle.progress(log_line(name, resolution), persist=True)
    return {"assigned": len(parts), "reasons": reasons}


@celery_app.task(base=NodeTask, bind=True, name=AUTO_MATERIALS_TASK)
def auto_materials(self: StepTask, *, tenant_id: str, cad_file_id: str) -> str:
    """A material for every part, by the tenant's aliases, with the reason recorded."""
    return run_step(
        self, tenant_id=tenant_id, cad_file_id=cad_file_id, step=ProcessStep.AUTO_MATERIALS,
        compute=_nothing, store=_assign_materials, final=True,
    )  # fmt: skip


@worker_process_init.connect
def _start_converter(**_: Any) -> None:
    """A step worker's converter starts with the worker process, not with its first file."""
    if consumed(STEP_QUEUE):  # the shared queue or a tenant's own copy
        default_sandbox().spawn()

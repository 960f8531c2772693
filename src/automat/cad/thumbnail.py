"""The CAD file's thumbnail, on the render queue (one render host per worker process).

``render_cad_thumbnail`` runs after a CAD file is ready (the last task of
``dispatch.processing_canvas``): a small transparent PNG of the model with its resolved
materials. Its failure is recorded in the file's job document and log but leaves the file ready
(the model is fine; only its picture is missing).

``render_thumbnail`` is the thumbnail-only path: render from the GLB the file has, never converting
the STEP file again. With ``rematerial`` it first resolves the parts' materials by the aliases as
they are now (the "regenerate thumbnails" admin action, and ``rematerial_thumbnail`` after a
material was assigned on the CAD page); ``cancel`` kills the render host mid-render
(the admin job's cancel, as an order line's).
"""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from automat.cad import part_materials
from automat.cad import repository as cad_repository
from automat.cad.dispatch import REMATERIAL_THUMBNAIL_TASK, THUMBNAIL_TASK
from automat.config import get_settings
from automat.core.storage import default_storage
from automat.kit.storage import cad_prefix
from automat.materials import repository as materials
from automat.materials.blend_library import ensure_library
from automat.materials.resolve import fallback_of
from automat.models.cad import CadStatus
from automat.pipeline import executor
from automat.pipeline.job_document import RenderJobDocument
from automat.pipeline.node_task import NodeTask
from automat.pipeline.steps import ProcessStep
from automat.pipeline.task import StepTask
from automat.rendering.measure import measured
from automat.rendering.spec import RenderJobResult, thumbnail_spec
from automat.rendering.worker_host import worker_host
from automat.settings.registry import SETTINGS
from automat.settings.service import min_coverage, read_tenant_value
from automat.worker.celery_app import celery_app

STEP = ProcessStep.RENDER_THUMBNAIL


def _begin(
    task: StepTask, tid: uuid.UUID, cid: uuid.UUID, *, rematerial: bool = False
) -> dict[str, Any] | None:
    with task.tenant_session(tid) as session:
        cad = cad_repository.get_for_update(session, cid, tid)
        if cad is None or cad.status != CadStatus.READY or cad.production_glb_key is None:
            return None
        if rematerial:
            part_materials.assign(session, cad)
        before = dict(cad.job_document or {})
        doc = (
            RenderJobDocument.from_json(cad.job_document)
            if cad.job_document
            else RenderJobDocument(job_id=f"cad:{cid}")
        )
        if rematerial:  # rendered again on purpose: the step's earlier record gives way
            doc.steps = [step for step in doc.steps if step.name != STEP]
        doc.begin_step(STEP)
        cad.job_document = doc.to_json()
        return {
            "glb": cad.production_glb_key,
            "materials": {p.name: p.material for p in cad_repository.part_names(session, cid) if p.material},
            "fallback": fallback_of(materials.tenant_config_sync(session, tid)),
            "device": read_tenant_value(session, tid, SETTINGS["cycles_device"]),
            "min_coverage": min_coverage(session, tid),
            "before": before,
        }


def _finish(
    task: StepTask,
    tid: uuid.UUID,
    cid: uuid.UUID,
    result: RenderJobResult,
    image: Path,
    before: dict[str, Any] | None = None,
) -> None:
    """Store the image with the row locked, so a file deleted meanwhile gets no orphan thumbnail.
    A cancelled render puts the job document back as it was (the old thumbnail stays, and ready)."""
    with task.tenant_session(tid) as session:
        cad = cad_repository.get_for_update(session, cid, tid)
        if cad is None:
            return
        if result.status == "cancelled" and before is not None:
            cad.job_document = before
            return
        doc = RenderJobDocument.from_json(cad.job_document)
        if result.status == "completed":
            key = f"{cad_prefix(tid, cid)}/thumbnail.png"
            default_storage().commit(image, key)
            cad.thumbnail_key = key
            doc.finish_step(
                STEP,
                outputs={
                    "thumbnail": key,
                    "timings": result.timings,
                    "warnings": result.warnings,
                    "coverage": result.coverage,
                    "materials": result.material_counts,
                },
                engine=result.engine,
                device=result.device,
                gpu_info=result.gpu_info,
            )
        else:
            executor.note_failure(result.error or result.status)
            doc.fail_step(STEP, result.error or result.status, engine=result.engine, device=result.device)
        cad.job_document = doc.to_json()


def render_thumbnail(
    task: StepTask,
    tid: uuid.UUID,
    cid: uuid.UUID,
    *,
    rematerial: bool = False,
    cancel: threading.Event | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> RenderJobResult | None:
    """Render and store the thumbnail of a ready file from its GLB; None when the file is not ready
    (or gone). The result says how it went (``completed``, ``failed``, ``cancelled``)."""
    job = _begin(task, tid, cid, rematerial=rematerial)
    if job is None:
        return None
    storage = default_storage()
    work = storage.temp_dir("thumb")
    image = work / "thumbnail.png"
    pl = task.pipeline_logger(tid, job_id=f"cad:{cid}")
    try:
        with pl.step(STEP, "rendering thumbnail") as handle:
            spec = thumbnail_spec(
                job_id=f"thumb-{cid.hex[:12]}",
                input_glb=str(storage.path(job["glb"])),
                output_path=str(image),
                material_map=job["materials"],
                fallback_material=job["fallback"],
                library_blend=str(ensure_library(get_settings().resolved_home() / "library")),
                cycles_device=job["device"],
                min_coverage=job["min_coverage"],
            )

            def progress(event: dict[str, Any]) -> None:
                message = str(event.get("message") or event.get("phase"))
                handle.progress(message, fraction=event.get("fraction"), persist=False)
                if on_progress is not None:
                    on_progress(event)

            result = worker_host().run(spec, on_progress=progress, cancel=cancel)
            measured(STEP.value, result)
            if result.status != "completed":
                raise RuntimeError(result.error or result.status)
            handle.context.update({"engine": result.engine, "device": result.device})
    except Exception as exc:  # recorded on the file; the file itself stays ready
        cancelled = cancel is not None and cancel.is_set()
        result = RenderJobResult(
            job_id=f"thumb-{cid.hex[:12]}",
            status="cancelled" if cancelled else "failed",
            error="cancelled" if cancelled else (str(exc) or repr(exc)),
        )
    try:
        _finish(task, tid, cid, result, image, job["before"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


@celery_app.task(base=NodeTask, bind=True, name=THUMBNAIL_TASK)
def render_cad_thumbnail(self: StepTask, *, tenant_id: str, cad_file_id: str) -> str:
    """A transparent thumbnail of a ready CAD file, with its materials."""
    result = render_thumbnail(self, uuid.UUID(tenant_id), uuid.UUID(cad_file_id))
    return "skipped" if result is None else result.status


@celery_app.task(base=StepTask, bind=True, name=REMATERIAL_THUMBNAIL_TASK)
def rematerial_thumbnail(self: StepTask, *, tenant_id: str, cad_file_id: str) -> str:
    """After a material was assigned (``POST /api/cad-files/{id}/assign-material``): the parts'
    materials resolved by the aliases as they are now and the thumbnail rendered from the file's
    GLB, which stays as it is (no conversion, no metadata)."""
    result = render_thumbnail(self, uuid.UUID(tenant_id), uuid.UUID(cad_file_id), rematerial=True)
    return "skipped" if result is None else result.status

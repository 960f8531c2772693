"""``ProcessStep``: the one list of pipeline step names.

The value is the name used in task names, job documents, ``pipeline_events.step_name`` and
workflow node types; ``prefix`` is the log prefix (``[EXTRACT_METADATA]``); ``label`` is what the
UI shows. The queue a step runs on is its declaration's (``pipeline/registry.py``), which is the
queue its tasks declare (``worker/celery_app.declare_task``).
"""

from __future__ import annotations

from enum import StrEnum


class ProcessStep(StrEnum):
    UPLOAD_STEP = "upload_step"
    PARSE_EXCEL = "parse_excel"
    CHECK_CAD = "check_cad"
    EXTRACT_METADATA = "extract_metadata"
    OCC_GLB_EXPORT = "occ_glb_export"
    AUTO_MATERIALS = "auto_materials"
    RENDER_THUMBNAIL = "render_thumbnail"
    RENDER_STILL = "render_still"
    RENDER_TURNTABLE = "render_turntable"
    EXPORT_GLB = "export_glb"
    EXPORT_BLEND = "export_blend"
    DELIVER = "deliver"

    @property
    def prefix(self) -> str:
        return f"[{self.value.upper()}]"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ProcessStep.UPLOAD_STEP: "Upload STEP file",
    ProcessStep.PARSE_EXCEL: "Import Excel product list",
    ProcessStep.CHECK_CAD: "Check CAD file",
    ProcessStep.EXTRACT_METADATA: "Extract CAD metadata",
    ProcessStep.OCC_GLB_EXPORT: "Convert STEP to GLB",
    ProcessStep.AUTO_MATERIALS: "Assign materials",
    ProcessStep.RENDER_THUMBNAIL: "Render thumbnail",
    ProcessStep.RENDER_STILL: "Render still",
    ProcessStep.RENDER_TURNTABLE: "Render turntable",
    ProcessStep.EXPORT_GLB: "Export GLB",
    ProcessStep.EXPORT_BLEND: "Export .blend",
    ProcessStep.DELIVER: "Deliver media",
}

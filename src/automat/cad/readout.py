"""What the API tells about a CAD file from its job document: warnings and the thumbnail's state."""

from __future__ import annotations

from typing import Any, Literal

from automat.models.cad import CadFile, CadStatus
from automat.pipeline.job_document import RenderJobDocument, StepStatus
from automat.pipeline.steps import ProcessStep

ThumbnailState = Literal["pending", "rendering", "ready", "failed"]
IMAGE_MISSING = "the thumbnail image is missing from storage; reprocess the file to render it again"
_BY_STEP: dict[StepStatus, ThumbnailState] = {
    StepStatus.RUNNING: "rendering",
    StepStatus.COMPLETED: "ready",
    StepStatus.FAILED: "failed",
    StepStatus.SKIPPED: "failed",
}


def _document(cad: CadFile) -> RenderJobDocument | None:
    return RenderJobDocument.from_json(cad.job_document) if cad.job_document else None


def warnings(cad: CadFile) -> list[dict[str, Any]]:
    """The job document's warnings and notes, as the API shows them."""
    doc = _document(cad)
    return [w.model_dump(mode="json") for w in doc.warnings] if doc else []


def thumbnail(cad: CadFile) -> tuple[ThumbnailState, str | None] | None:
    """``(state, reason)`` of the thumbnail; None when none will be made (the file failed).

    The render step's record decides; before it has one, the thumbnail is pending (the file is
    being processed, or is ready and waits on the render queue)."""
    doc = _document(cad)
    record = doc.step(ProcessStep.RENDER_THUMBNAIL) if doc else None
    if record is not None:
        state = _BY_STEP[record.status]
        if state == "ready" and not cad.thumbnail_key:  # forgotten by `automat storage check --fix`
            return "failed", IMAGE_MISSING
        return state, (record.error or record.message or "failed") if state == "failed" else None
    if cad.status == CadStatus.FAILED:
        return None
    return "pending", None

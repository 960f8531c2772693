from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from automat.cad import readout
from automat.kit.pagination import Page
from automat.models.cad import CadFile
from automat.models.material import AliasKind


class CadPartRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    position: int
    name: str
    path: str
    color: list[float] | None
    bbox_mm: dict[str, Any]
    volume_mm3: float | None
    area_mm2: float | None
    triangles: int
    material: str | None
    material_reason: str | None


class CadWarningRead(BaseModel):
    """Something to know about a file that converted: ``warning`` (the file is ready with warnings)
    or ``info`` (a note, nothing wrong)."""

    code: str = Field(
        description="stable: malformed_records, unresolved_references, "
        "products_without_geometry, parts_far_outside, parts_without_triangles, utf8_bom_stripped"
    )
    severity: Literal["warning", "info"]
    message: str
    step: str | None = Field(default=None, description="the processing step that found it")
    details: dict[str, Any] = Field(default_factory=dict)


class ThumbnailStatus(BaseModel):
    """The thumbnail's state: ``pending`` (not started), ``rendering``, ``ready`` or ``failed``
    (with the reason). ``ready`` and ``failed`` are final until the file is processed again."""

    state: readout.ThumbnailState
    reason: str | None = None


class CadFileSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    original_name: str
    sha256: str
    size_bytes: int
    status: str
    error: str | None = Field(description="why the file failed, in words: what is wrong and what to do")
    error_code: str | None = Field(
        default=None,
        description="stable: empty_file, not_step, truncated_step, no_data, no_geometry, step_syntax_error, "
        "unreadable_step, conversion_timeout, conversion_out_of_memory, conversion_crashed, "
        "conversion_failed, sandbox_unavailable, source_missing, internal_error",
    )
    error_detail: str | None = Field(
        default=None, description="the converter's own words about the failure (shown folded as Details)"
    )
    created_at: datetime
    updated_at: datetime
    uploaded_by: uuid.UUID | None
    parts_count: int | None = Field(default=None, description="parts in the model, once converted")
    thumbnail_key: str | None = Field(default=None, exclude=True)
    warnings: list[CadWarningRead] = Field(
        default_factory=list,
        description="what processing found; a ready file with any of severity warning is ready with warnings",
    )
    thumbnail_status: ThumbnailStatus | None = Field(
        default=None, description="null when no thumbnail will be made (the file failed)"
    )

    @classmethod
    def of(cls, cad: CadFile) -> CadFileSummary:
        counts = (cad.cad_metadata or {}).get("counts") or {}
        thumb = readout.thumbnail(cad)
        return cls.model_validate(cad).model_copy(
            update={
                "parts_count": counts.get("parts"),
                "warnings": [CadWarningRead.model_validate(w) for w in readout.warnings(cad)],
                "thumbnail_status": ThumbnailStatus(state=thumb[0], reason=thumb[1]) if thumb else None,
            }
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def thumbnail(self) -> str | None:
        """URL of the rendered thumbnail (PNG), once there is one."""
        return f"/api/cad-files/{self.id}/thumbnail" if self.thumbnail_key else None


class CadFileRead(CadFileSummary):
    metadata: dict[str, Any]
    parts: list[CadPartRead]
    job_document: dict[str, Any]
    glb: dict[str, str | None]


class AssignMaterial(BaseModel):
    """Give unmatched parts a material: one new alias, then the file (and others) processed again."""

    model_config = ConfigDict(extra="forbid")

    material: str = Field(min_length=1, max_length=120, description="a material of the library or tenant")
    pattern: str = Field(min_length=1, max_length=255, description="the part name, or a pattern (`Ball*`)")
    kind: AliasKind = AliasKind.EXACT
    priority: int = Field(default=0, ge=-10_000, le=10_000, description="higher wins among patterns")
    also_reprocess: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=50,
        description="other CAD files of the tenant to process again (those the preview's impact lists); "
        "files being processed already are left alone",
    )


class AssignMaterialResult(BaseModel):
    alias_id: uuid.UUID
    cad_file: CadFileRead
    reprocessed: list[uuid.UUID] = Field(description="every file queued again, this one first")
    thumbnail_only: list[uuid.UUID] = Field(
        default_factory=list,
        description="those of them that keep their GLB: ready files, whose parts' materials are "
        "resolved again and whose thumbnail alone is rendered again (the others are processed whole)",
    )


class CadFilePage(Page[CadFileSummary]):
    """A page of CAD files, newest first (with a search: names starting with it first)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from automat.models.cad import CadFile


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


class CadFileSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    original_name: str
    sha256: str
    size_bytes: int
    status: str
    error: str | None
    created_at: datetime
    updated_at: datetime
    uploaded_by: uuid.UUID | None
    parts_count: int | None = Field(default=None, description="parts in the model, once converted")
    thumbnail_key: str | None = Field(default=None, exclude=True)

    @classmethod
    def of(cls, cad: CadFile) -> CadFileSummary:
        counts = (cad.cad_metadata or {}).get("counts") or {}
        return cls.model_validate(cad).model_copy(update={"parts_count": counts.get("parts")})

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

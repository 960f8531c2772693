from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from automat.models.output import OutputKind, TemplateStatus

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
PositionName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Azimuth = Annotated[float, Field(allow_inf_nan=False, description="degrees, any value; stored in [0, 360)")]
Elevation = Annotated[float, Field(ge=-89.0, le=90.0, allow_inf_nan=False, description="degrees")]


# -- output types ---------------------------------------------------------------------------------


class OutputTypeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: OutputKind
    render_settings: dict[str, Any] = Field(
        default_factory=dict,
        description="width, height, samples, engine, format, transparent_bg, position, frames, fps, denoise",
    )
    price: Price = Decimal("0")
    template_id: uuid.UUID | None = None
    workflow_id: uuid.UUID | None = Field(
        default=None, description="the order line workflow its lines run (null: the built-in of its kind)"
    )
    is_active: bool = True


class OutputTypeUpdate(BaseModel):
    """Fields given change; ``render_settings`` keys given replace the stored ones (a merge)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    kind: OutputKind | None = None
    render_settings: dict[str, Any] | None = None
    price: Price | None = None
    template_id: uuid.UUID | None = None
    workflow_id: uuid.UUID | None = Field(default=None, description="null: the built-in of its kind")
    is_active: bool | None = None


class OutputTypeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    kind: OutputKind
    render_settings: dict[str, Any]
    price: Decimal
    template_id: uuid.UUID | None
    workflow_id: uuid.UUID | None = Field(description="null: the built-in workflow of its kind")
    is_active: bool
    created_at: datetime
    updated_at: datetime


# -- positions ------------------------------------------------------------------------------------


class PositionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PositionName
    azimuth_deg: Azimuth
    elevation_deg: Elevation


class PositionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PositionName | None = None
    azimuth_deg: Azimuth | None = None
    elevation_deg: Elevation | None = None


class PositionRead(BaseModel):
    """A camera position: a built-in preset (``builtin``, no id) or one of the tenant's."""

    name: str
    builtin: bool
    azimuth_deg: float
    elevation_deg: float
    id: uuid.UUID | None = None
    tenant_id: uuid.UUID | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


# -- render templates -----------------------------------------------------------------------------


class RenderTemplateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    original_name: str
    size_bytes: int
    sha256: str
    status: TemplateStatus
    inspection: dict[str, Any] = Field(
        description="what the render host found: cameras, has_anchor, objects, blender_version, ..."
    )
    error: str | None
    uploaded_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime

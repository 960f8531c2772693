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
Azimuth = Annotated[
    float,
    Field(
        allow_inf_nan=False,
        description="the camera's direction around the product in degrees, seen from above: 0 looks at "
        "the front, 90 from the right side, 180 from the back; any value, stored in [0, 360)",
    ),
]
Elevation = Annotated[
    float,
    Field(
        ge=-89.0,
        le=90.0,
        allow_inf_nan=False,
        description="how far above the product the camera is in degrees: 0 level with it, 90 straight "
        "down from the top, negative from below",
    ),
]


# -- output types ---------------------------------------------------------------------------------


class OutputTypeCreate(BaseModel):
    """Its fields' descriptions are the help entries ``output_type.<field>``."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="what clients see in the order wizard; unique in the tenant")
    kind: OutputKind = Field(
        description="what is made: a thumbnail, a still image, a turntable video, or a GLB or .blend export"
    )
    render_settings: dict[str, Any] = Field(
        default_factory=dict,
        description="width, height, samples, engine, format, transparent_bg, position, frames, fps, denoise",
    )
    price: Price = Field(default=Decimal("0"), description="the price of one order line of this type")
    template_id: uuid.UUID | None = Field(
        default=None,
        description="the render template (.blend scene: camera rig, lights, branding) it renders in "
        "(null: the built-in studio scene)",
    )
    workflow_id: uuid.UUID | None = Field(
        default=None, description="the order line workflow its lines run (null: the built-in of its kind)"
    )
    is_active: bool = Field(
        default=True,
        description="inactive output types are not offered for new orders; lines ordered already keep it",
    )


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
    """Its fields' descriptions are the help entries ``position.<field>``."""

    model_config = ConfigDict(extra="forbid")

    name: PositionName = Field(
        description="what output types name in their render settings (position); not a preset's name"
    )
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


class TemplateUpdate(BaseModel):
    """Rename a template or (de)activate it; the descriptions are help entries ``template.<field>``."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = Field(default=None, description="the template's name in the tenant, unique")
    is_active: bool | None = Field(
        default=None,
        description="inactive templates cannot be linked to an output type any more; output types that "
        "link one already keep rendering with it",
    )


class TemplateInspection(BaseModel):
    """What the render host reports when it opens an uploaded template (``inspection``); the field
    descriptions are the help entries ``template.<field>``. Older reports may lack fields."""

    blender_version: str | None = Field(
        default=None, description="the Blender version the file was saved with"
    )
    scene: str | None = Field(
        default=None, description="the scene renders are made in (the file's active one)"
    )
    cameras: list[str] = Field(
        default_factory=list,
        description="the camera objects in the scene; a template needs a camera or an AUTOMAT_MODEL anchor",
    )
    active_camera: str | None = Field(
        default=None,
        description="the camera renders look through: the scene's active camera, else the first by name",
    )
    has_anchor: bool = Field(
        default=False,
        description="whether an empty called AUTOMAT_MODEL marks where the product is placed and how it is "
        "scaled; without it the product stands at the scene's origin",
    )
    lights: list[str] = Field(default_factory=list, description="the lights of the scene")
    world: str | None = Field(default=None, description="the world (background and environment light)")
    objects: int | None = Field(default=None, description="how many objects the scene has")
    meshes: int | None = Field(default=None, description="how many of them are meshes (floor, props)")
    render_engine: str | None = Field(
        default=None, description="the engine the file was saved with; the output type's engine decides"
    )
    resolution: list[int] | None = Field(
        default=None, description="the file's resolution in px; the output type's width and height decide"
    )
    samples: int | None = Field(
        default=None, description="the file's render samples; the output type's samples decide"
    )
    frame_range: list[int] | None = Field(
        default=None, description="the file's first and last frame; turntables use the output type's frames"
    )
    missing_libraries: list[str] = Field(
        default_factory=list,
        description="linked .blend libraries that are not in the upload: what they hold is missing from "
        "renders; pack them into the file (File > External Data > Pack Resources) and upload it again",
    )
    size_bytes: int | None = Field(default=None, description="the size of the uploaded file")


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
    is_active: bool
    uploaded_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime

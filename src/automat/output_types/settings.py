"""``RenderSettings``: the schema of an output type's ``render_settings``.

It is checked when an output type is saved (with the tenant's allowed engines and positions) and
turned into a render host job when an order line renders, so what was accepted is what renders.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from automat.models.output import OutputKind
from automat.rendering.spec import FORMATS_BY_KIND, CameraPreset
from automat.rendering.spec import OutputKind as SpecKind

# Output type kind -> the render host's job kind.
SPEC_KIND: dict[OutputKind, SpecKind] = {
    OutputKind.THUMBNAIL: SpecKind.THUMBNAIL,
    OutputKind.STILL: SpecKind.STILL,
    OutputKind.TURNTABLE: SpecKind.TURNTABLE,
    OutputKind.GLB: SpecKind.EXPORT_GLB,
    OutputKind.BLEND: SpecKind.EXPORT_BLEND,
}
DEFAULT_FORMAT: dict[OutputKind, str] = {
    OutputKind.THUMBNAIL: "png",
    OutputKind.STILL: "png",
    OutputKind.TURNTABLE: "mp4",
    OutputKind.GLB: "glb",
    OutputKind.BLEND: "blend",
}
PRESET_POSITIONS = tuple(p.value for p in CameraPreset)


class RenderSettings(BaseModel):
    """How an output type renders. Exports (glb, blend) use only ``format``."""

    model_config = ConfigDict(extra="forbid")

    width: int = Field(default=1024, ge=16, le=8192)
    height: int = Field(default=1024, ge=16, le=8192)
    samples: int | None = Field(default=None, ge=1, le=4096, description="None: the tenant's default")
    engine: Literal["cycles", "eevee"] = "cycles"
    format: str | None = Field(default=None, description="png|jpeg|webp, mp4|webm, glb, blend")
    transparent_bg: bool = True
    position: str = Field(
        default="iso", min_length=1, max_length=100, description="a preset or a tenant position"
    )
    frames: int = Field(default=36, ge=1, le=3600)
    fps: int = Field(default=24, ge=1, le=120)
    denoise: bool = False

    def for_kind(self, kind: OutputKind) -> RenderSettings:
        """The settings with the format filled in and checked against the kind."""
        fmt = (self.format or DEFAULT_FORMAT[kind]).lower()
        fmt = {"jpg": "jpeg"}.get(fmt, fmt)
        allowed = FORMATS_BY_KIND[SPEC_KIND[kind]]
        if fmt not in allowed:
            raise ValueError(f"a {kind.value} is written as {' or '.join(allowed)}, not {fmt!r}")
        return self.model_copy(update={"format": fmt})

    @model_validator(mode="after")
    def _format_known(self) -> RenderSettings:
        if self.format is not None:
            self.format = {"jpg": "jpeg"}.get(self.format.lower(), self.format.lower())
        return self

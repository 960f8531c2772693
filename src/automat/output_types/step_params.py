"""The parameters of the render steps, as optional overrides of an output type's ``RenderSettings``.

A render node of a workflow renders with its output type's settings; each parameter a node sets
replaces that one setting (null: keep the output type's). The fields and limits are
``RenderSettings``' own, so what a node may ask for is exactly what an output type may, per kind:
exports take no parameters (``RenderSettings`` says they use only their fixed format).
"""

from __future__ import annotations

from pydantic import Field

from automat.output_types.settings import RenderSettings
from automat.pipeline.registry import overrides_of
from automat.rendering.spec import ImageFormat, VideoFormat

_IMAGE = ("width", "height", "samples", "engine", "format", "transparent_bg", "position", "denoise")
_UNSET = "the output type's setting"
_DESCRIPTIONS = {
    "width": "image width in pixels",
    "height": "image height in pixels",
    "samples": "Cycles samples per pixel",
    "engine": "render engine (it must be allowed for the tenant)",
    "transparent_bg": "transparent background instead of the studio's",
    "position": "camera position: a preset (iso, front, side, top, three_quarter_low) or a tenant position",
    "denoise": "denoise the render (OpenImageDenoise)",
    "frames": "frames of the full turn",
    "fps": "frames per second of the video",
}

ImageParams = overrides_of(
    RenderSettings,
    _IMAGE,
    name="ImageParams",
    doc="An image render (still): each field replaces the output type's setting.",
    unset=_UNSET,
    replace={"format": (ImageFormat, Field(description="file format: png, jpeg or webp"))},
    descriptions=_DESCRIPTIONS,
)

ThumbnailParams = overrides_of(
    RenderSettings,
    _IMAGE,
    name="ThumbnailParams",
    doc="A thumbnail: on an order line each field replaces the output type's setting; a CAD "
    "file's own thumbnail renders with its fixed 256 px settings where a field is null.",
    unset=f"{_UNSET}; for a CAD file's thumbnail its fixed settings",
    replace={"format": (ImageFormat, Field(description="file format: png, jpeg or webp"))},
    descriptions=_DESCRIPTIONS,
)

TurntableParams = overrides_of(
    RenderSettings,
    (*_IMAGE, "frames", "fps"),
    name="TurntableParams",
    doc="A turntable video: each field replaces the output type's setting.",
    unset=_UNSET,
    replace={"format": (VideoFormat, Field(description="file format: mp4 or webm"))},
    descriptions=_DESCRIPTIONS,
)

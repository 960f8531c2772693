"""Render jobs as data: what goes into the render host and what comes back.

These models are the contract between the platform (workers, CLI) and the code that runs inside
Blender (``automat.blender``); they import no bpy. Specs travel as one JSON line each.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class OutputKind(StrEnum):
    THUMBNAIL = "thumbnail"
    STILL = "still"
    TURNTABLE = "turntable"
    EXPORT_GLB = "export_glb"
    EXPORT_BLEND = "export_blend"


class CameraPreset(StrEnum):
    ISO = "iso"
    FRONT = "front"
    SIDE = "side"
    TOP = "top"
    THREE_QUARTER_LOW = "three_quarter_low"


# (azimuth, elevation) in degrees; azimuth 0 looks along +Y (from -Y), counter-clockwise from above.
PRESET_ANGLES: dict[CameraPreset, tuple[float, float]] = {
    CameraPreset.ISO: (45.0, 35.264),
    CameraPreset.FRONT: (0.0, 0.0),
    CameraPreset.SIDE: (90.0, 0.0),
    CameraPreset.TOP: (0.0, 90.0),
    CameraPreset.THREE_QUARTER_LOW: (35.0, 12.0),
}

MIN_MODEL_COVERAGE = 0.005
"""A still, thumbnail or turntable whose model covers less of the frame than this (0.5 % of the
pixels) fails instead of being delivered; the platform's setting ``render_min_coverage_percent``
overrides it per installation or tenant, 0 turns the check off."""

ImageFormat = Literal["png", "jpeg", "webp"]
VideoFormat = Literal["mp4", "webm"]
FORMATS_BY_KIND: dict[OutputKind, tuple[str, ...]] = {
    OutputKind.THUMBNAIL: ("png", "jpeg", "webp"),
    OutputKind.STILL: ("png", "jpeg", "webp"),
    OutputKind.TURNTABLE: ("mp4", "webm"),
    OutputKind.EXPORT_GLB: ("glb",),
    OutputKind.EXPORT_BLEND: ("blend",),
}


class CameraSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: CameraPreset | None = CameraPreset.ISO
    azimuth_deg: float | None = None  # custom angles win over the preset when both are given
    elevation_deg: float | None = Field(default=None, ge=-89.0, le=90.0)

    def angles(self) -> tuple[float, float]:
        preset = PRESET_ANGLES[self.position or CameraPreset.ISO]
        return (
            self.azimuth_deg if self.azimuth_deg is not None else preset[0],
            self.elevation_deg if self.elevation_deg is not None else preset[1],
        )


class RenderJobSpec(BaseModel):
    """One job for the render host."""

    model_config = ConfigDict(extra="forbid")

    job_id: str
    kind: OutputKind
    input_glb: str  # the production GLB of the CAD file (metres)
    output_path: str
    format: str | None = None  # default: from the output file's extension
    material_map: dict[str, str] = Field(default_factory=dict)  # part name -> material name
    fallback_material: str = "SCHAEFFLER_059999_FailedMaterial"
    library_blend: str | None = None  # the material library to append from
    template_blend: str | None = None  # Mode A: a tenant template; None: the built-in studio
    width: int = Field(default=256, ge=16, le=16384)
    height: int = Field(default=256, ge=16, le=16384)
    samples: int = Field(default=16, ge=1, le=65536)
    engine: Literal["cycles", "eevee"] = "cycles"
    cycles_device: Literal["gpu", "cpu", "auto"] = "gpu"
    denoise: bool = False
    denoiser: Literal["accurate", "fast"] = Field(
        default="accurate",
        description="with denoise: OpenImageDenoise at high quality on prefiltered albedo and normal "
        "passes (accurate), or at its fast quality without prefiltering (fast; on a CPU ~0.05 s "
        "instead of ~1 s for a 256² image)",
    )
    light_tree: bool = Field(
        default=True,
        description="Cycles' light tree; off, the studio's few lights are sampled directly, which "
        "is cheaper per sample and less noisy for them",
    )
    shadow_pass_px: int | None = Field(
        default=None,
        ge=16,
        le=4096,
        description="the studio on a transparent PNG: render the floor's shadow in a pass of its own "
        "this many pixels on the long side and lay the model's render over it (None: one render with "
        "the shadow-catcher floor in it; see automat.blender.shadow_pass)",
    )
    transparent: bool = True
    camera: CameraSpec = Field(default_factory=CameraSpec)
    frames: int = Field(default=36, ge=1, le=3600)  # turntable
    fps: int = Field(default=24, ge=1, le=120)
    smooth_angle_deg: float = Field(default=30.0, ge=0.0, le=180.0)
    min_coverage: float = Field(
        default=MIN_MODEL_COVERAGE,
        ge=0.0,
        le=0.5,
        description="fail a render whose model covers less of the frame than this fraction (0: no check)",
    )

    @model_validator(mode="after")
    def _format(self) -> RenderJobSpec:
        fmt = (self.format or self.output_path.rsplit(".", 1)[-1]).lower()
        fmt = {"jpg": "jpeg"}.get(fmt, fmt)
        allowed = FORMATS_BY_KIND[self.kind]
        if fmt not in allowed:
            raise ValueError(f"a {self.kind.value} is written as {' or '.join(allowed)}, not {fmt!r}")
        self.format = fmt
        return self


class Framing(BaseModel):
    """Where the object landed on screen, as fractions of the frame (for the framing rule)."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float
    span: float  # the larger of width and height, as a fraction of the frame's side


class RenderJobResult(BaseModel):
    job_id: str
    status: Literal["completed", "failed", "cancelled"]
    outputs: list[str] = Field(default_factory=list)
    poster: str | None = None  # turntables: a still of the first frame
    timings: dict[str, float] = Field(default_factory=dict)  # phase -> seconds
    engine: str | None = None
    device: str | None = None
    gpu_info: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None
    framing: Framing | None = None
    materials: dict[str, str] = Field(default_factory=dict)  # object name -> material applied
    material_counts: dict[str, int] = Field(default_factory=dict)  # parts by how they got it
    coverage: float | None = None  # fraction of the frame the model covers (first frame of a turntable)
    # The render host died under the job (killed, out of memory, crashed): nothing the job itself
    # said was wrong, so another attempt may succeed (``pipeline/retry.py``).
    host_crashed: bool = False


# -- the CAD thumbnail --------------------------------------------------------------------------

THUMBNAIL_PX = 256
THUMBNAIL_SETTINGS: dict[str, Any] = {
    "kind": OutputKind.THUMBNAIL,
    "width": THUMBNAIL_PX,
    "height": THUMBNAIL_PX,
    "samples": 8,
    "denoise": True,
    "denoiser": "fast",
    "light_tree": False,
    "shadow_pass_px": 64,
}
"""How a CAD file's thumbnail renders (``render_cad_thumbnail``; a new render host warms up with
these settings too), and why, as measured on the 2-core test machine (``python -m bench
thumbnail_levers``, SSIM against a 256-sample denoised render of the studio with its catcher):

- the floor's shadow from a 64 px pass of its own (``automat.blender.shadow_pass``): the catcher
  in the full-size render made the job ~1.5 times slower (1.04 s against 0.72 s) for the same
  look (SSIM 0.971 against 0.969);
- 8 samples, denoised by OpenImageDenoise at its fast quality: without a denoiser no sample count
  that fits a thumbnail's budget reaches SSIM 0.95 (8 samples: 0.67; 16 as before: 0.72), the
  accurate denoiser costs +0.7 s for +0.01; 4 samples fall to 0.953, 16 gain 0.007 for +0.18 s;
- no light tree: for the studio's three lights it is slower (0.79 s) and no less noisy (0.968).
"""


def thumbnail_spec(**job: Any) -> RenderJobSpec:
    """The thumbnail job: ``THUMBNAIL_SETTINGS`` plus the job's own fields (ids, paths, materials,
    device), which may also override a setting (the benchmark's reference asks for more samples)."""
    return RenderJobSpec(**{**THUMBNAIL_SETTINGS, **job})

"""How much of the frame the model covers, measured before the real render.

A render that shows (almost) nothing must fail rather than be delivered: a part placed metres
away from the rest makes the framing shrink the model to a dot, and a model without surfaces
(points or lines only) renders as an empty frame.

The measure is a mask render: the job's camera, Cycles at ``MASK_SIDE`` pixels on the long side
(the frame's aspect kept), one sample, no bounces, a transparent film and every object but the
model hidden (the studio's shadow-catcher floor and lights, a template's set). A pixel's alpha is
then how much of it the model covers, whatever the job's format (JPEG has no alpha), background
(a template's world) or floor: the shadow catcher's shadows, semi-transparent pixels in a
transparent render, never count. Coverage is the mean alpha. The mask runs before the real render,
so a 2048² still or a turntable that would show nothing fails in a fraction of a second.

Cost: the mask render itself is cheap (128² at one sample); what costs is syncing the scene to
Cycles, which the real render would do anyway. The mask turns Cycles' persistent data on, so the
real render reuses that sync (``output.render_still`` turns it off again, which frees it); the
materials are left alone because swapping them would make Cycles sync the geometry again. Measured
with ``python -m bench render_coverage`` (numbers in ``docs/architecture.md``, Rendering); the
real render's pixels are identical with and without the check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from automat.blender import output
from automat.kit.attrs import temporarily

MASK_SIDE = 128  # pixels on the frame's long side


class NothingToSeeError(RuntimeError):
    """The model covers (almost) nothing of the frame; the message says what to check."""


@dataclass(frozen=True)
class Coverage:
    fraction: float  # of the frame's area the model covers, 0..1
    width: int
    height: int
    seconds: float


def _mask_size(width: int, height: int) -> tuple[int, int]:
    scale = MASK_SIDE / max(width, height)
    return max(4, round(width * scale)), max(4, round(height * scale))


def measure(sc: Any, model_objects: list[Any], scratch: Path) -> Coverage:
    """Render the model's mask with the scene's camera and return the covered fraction.

    ``scratch`` is where the mask image is written (beside the job's output, so whatever cleans
    up after a killed job removes it too); it is deleted afterwards. A Cycles job keeps the
    persistent render data on, so its real render reuses the geometry the mask synced;
    ``output.render_still`` turns it off again (which frees it)."""
    started = time.perf_counter()
    mine = {obj.name for obj in model_objects}
    width, height = _mask_size(sc.render.resolution_x, sc.render.resolution_y)
    render, image, cycles = sc.render, sc.render.image_settings, sc.cycles
    cycles_job = render.engine == "CYCLES"
    changes: list[tuple[Any, str, Any]] = [
        (render, "engine", "CYCLES"),
        (render, "resolution_x", width),
        (render, "resolution_y", height),
        (render, "resolution_percentage", 100),
        (render, "film_transparent", True),
        (cycles, "samples", 1),
        (cycles, "use_adaptive_sampling", False),
        (cycles, "use_denoising", False),
        (cycles, "max_bounces", 0),
    ]
    changes += [
        (obj, "hide_render", True) for obj in sc.objects if obj.name not in mine and not obj.hide_render
    ]
    if hasattr(image, "media_type"):
        changes.append((image, "media_type", "IMAGE"))
    changes += [(image, "file_format", "PNG"), (image, "color_mode", "RGBA"), (image, "color_depth", "8")]
    try:
        render.use_persistent_data = True
        with temporarily(changes):
            output.render(sc)
            output.write(sc, scratch)
        alpha = output.read_rgba(scratch)[:, :, 3]
    finally:
        scratch.unlink(missing_ok=True)
        if not cycles_job:
            render.use_persistent_data = False  # an EEVEE job: free what Cycles kept
    fraction = float(np.asarray(alpha, dtype=np.float64).mean() / 255.0)
    return Coverage(fraction, width, height, time.perf_counter() - started)


def _length(metres: float) -> str:
    if metres >= 1.0:
        return f"{metres:.1f} m"
    return f"{metres * 1000:.3g} mm"


def _world_box(obj: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    corners = np.array([tuple(c) for c in obj.bound_box], dtype=np.float64)
    matrix = np.array(obj.matrix_world, dtype=np.float64)
    world = corners @ matrix[:3, :3].T + matrix[:3, 3]
    return world.min(axis=0), world.max(axis=0)


def diagnose(meshes: list[Any], part_names: dict[str, str], span: float | None = None) -> str:
    """What to check: no faces at all, a part far away from the rest, or (``span``, the framed
    model's larger screen extent, being normal) a flat model seen edge-on."""
    if sum(len(obj.data.polygons) for obj in meshes) == 0:
        return (
            "The model has no visible geometry: its meshes have points or lines but no faces. Check "
            "that the CAD file's parts are solids or surfaces."
        )
    boxes = [_world_box(obj) for obj in meshes]
    centres = np.array([(lo + hi) / 2 for lo, hi in boxes])
    sizes = np.array([float(np.linalg.norm(hi - lo)) for lo, hi in boxes])
    biggest = int(sizes.argmax())
    distances = np.linalg.norm(centres - centres[biggest], axis=1)
    far = int(distances.argmax())
    if len(meshes) > 1 and distances[far] > 10 * max(float(sizes[biggest]), 1e-9):
        part = part_names.get(meshes[far].name, meshes[far].name)
        return (
            f"Part '{part}' lies {_length(float(distances[far]))} away from the rest of the model, which "
            f"is {_length(float(sizes[biggest]))} across: the framing fits everything, so the model shrinks "
            "to a dot. Check where that part is placed in the CAD file, or remove it."
        )
    if span is not None and span >= 0.25:
        return (
            "The model is framed but is a thin sliver from this camera angle (a flat part seen edge-on, "
            "a wire): choose another camera position."
        )
    return (
        "Check the model: a part far away from the rest shrinks the model in the framing, and parts "
        "without visible geometry (no faces, zero size) show nothing."
    )

"""The studio floor's shadow as a small pass of its own, under the model's full-size render.

The shadow-catcher floor dominates a small studio render: it covers most of the frame, and every
one of its pixels traces the light twice (with and without the model) to find how much shadow
falls there; on this project's 2-core test machine a 256² thumbnail took ~2.5 s with it and
~0.7 s without. Yet the shadow is soft and low in detail. With ``RenderJobSpec.shadow_pass_px``
set (the CAD thumbnail sets it) a transparent PNG is made in two renders of the same scene:

1. the shadow: the floor as shadow catcher, the model hidden from the camera (it still casts
   its shadow), ``shadow_pass_px`` pixels on the long side, the job's samples and denoiser; on a
   transparent film that image is black with the shadow as alpha;
2. the model at full size, with the floor hidden from the camera and no longer a catcher: a
   shadow catcher looks like an ordinary surface to reflected and bounced light, so the model
   still mirrors the floor and is lit by it as before, while the floor's pixels cost nothing;

then the shadow is scaled up (bicubic, premultiplied) and the model laid over it (``over``).
Against a 256-sample render with the real catcher the thumbnail keeps an SSIM of ~0.97 (see
``bench/upload_to_thumbnail``). It runs after the coverage mask, while Cycles still keeps the
synced scene (persistent data), and before the model's render, which frees it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from automat.blender import output, scene
from automat.kit.attrs import temporarily
from automat.rendering.spec import OutputKind, RenderJobSpec


def applies(spec: RenderJobSpec, sc: Any) -> bool:
    """A studio still or thumbnail on a transparent PNG in Cycles, with a floor to shadow."""
    return (
        spec.shadow_pass_px is not None
        and spec.kind in (OutputKind.THUMBNAIL, OutputKind.STILL)
        and spec.engine == "cycles"
        and spec.format == "png"
        and not spec.template_blend
        and bool(sc.render.film_transparent)
        and scene.studio_floor(sc) is not None
    )


def render_shadow(sc: Any, spec: RenderJobSpec, model_objects: list[Any], path: Path) -> float:
    """Render the floor's shadow alone, small, into ``path`` (RGBA PNG); returns the seconds."""
    started = time.perf_counter()
    render, image = sc.render, sc.render.image_settings
    scale = spec.shadow_pass_px / max(render.resolution_x, render.resolution_y)
    changes: list[tuple[Any, str, Any]] = [
        (render, "resolution_x", max(4, round(render.resolution_x * scale))),
        (render, "resolution_y", max(4, round(render.resolution_y * scale))),
        (image, "file_format", "PNG"),
        (image, "color_mode", "RGBA"),
        (image, "color_depth", "8"),
    ]
    changes += [(obj, "visible_camera", False) for obj in model_objects if obj.type == "MESH"]
    render.use_persistent_data = True  # the model's render reuses the synced scene; it frees it
    with temporarily(changes):
        output.render(sc)
        output.write(sc, path)
    return time.perf_counter() - started


@contextmanager
def floor_out_of_view(sc: Any) -> Iterator[None]:
    """While the model renders: the floor only in reflections and bounced light, not in view."""
    floor = scene.studio_floor(sc)
    assert floor is not None
    with temporarily([(floor, "visible_camera", False), (floor, "is_shadow_catcher", False)]):
        yield


def lay_over_shadow(image: Path, shadow: Path) -> None:
    """Scale the shadow up to the image's size and put the image over it, in place."""
    from PIL import Image

    with Image.open(image) as top, Image.open(shadow) as under:
        model = top.convert("RGBA")
        # Premultiplied while scaling, so the black of transparent pixels does not bleed in.
        floor = under.convert("RGBa").resize(model.size, Image.Resampling.BICUBIC).convert("RGBA")
    Image.alpha_composite(floor, model).save(image, format="PNG", compress_level=1)

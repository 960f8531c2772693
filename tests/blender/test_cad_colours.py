"""Unmatched parts in their CAD colour (tenant opt-in) or the magenta fallback (the default).

The STEP file is made here: a red and a blue box (``COLOUR_RGB`` through ``STYLED_ITEM``), names
no alias matches. It goes the platform's way: converted with cascadio, measured with trimesh (the
part colours ``CadPart.color`` keeps), resolved, rendered and exported by the render host.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from automat.cad import geometry
from automat.cad.conversion import convert_step
from automat.cad.sandbox import SandboxLimits
from automat.materials.library import BUILTIN_BY_NAME, DEFAULT_ALIASES, FALLBACK_MATERIAL
from automat.materials.resolve import UnmatchedMode, part_colours, resolve_material_map
from automat.rendering.host_client import RenderHost
from automat.rendering.spec import OutputKind
from tests.blender.conftest import Model, completed, job, magenta_mask, rgba
from tests.support.step_boxes import Box, boxes_step

RED, BLUE = (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)


@pytest.fixture(scope="module")
def two_colours(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, list[geometry.PartInfo]]:
    work = tmp_path_factory.mktemp("two_colours")
    step = work / "two_colours.step"
    step.write_bytes(
        boxes_step(
            [
                Box("Widget_Left", (20, 20, 20), (0, 0, 0), colour=RED),
                Box("Widget_Right", (20, 20, 20), (24, 0, 0), colour=BLUE),
            ]
        )
    )
    out = convert_step(
        step, work, viewer_base_mm=0.1, production_base_mm=0.01, limits=SandboxLimits(timeout_s=120)
    )
    return Model(out.production, ["Widget_Left", "Widget_Right"]), geometry.analyze(out.production).parts


def material_map(parts: list[geometry.PartInfo], unmatched: UnmatchedMode) -> dict[str, str]:
    """What the platform sends the render host for a tenant with the default aliases."""
    resolved = resolve_material_map(
        [p.name for p in parts],
        DEFAULT_ALIASES,
        fallback=FALLBACK_MATERIAL,
        known=BUILTIN_BY_NAME,
        colours=part_colours(parts),
        unmatched=unmatched,
    )
    return {part: r.material for part, r in resolved.items()}


def colour_pixels(pixels: np.ndarray) -> dict[str, int]:
    opaque, magenta = magenta_mask(pixels)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return {
        "red": int((opaque & (r > 120) & (r > 2.5 * g) & (r > 2.5 * b)).sum()),
        "blue": int((opaque & (b > 120) & (b > 2.5 * r) & (b > 1.8 * g)).sum()),
        "magenta": int(magenta.sum()),
    }


def test_the_step_colours_reach_the_parts(two_colours: tuple[Model, list[geometry.PartInfo]]) -> None:
    _, parts = two_colours
    colours = {p.name: p.color for p in parts}
    assert colours["Widget_Left"] is not None and colours["Widget_Right"] is not None
    assert material_map(parts, "cad_colour") == {
        "Widget_Left": "CAD_COLOUR_FF0000",  # the STEP file's COLOUR_RGB, x 255
        "Widget_Right": "CAD_COLOUR_0000FF",
    }


def test_cad_colour_mode_renders_unmatched_parts_in_their_step_colours(
    host: RenderHost,
    host_log: Path,
    two_colours: tuple[Model, list[geometry.PartInfo]],
    library: Path,
    tmp_path: Path,
) -> None:
    model, parts = two_colours
    out = tmp_path / "cad_colours.png"
    spec = job(model, out, library_blend=str(library), material_map=material_map(parts, "cad_colour"))
    result = completed(host.run(spec))

    seen = colour_pixels(rgba(out))
    assert seen["red"] > 200 and seen["blue"] > 200, seen
    assert seen["magenta"] == 0, seen
    assert result.material_counts == {"material": 0, "cad_colour": 2, "fallback": 0}
    assert result.materials == {"Widget_Left": "CAD_COLOUR_FF0000", "Widget_Right": "CAD_COLOUR_0000FF"}
    log = host_log.read_text()
    assert "[MATERIAL] part 'Widget_Left' → 'CAD_COLOUR_FF0000' (no match, CAD colour)" in log
    assert "[MATERIAL] part 'Widget_Right' → 'CAD_COLOUR_0000FF' (no match, CAD colour)" in log


def test_fallback_mode_is_unchanged_magenta(
    host: RenderHost, two_colours: tuple[Model, list[geometry.PartInfo]], library: Path, tmp_path: Path
) -> None:
    model, parts = two_colours
    out = tmp_path / "fallback.png"
    assert set(material_map(parts, "fallback").values()) == {FALLBACK_MATERIAL}
    result = completed(
        host.run(job(model, out, library_blend=str(library), material_map=material_map(parts, "fallback")))
    )

    seen = colour_pixels(rgba(out))
    assert seen["magenta"] > 400 and seen["red"] == 0 and seen["blue"] == 0, seen
    assert result.material_counts == {"material": 0, "cad_colour": 0, "fallback": 2}


def test_the_glb_export_carries_the_cad_colours(
    host: RenderHost, two_colours: tuple[Model, list[geometry.PartInfo]], library: Path, tmp_path: Path
) -> None:
    model, parts = two_colours
    out = tmp_path / "export.glb"
    spec = job(
        model, out, kind=OutputKind.EXPORT_GLB, library_blend=str(library),
        material_map=material_map(parts, "cad_colour"),
    )  # fmt: skip
    completed(host.run(spec))

    data = out.read_bytes()
    length = struct.unpack_from("<I", data, 12)[0]
    doc = json.loads(data[20 : 20 + length])
    colours = {m["name"]: m["pbrMetallicRoughness"]["baseColorFactor"] for m in doc["materials"]}
    assert set(colours) == {"CAD_COLOUR_FF0000", "CAD_COLOUR_0000FF"}
    assert np.allclose(colours["CAD_COLOUR_FF0000"], [1.0, 0.0, 0.0, 1.0], atol=0.002)
    assert np.allclose(colours["CAD_COLOUR_0000FF"], [0.0, 0.0, 1.0, 1.0], atol=0.002)

"""Mode A: a tenant's template .blend (camera rig, light, anchor, branding) through the real host."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from automat.rendering.host_client import RenderHost
from automat.rendering.spec import OutputKind
from tests.blender.conftest import Model, completed, job, run_bpy
from tests.blender.test_render import assert_framing_rule, assert_png_matches

ANCHOR = (0.4, -0.25, 0.12)
CAMERA_ROTATION = (1.1, 0.0, 0.6)  # radians, Euler XYZ

TEMPLATE_SCRIPT = f"""
import math, sys
import bpy

bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
with_camera, with_anchor = sys.argv[2] == "1", sys.argv[3] == "1"
if with_camera:
    data = bpy.data.cameras.new("RigCam")
    data.lens = 85
    camera = bpy.data.objects.new("RigCam", data)
    scene.collection.objects.link(camera)
    camera.location = (3.0, -4.0, 2.5)
    camera.rotation_euler = {CAMERA_ROTATION}
    scene.camera = camera
light = bpy.data.objects.new("BrandKey", bpy.data.lights.new("BrandKey", "SUN"))
light.data.energy = 3.0
light.rotation_euler = (0.6, 0.2, 0.4)
scene.collection.objects.link(light)
if with_anchor:
    anchor = bpy.data.objects.new("AUTOMAT_MODEL", None)
    anchor.location = {ANCHOR}
    anchor.rotation_euler = (0.0, 0.0, math.radians(30))
    scene.collection.objects.link(anchor)
world = bpy.data.worlds.new("BrandWorld")
scene.world = world
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[1])
"""

INSPECT_SCRIPT = """
import json, sys
import bpy
from mathutils import Vector

bpy.ops.wm.open_mainfile(filepath=sys.argv[1])
scene = bpy.context.scene
meshes = [o for o in scene.objects if o.type == "MESH" and not o.get("automat_studio")]
corners = [o.matrix_world @ Vector(c) for o in meshes for c in o.bound_box]
low = [min(c[i] for c in corners) for i in range(3)]
high = [max(c[i] for c in corners) for i in range(3)]
camera = scene.camera
print("RESULT " + json.dumps({
    "bottom_centre": [(low[0] + high[0]) / 2, (low[1] + high[1]) / 2, low[2]],
    "camera": camera.name if camera else None,
    "camera_rotation": list(camera.matrix_world.to_euler("XYZ")) if camera else None,
    "lights": sorted(o.name for o in scene.objects if o.type == "LIGHT"),
    "world": scene.world.name if scene.world else None,
    "meshes": sorted(o.name for o in meshes),
}))
"""


def make_template(path: Path, *, camera: bool = True, anchor: bool = True) -> Path:
    run_bpy(TEMPLATE_SCRIPT, str(path), "1" if camera else "0", "1" if anchor else "0")
    assert path.is_file()
    return path


def inspect(blend: Path) -> dict[str, Any]:
    out = run_bpy(INSPECT_SCRIPT, str(blend))
    found: dict[str, Any] = json.loads(
        next(line[7:] for line in out.splitlines() if line.startswith("RESULT "))
    )
    return found


def test_the_model_lands_at_the_anchor_and_the_template_camera_frames_it(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    template = make_template(tmp_path / "template.blend")

    still = tmp_path / "templated.png"
    result = completed(
        host.run(
            job(
                bearing,
                still,
                width=96,
                height=96,
                samples=2,
                library_blend=str(library),
                template_blend=str(template),
            )
        )
    )
    assert_framing_rule(result.framing)
    assert result.framing is not None
    assert_png_matches(still, result.framing)

    blend = tmp_path / "templated.blend"
    completed(
        host.run(
            job(
                bearing,
                blend,
                kind=OutputKind.EXPORT_BLEND,
                library_blend=str(library),
                template_blend=str(template),
            )
        )
    )
    scene = inspect(blend)
    assert scene["bottom_centre"] == pytest.approx(ANCHOR, abs=1e-4)
    assert scene["camera"] == "RigCam"
    assert scene["camera_rotation"] == pytest.approx(CAMERA_ROTATION, abs=1e-4)  # slid, not turned
    assert scene["lights"] == ["BrandKey"]  # the template's lighting, no studio
    assert scene["world"] == "BrandWorld"
    assert "Inner_Ring" in scene["meshes"]


def test_a_template_without_anchor_or_camera(
    host: RenderHost, shaft: Model, library: Path, tmp_path: Path
) -> None:
    template = make_template(tmp_path / "bare.blend", camera=False, anchor=False)
    blend = tmp_path / "bare_out.blend"
    completed(
        host.run(
            job(
                shaft,
                blend,
                kind=OutputKind.EXPORT_BLEND,
                library_blend=str(library),
                template_blend=str(template),
            )
        )
    )
    scene = inspect(blend)
    assert scene["bottom_centre"] == pytest.approx((0.0, 0.0, 0.0), abs=1e-4)
    assert scene["camera"] == "AUTOMAT_camera"
    assert scene["lights"] == ["BrandKey"]

    still = tmp_path / "bare.png"
    result = completed(
        host.run(
            job(
                shaft,
                still,
                width=64,
                height=64,
                samples=1,
                library_blend=str(library),
                template_blend=str(template),
            )
        )
    )
    assert_framing_rule(result.framing)


def test_a_missing_template_fails_the_job(host: RenderHost, shaft: Model, tmp_path: Path) -> None:
    result = host.run(job(shaft, tmp_path / "x.png", template_blend=str(tmp_path / "nope.blend")))
    assert result.status == "failed"
    assert result.error is not None and "render template not found" in result.error

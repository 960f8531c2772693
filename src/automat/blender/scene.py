"""Scenes: a clean slate per job, the built-in studio (Mode B) and tenant templates (Mode A).

Mode B, the studio: three area lights (key, fill, rim) placed around the camera's view and sized
and powered relative to the object, a shadow-catcher floor under it (``is_shadow_catcher``: only
its shadows show, on a transparent film as alpha) and a neutral grey world that lights the object
softly. Everything scales with the object's radius, so a 3 mm ball and a 2 m housing look alike.

Mode A, a template ``.blend``: its camera rig, lights, world and branding are used as they are.
The model is placed with its bounding-box bottom centre on the object named ``AUTOMAT_MODEL``
(an anchor empty; its rotation about the vertical turns the model), else on the origin. The
template's camera keeps its orientation and lens and is slid along its view axis to frame the
model; a template without a camera gets one at the job's camera angles.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import bpy
from mathutils import Matrix, Vector

from automat.blender.camera import Bounds, direction

ANCHOR_NAME = "AUTOMAT_MODEL"
STUDIO_TAG = "automat_studio"  # custom property on the objects the studio adds
WORLD_GREY = (0.5, 0.5, 0.5, 1.0)  # what metals reflect: a bright, even grey
WORLD_STRENGTH = 1.0
LIGHT_DISTANCE = 6.0  # in object radii
LIGHT_SIZE = 4.0
FLOOR_RADII = 6.0  # the shadow catcher reaches this many radii from the centre
FLOOR_NAME = "AUTOMAT_floor"


class TemplateError(RuntimeError):
    pass


def reset() -> None:
    """An empty factory scene with no data left over from a previous job."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    purge_orphans()


def purge_orphans() -> int:
    return int(bpy.data.orphans_purge(do_local_ids=True, do_linked_ids=True, do_recursive=True))


def open_template(path: str) -> None:
    """Replace the whole session with the template. Its scripts and Python drivers never run: a
    template is a tenant upload, not trusted code."""
    source = Path(path)
    if not source.is_file():
        raise TemplateError(f"render template not found: {source}")
    try:
        bpy.ops.wm.open_mainfile(filepath=str(source), load_ui=False, use_scripts=False)
    except RuntimeError as exc:
        raise TemplateError(f"could not open render template {source}: {exc}") from None
    purge_orphans()


def scene() -> Any:
    return bpy.context.scene


def template_camera(sc: Any) -> Any | None:
    if sc.camera is not None and sc.camera.type == "CAMERA":
        return sc.camera
    cameras = sorted((o for o in sc.objects if o.type == "CAMERA"), key=lambda o: o.name)
    return cameras[0] if cameras else None


def placement(bounds: Bounds, anchor: Any | None) -> Matrix:
    """The transform that puts the model's bottom centre on the anchor (or the origin)."""
    bottom = Vector((bounds.center.x, bounds.center.y, bounds.min.z))
    to_origin = Matrix.Translation(-bottom)
    if anchor is None:
        return to_origin
    location = anchor.matrix_world.to_translation()
    yaw = anchor.matrix_world.to_euler("XYZ").z
    return Matrix.Translation(location) @ Matrix.Rotation(yaw, 4, "Z") @ to_origin


def find_anchor(sc: Any) -> Any | None:
    return sc.objects.get(ANCHOR_NAME)


def _tag(obj: Any) -> Any:
    obj[STUDIO_TAG] = True
    return obj


def _world(sc: Any) -> None:
    world = bpy.data.worlds.new("AUTOMAT_studio_world")
    sc.world = world
    tree = world.node_tree
    if tree is None:  # Blender < 5 creates the tree on request
        world.use_nodes = True
        tree = world.node_tree
    background = next((n for n in tree.nodes if n.bl_idname == "ShaderNodeBackground"), None)
    if background is None:
        background = tree.nodes.new("ShaderNodeBackground")
        output = next((n for n in tree.nodes if n.bl_idname == "ShaderNodeOutputWorld"), None)
        output = output or tree.nodes.new("ShaderNodeOutputWorld")
        tree.links.new(background.outputs["Background"], output.inputs["Surface"])
    background.inputs["Color"].default_value = WORLD_GREY
    background.inputs["Strength"].default_value = WORLD_STRENGTH
    world.color = WORLD_GREY[:3]


def _area_light(
    sc: Any, name: str, target: Vector, angles: tuple[float, float], radius: float, irradiance: float
) -> Any:
    """A disk light ``LIGHT_DISTANCE`` radii from the target, giving it ``irradiance`` (W/m²).

    On its axis a small area light of power P gives P / (π d²): the power grows with the square
    of the distance, so a 3 mm ball and a 2 m housing are lit alike.
    """
    distance = LIGHT_DISTANCE * radius
    light = bpy.data.lights.new(name, "AREA")
    light.shape = "DISK"
    light.size = LIGHT_SIZE * radius
    light.energy = irradiance * math.pi * distance**2
    obj = _tag(bpy.data.objects.new(name, light))
    sc.collection.objects.link(obj)
    back, _right, _up = direction(*angles)
    obj.location = target + back * distance
    obj.rotation_euler = back.to_track_quat("Z", "Y").to_euler()  # a light shines down its -Z
    return obj


def build_studio(sc: Any, bounds: Bounds, azimuth_deg: float, *, camera: Any, floor: bool = True) -> None:
    """Mode B: world, three-point lights around the camera's azimuth, shadow-catcher floor.

    The floor is left out when the camera looks from below it, and when ``floor`` is False
    (EEVEE has no shadow catcher: the floor would render as a grey plane).
    """
    _world(sc)
    radius, target = bounds.radius, bounds.center
    # key: front-left and high; fill: front-right and low; rim: behind and high.
    _area_light(sc, "AUTOMAT_key", target, (azimuth_deg - 40, 50), radius, 1.3)
    _area_light(sc, "AUTOMAT_fill", target, (azimuth_deg + 55, 15), radius, 0.6)
    _area_light(sc, "AUTOMAT_rim", target, (azimuth_deg + 170, 55), radius, 0.8)
    above = camera.matrix_world.to_translation().z > bounds.min.z + 0.05 * radius
    if floor and above:
        _floor(sc, bounds)


def _floor(sc: Any, bounds: Bounds) -> Any:
    """A disk-ish square under the object that only shows the shadows falling on it."""
    mesh = bpy.data.meshes.new(FLOOR_NAME)
    half = bounds.radius * FLOOR_RADII
    verts = [(-half, -half, 0), (half, -half, 0), (half, half, 0), (-half, half, 0)]
    mesh.from_pydata(verts, [], [(0, 1, 2, 3)])
    mesh.update()
    obj = _tag(bpy.data.objects.new(FLOOR_NAME, mesh))
    obj.location = (bounds.center.x, bounds.center.y, bounds.min.z - bounds.radius * 1e-3)  # no z-fighting
    obj.is_shadow_catcher = True
    sc.collection.objects.link(obj)
    return obj


def studio_floor(sc: Any) -> Any | None:
    """The studio's shadow-catcher floor, if this scene has one."""
    obj = sc.objects.get(FLOOR_NAME)
    return obj if obj is not None and obj.get(STUDIO_TAG) else None


def studio_color_management(sc: Any) -> None:
    """Khronos PBR Neutral: base colours stay true (a magenta fallback stays magenta), only the
    brightest highlights are compressed. Standard where it is missing."""
    settings = sc.view_settings
    try:
        settings.view_transform = "Khronos PBR Neutral"
    except TypeError:
        settings.view_transform = "Standard"
    settings.look = "None"
    settings.exposure = 0.0
    settings.gamma = 1.0


def turntable_matrix(center: Vector, angle_rad: float) -> Matrix:
    """A rotation by ``angle_rad`` about the vertical axis through ``center``."""
    return Matrix.Translation(center) @ Matrix.Rotation(angle_rad, 4, "Z") @ Matrix.Translation(-center)


def angle_of(frame: int, frames: int) -> float:
    return 2 * math.pi * frame / frames

"""Camera placement and framing from the model's geometry.

The framing rule: the object's screen-space bounding box spans 40-90 % of the frame along its
larger axis and touches no edge. The camera aims ``TARGET_SPAN`` (75 %): for a fixed view
direction the distance is solved by bisection on the projection of every evaluated vertex (so the
answer does not depend on the object's size, from a 3 mm ball to a 2 m housing), then the lens
shift centres the object's screen box exactly (perspective off-axis shift: no re-aiming, no
change of the view). The framing reported back is measured with
``bpy_extras.object_utils.world_to_camera_view`` on the extreme vertices.

Directions follow ``automat.rendering.spec.PRESET_ANGLES``: azimuth 0 looks along +Y (camera at
-Y), counter-clockwise seen from above; elevation is up from the XY plane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import bpy
import numpy as np
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Matrix, Vector
from numpy.typing import NDArray

TARGET_SPAN = 0.75
LENS_MM = 70.0
SENSOR_MM = 36.0
Points = NDArray[np.float64]  # (N, 3) world-space positions
MAX_POINTS = 400_000  # above this, vertices are thinned by a stride (extremes of big meshes are dense)


@dataclass(frozen=True)
class Bounds:
    min: Vector
    max: Vector

    @property
    def center(self) -> Vector:
        return (self.min + self.max) / 2

    @property
    def size(self) -> Vector:
        return self.max - self.min

    @property
    def radius(self) -> float:
        return max(float(self.size.length) / 2, 1e-6)


def world_points(objects: list[Any]) -> Points:
    """Every evaluated vertex of ``objects`` in world space, as an (N, 3) float64 array."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    chunks = []
    for obj in objects:
        evaluated = obj.evaluated_get(depsgraph)
        mesh = evaluated.to_mesh()
        try:
            count = len(mesh.vertices)
            if count == 0:
                continue
            co = np.empty(count * 3, dtype=np.float64)
            mesh.vertices.foreach_get("co", co)
        finally:
            evaluated.to_mesh_clear()
        co = co.reshape(-1, 3)
        matrix = np.array(evaluated.matrix_world, dtype=np.float64)
        chunks.append(co @ matrix[:3, :3].T + matrix[:3, 3])
    if not chunks:
        raise ValueError("the model has no vertices")
    points: Points = np.concatenate(chunks)
    if len(points) > MAX_POINTS:
        keep = np.zeros(len(points), dtype=bool)
        keep[:: len(points) // MAX_POINTS + 1] = True
        for axis in range(3):  # never lose the axis-aligned extremes
            keep[np.argmin(points[:, axis])] = keep[np.argmax(points[:, axis])] = True
        points = points[keep]
    return points


def bounds_of(points: Points) -> Bounds:
    return Bounds(Vector(points.min(axis=0).tolist()), Vector(points.max(axis=0).tolist()))


def direction(azimuth_deg: float, elevation_deg: float) -> tuple[Vector, Vector, Vector]:
    """(towards the camera, screen right, screen up) for a view direction, as unit vectors."""
    az, el = math.radians(azimuth_deg), math.radians(elevation_deg)
    back = Vector((math.sin(az) * math.cos(el), -math.cos(az) * math.cos(el), math.sin(el)))
    right = Vector((math.cos(az), math.sin(az), 0.0))  # horizontal, defined even straight from above
    up = back.cross(right).normalized()
    return back.normalized(), right, up


def rotation_matrix(back: Vector, right: Vector, up: Vector) -> Matrix:
    """A camera looks down its local -Z with +Y up: columns right, up, back."""
    return Matrix((right, up, back)).transposed().to_4x4()


def frame_tangents(scene: Any, camera_data: Any) -> tuple[float, float]:
    """Frame width and height at unit distance (perspective) or in units (orthographic), shift 0."""
    shift = camera_data.shift_x, camera_data.shift_y
    camera_data.shift_x = camera_data.shift_y = 0.0
    corners = camera_data.view_frame(scene=scene)
    camera_data.shift_x, camera_data.shift_y = shift
    xs = [c.x for c in corners]
    ys = [c.y for c in corners]
    depth = 1.0 if camera_data.type == "ORTHO" else abs(corners[0].z)
    return (max(xs) - min(xs)) / depth, (max(ys) - min(ys)) / depth


def _extent(points: Points, axes: Points, distance: float, ortho: bool) -> tuple[Points, ...]:
    x, y, z = points @ axes[0], points @ axes[1], points @ axes[2]
    if ortho:
        return x, y
    depth = distance - z
    return x / depth, y / depth


def solve_distance(
    points: Points, center: Vector, axes: tuple[Vector, Vector, Vector], tangents: tuple[float, float]
) -> float:
    """The camera distance from ``center`` at which the screen box spans ``TARGET_SPAN``."""
    back, right, up = axes
    rel = points - np.array(center)
    basis = np.array([right, up, back], dtype=np.float64)
    closest = float((rel @ basis[2]).max())
    radius = float(np.linalg.norm(rel, axis=1).max()) or 1e-6
    tx, ty = tangents

    def span(distance: float) -> float:
        u, v = _extent(rel, basis, distance, ortho=False)
        return max(float(u.max() - u.min()) / tx, float(v.max() - v.min()) / ty)

    lo = closest + radius * 1e-3
    hi = max(lo * 2, radius * 2)
    while span(hi) > TARGET_SPAN:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if span(mid) > TARGET_SPAN:
            lo = mid
        else:
            hi = mid
    return hi


def new_camera(scene: Any, name: str = "AUTOMAT_camera") -> Any:
    data = bpy.data.cameras.new(name)
    data.lens = LENS_MM
    data.sensor_width = SENSOR_MM
    data.sensor_fit = "AUTO"
    obj = bpy.data.objects.new(name, data)
    scene.collection.objects.link(obj)
    scene.camera = obj
    return obj


def _bake_camera(camera: Any) -> None:
    """Freeze a template camera's evaluated placement: no constraint or animation moves it again."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    world = camera.evaluated_get(depsgraph).matrix_world.copy()
    for constraint in list(camera.constraints):
        camera.constraints.remove(constraint)
    camera.animation_data_clear()
    camera.matrix_world = world


def place_camera(scene: Any, camera: Any, points: Points, axes: tuple[Vector, Vector, Vector]) -> float:
    """Put ``camera`` on the line through the model's centre along ``axes`` and frame the model.

    Returns the camera distance from the model's centre.
    """
    back, right, up = axes
    data = camera.data
    width, height = scene.render.resolution_x, scene.render.resolution_y
    bounds = bounds_of(points)
    center = bounds.center
    radius = bounds.radius
    rel = points - np.array(center)
    basis = np.array([right, up, back], dtype=np.float64)
    tx, ty = frame_tangents(scene, data)
    ortho = data.type == "ORTHO"
    if ortho:
        x, y = rel @ basis[0], rel @ basis[1]
        scale = max(float(x.max() - x.min()) / tx, float(y.max() - y.min()) / ty) / TARGET_SPAN
        data.ortho_scale *= scale
        tx, ty = tx * scale, ty * scale
        distance = float((rel @ basis[2]).max()) + radius * 2
    else:
        distance = solve_distance(points, center, axes, (tx, ty))
    camera.matrix_world = Matrix.Translation(center + back * distance) @ rotation_matrix(back, right, up)

    # Centre the screen box with the lens shift. Blender measures the shift in frame widths when
    # the sensor fits horizontally, in frame heights when it fits vertically (AUTO: the larger).
    u, v = _extent(rel, basis, distance, ortho)
    cx = (float(u.max()) + float(u.min())) / 2 / tx  # offset of the box centre, in frame widths
    cy = (float(v.max()) + float(v.min())) / 2 / ty  # … and in frame heights
    frame_w = width * scene.render.pixel_aspect_x
    frame_h = height * scene.render.pixel_aspect_y
    fit = (
        data.sensor_fit if data.sensor_fit != "AUTO" else ("HORIZONTAL" if frame_w >= frame_h else "VERTICAL")
    )
    unit = frame_w if fit == "HORIZONTAL" else frame_h
    data.shift_x = cx * frame_w / unit
    data.shift_y = cy * frame_h / unit

    depths = distance - rel @ basis[2]
    near = float(depths.min())
    data.clip_start = max(near * 0.25, radius * 1e-4)
    data.clip_end = float(depths.max()) + radius * 40  # the studio floor reaches ~15 radii out
    bpy.context.view_layer.update()
    return distance


def setup_camera(scene: Any, points: Points, azimuth_deg: float, elevation_deg: float) -> Any:
    """A new camera for the built-in studio at the given angles, framing ``points``."""
    camera = new_camera(scene)
    place_camera(scene, camera, points, direction(azimuth_deg, elevation_deg))
    return camera


def reuse_camera(scene: Any, camera: Any, points: Points) -> Any:
    """A template's camera: keep its orientation and lens, slide it along its view axis to frame."""
    _bake_camera(camera)
    rotation = camera.matrix_world.to_3x3().normalized()
    back = rotation.col[2].normalized()
    right = rotation.col[0].normalized()
    up = back.cross(right).normalized()
    scene.camera = camera
    place_camera(scene, camera, points, (back, right, up))
    return camera


def measure_framing(scene: Any, camera: Any, points: Points) -> dict[str, float]:
    """Where ``points`` land on screen, as fractions of the frame (x right, y up, 0..1)."""
    matrix = np.array(camera.matrix_world.inverted(), dtype=np.float64)
    local = points @ matrix[:3, :3].T + matrix[:3, 3]
    depth = -local[:, 2]
    if camera.data.type == "ORTHO":
        u, v = local[:, 0], local[:, 1]
    else:
        u, v = local[:, 0] / depth, local[:, 1] / depth
    extremes = {int(np.argmin(u)), int(np.argmax(u)), int(np.argmin(v)), int(np.argmax(v))}
    projected = [world_to_camera_view(scene, camera, Vector(points[i].tolist())) for i in extremes]
    xs = [p.x for p in projected]
    ys = [p.y for p in projected]
    box = {"min_x": min(xs), "min_y": min(ys), "max_x": max(xs), "max_y": max(ys)}
    box = {k: round(float(val), 5) for k, val in box.items()}
    box["span"] = round(max(box["max_x"] - box["min_x"], box["max_y"] - box["min_y"]), 5)
    return box

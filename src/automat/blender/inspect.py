"""Template inspection inside the render host: open a tenant's ``.blend`` (its scripts never run)
and report what a render would find in it: cameras, the ``AUTOMAT_MODEL`` anchor, lights, the
Blender version it was saved with. The session is reset to an empty factory scene afterwards, so
the next job starts clean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bpy

from automat.blender.scene import ANCHOR_NAME, reset, template_camera


def _samples(sc: Any) -> int | None:
    """The file's render samples for its engine (Cycles or EEVEE), None for other engines."""
    if sc.render.engine == "CYCLES":
        return int(sc.cycles.samples)
    if sc.render.engine.startswith("BLENDER_EEVEE"):
        return int(sc.eevee.taa_render_samples)
    return None


def _report(source: Path) -> dict[str, Any]:
    sc = bpy.context.scene
    cameras = sorted(o.name for o in sc.objects if o.type == "CAMERA")
    camera = template_camera(sc)
    return {
        # bpy.data.version is the file's (major, minor, file subversion): "5.0" and 119.
        "blender_version": f"{bpy.data.version[0]}.{bpy.data.version[1]}",
        "file_subversion": bpy.data.version[2],
        "scene": sc.name,
        "scenes": len(bpy.data.scenes),
        "cameras": cameras,
        "active_camera": camera.name if camera is not None else None,
        "has_anchor": sc.objects.get(ANCHOR_NAME) is not None,
        "objects": len(sc.objects),
        "meshes": sum(1 for o in sc.objects if o.type == "MESH"),
        "lights": sorted(o.name for o in sc.objects if o.type == "LIGHT"),
        "world": sc.world.name if sc.world is not None else None,
        "render_engine": sc.render.engine,
        "resolution": [sc.render.resolution_x, sc.render.resolution_y],
        "samples": _samples(sc),
        "frame_range": [sc.frame_start, sc.frame_end],
        "missing_libraries": sorted(
            lib.filepath for lib in bpy.data.libraries if not Path(bpy.path.abspath(lib.filepath)).exists()
        ),
        "size_bytes": source.stat().st_size,
    }


def inspect_template(path: str) -> dict[str, Any]:
    """``{"status": "completed", ...report}`` or ``{"status": "failed", "error": ...}``."""
    source = Path(path)
    if not source.is_file():
        return {"status": "failed", "error": f"file not found: {source.name}"}
    try:
        bpy.ops.wm.open_mainfile(filepath=str(source), load_ui=False, use_scripts=False)
    except RuntimeError as exc:
        reset()
        lines = str(exc).strip().replace(str(source), source.name).splitlines()
        message = lines[0].removeprefix("Error: ").strip() if lines else ""
        return {"status": "failed", "error": message or "Blender could not open it"}
    try:
        return {"status": "completed", **_report(source)}
    finally:
        reset()

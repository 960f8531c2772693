"""Bring a GLB into the scene: import, orientation, smooth shading by angle, part names.

Orientation. glTF is Y-up; Blender's importer turns it Z-up (glTF ``(x, y, z)`` becomes Blender
``(x, -z, y)``). Our production GLBs come from OpenCASCADE through ``cascadio``, which writes the
STEP coordinates unchanged (no Z-up → Y-up conversion; a screw modelled along +Z stays along glTF
+Z). Imported as glTF, such a model would lie on its back, so for files whose ``asset.generator``
is OpenCASCADE the importer undoes the importer's turn (-90° about X): CAD +Z is Blender +Z again.
Any other GLB is taken to follow the glTF convention.

Shading. Imported with ``import_shading="SMOOTH"`` (no custom normals), then, per mesh, Blender
4.1+/5.0's replacement for the old auto smooth: ``Mesh.set_sharp_from_angle(angle)`` marks the
edges sharper than the angle and ``Mesh.shade_smooth()`` smooths the faces — what the operator
``object.shade_smooth_by_angle`` does, without needing an operator context.

Part names. A part is a glTF node name. Blender names an object after its node, but makes
duplicates unique (``Ball``, ``Ball.001``) and cuts names at 63 bytes; the importer keeps a map
from object name to the node name it came from.
"""

from __future__ import annotations

import json
import logging
import math
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bpy
from mathutils import Matrix

CAD_GENERATORS = ("open cascade",)
_DUPLICATE_SUFFIX = re.compile(r"\.\d{3,}$")
Z_UP_FIX = Matrix.Rotation(-math.pi / 2, 4, "X")


class ImportError_(RuntimeError):
    """The input model could not be read."""


@dataclass
class ImportedModel:
    meshes: list[Any]  # mesh objects, in a stable order
    objects: list[Any]  # every object the file created (meshes, empties)
    part_names: dict[str, str]  # object name -> glTF node name (the part)
    cad_z_up: bool = False
    generator: str | None = None
    node_names: list[str] = field(default_factory=list)

    @property
    def roots(self) -> list[Any]:
        mine = {o.name for o in self.objects}
        return [o for o in self.objects if o.parent is None or o.parent.name not in mine]


def _quiet_importer() -> None:
    """The glTF importer logs a line per node at INFO; keep its warnings and errors only."""
    logger = logging.getLogger("glTFImporter")
    if not any(getattr(f, "automat", False) for f in logger.filters):
        quiet = logging.Filter()
        quiet.filter = lambda record: record.levelno >= logging.WARNING  # type: ignore[method-assign]
        quiet.automat = True  # type: ignore[attr-defined]
        logger.addFilter(quiet)


def gltf_document(path: Path) -> dict[str, Any]:
    """The JSON part of a .glb (or a .gltf file)."""
    data = path.read_bytes()
    if data[:4] != b"glTF":
        doc: dict[str, Any] = json.loads(data)
        return doc
    if len(data) < 20:
        raise ImportError_(f"{path} is truncated")
    length, kind = struct.unpack_from("<II", data, 12)
    if kind != 0x4E4F534A:  # "JSON"
        raise ImportError_(f"{path}: the first GLB chunk is not JSON")
    doc = json.loads(data[20 : 20 + length])
    return doc


def part_name_of(object_name: str, node_names: set[str]) -> str:
    """The glTF node an object was named after (undoing ``.001`` suffixes and the 63-byte cut)."""
    if object_name in node_names:
        return object_name
    stripped = _DUPLICATE_SUFFIX.sub("", object_name)
    if stripped in node_names:
        return stripped
    longer = sorted(n for n in node_names if n.startswith(stripped))
    return longer[0] if longer else stripped


def smooth_by_angle(mesh: Any, angle_deg: float) -> None:
    if angle_deg <= 0:
        mesh.shade_flat()
        return
    mesh.set_sharp_from_angle(angle=math.radians(angle_deg))
    mesh.shade_smooth()


def import_glb(path: str | Path, *, smooth_angle_deg: float = 30.0) -> ImportedModel:
    """Import ``path`` into the active scene's root collection and describe what came in."""
    source = Path(path)
    if not source.is_file():
        # The name only: the message reaches users, the server's folders are not theirs to see.
        raise ImportError_(f"the converted model ({source.name}) is missing; reprocess the CAD file")
    try:
        doc = gltf_document(source)
    except (OSError, ValueError) as exc:
        raise ImportError_(f"{source.name} is not a readable glTF/GLB file: {exc}") from None
    generator = str(doc.get("asset", {}).get("generator") or "") or None
    node_names = [str(n.get("name", "")) for n in doc.get("nodes", []) if n.get("name")]

    view_layer = bpy.context.view_layer
    view_layer.active_layer_collection = view_layer.layer_collection  # not a template's hidden one
    before = set(bpy.data.objects)
    _quiet_importer()
    try:
        result = bpy.ops.import_scene.gltf(
            filepath=str(source), import_shading="SMOOTH", merge_vertices=False
        )
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        raise ImportError_(f"could not import {source}: {first[-1] if first else exc}") from None
    if "FINISHED" not in result:
        raise ImportError_(f"could not import {source}: the glTF importer returned {sorted(result)}")

    created = sorted((o for o in bpy.data.objects if o not in before), key=lambda o: o.name)
    meshes = [o for o in created if o.type == "MESH"]
    if not meshes:
        raise ImportError_(f"{source} contains no meshes")

    known = set(node_names)
    for obj in created:
        obj.hide_render = False
        obj.hide_set(False)
    done: set[str] = set()
    for obj in meshes:
        if obj.data.name not in done:  # shared meshes once
            smooth_by_angle(obj.data, smooth_angle_deg)
            done.add(obj.data.name)

    model = ImportedModel(
        meshes=meshes,
        objects=created,
        part_names={o.name: part_name_of(o.name, known) for o in meshes},
        cad_z_up=bool(generator and generator.lower().startswith(CAD_GENERATORS)),
        generator=generator,
        node_names=node_names,
    )
    if model.cad_z_up:
        transform(model, Z_UP_FIX)
    return model


def transform(model: ImportedModel, matrix: Matrix) -> None:
    """Apply a world-space transform to the whole model (through its root objects)."""
    for root in model.roots:
        root.matrix_world = matrix @ root.matrix_world
    bpy.context.view_layer.update()

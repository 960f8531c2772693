"""Measuring a converted GLB with trimesh: parts, bounding boxes, volume, area, triangles.

GLBs from cascadio are in metres; everything here is reported in millimetres. Part names are
the glTF node names (trimesh makes duplicates unique as ``Ball_3``; the original is kept).
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import trimesh

M_TO_MM = 1000.0
_SUFFIX = re.compile(r"^(.*)_(\d+)$")


@dataclass
class PartInfo:
    key: str  # unique within the file (trimesh node name)
    name: str  # the name the CAD system gave it
    path: str  # assembly path, "Bearing/Ball"
    color: list[float] | None
    bbox_mm: dict[str, list[float]]
    volume_mm3: float | None
    area_mm2: float
    triangles: int


@dataclass
class GeometryInfo:
    parts: list[PartInfo] = field(default_factory=list)
    bbox_mm: dict[str, list[float]] = field(default_factory=dict)
    triangles: int = 0

    @property
    def size_mm(self) -> list[float]:
        return self.bbox_mm.get("size", [0.0, 0.0, 0.0])


def _box(bounds: Any) -> dict[str, list[float]]:
    lo, hi = bounds[0] * M_TO_MM, bounds[1] * M_TO_MM
    return {"min": _r(lo), "max": _r(hi), "size": _r(hi - lo)}


def _r(values: Any) -> list[float]:
    return [round(float(v), 4) for v in values]


def gltf_json(path: Path) -> dict[str, Any]:
    """The JSON chunk of a GLB."""
    with path.open("rb") as fh:
        header = fh.read(20)
        length = struct.unpack("<I", header[12:16])[0]
        data: dict[str, Any] = json.loads(fh.read(length))
    return data


def _node_paths(doc: dict[str, Any]) -> dict[str, str]:
    """Original node name -> assembly path of its first occurrence."""
    nodes = doc.get("nodes", [])
    parents: dict[int, int] = {}
    for index, node in enumerate(nodes):
        for child in node.get("children", []):
            parents[child] = index
    paths: dict[str, str] = {}
    for index, node in enumerate(nodes):
        chain, cur = [], index
        while cur is not None:
            chain.append(nodes[cur].get("name") or f"node{cur}")
            cur = parents.get(cur)  # type: ignore[assignment]
        name = node.get("name") or f"node{index}"
        paths.setdefault(name, "/".join(reversed(chain)))
    return paths


def _color(mesh: trimesh.Trimesh) -> list[float] | None:
    material = getattr(mesh.visual, "material", None)
    factor = getattr(material, "baseColorFactor", None)
    if factor is None:
        return None
    values = np.asarray(factor, dtype=float)
    if values.max() > 1.0:
        values = values / 255.0
    return _r(values)


@dataclass(frozen=True)
class MeshNode:
    """A glTF node that carries a mesh: its name, its mesh's name, and its triangles."""

    name: str
    mesh_name: str
    triangles: int


_TRIANGLE_MODES = {4: lambda n: n // 3, 5: lambda n: max(n - 2, 0), 6: lambda n: max(n - 2, 0)}


def mesh_nodes(doc: dict[str, Any]) -> list[MeshNode]:
    """Every node with a mesh, read from the glTF JSON (trimesh drops meshes without triangles)."""
    accessors = doc.get("accessors", [])
    meshes = doc.get("meshes", [])

    def count(index: Any) -> int:
        if isinstance(index, int) and 0 <= index < len(accessors):
            return int(accessors[index].get("count", 0))
        return 0

    def triangles(mesh: dict[str, Any]) -> int:
        total = 0
        for primitive in mesh.get("primitives", []):
            per_mode = _TRIANGLE_MODES.get(int(primitive.get("mode", 4)))
            if per_mode is None:  # points or lines
                continue
            indices = primitive.get("indices")
            total += per_mode(
                count(indices)
                if indices is not None
                else count(primitive.get("attributes", {}).get("POSITION"))
            )
        return total

    out = []
    for index, node in enumerate(doc.get("nodes", [])):
        mesh_index = node.get("mesh")
        if not isinstance(mesh_index, int) or not 0 <= mesh_index < len(meshes):
            continue
        mesh = meshes[mesh_index]
        name = node.get("name") or mesh.get("name") or f"node{index}"
        out.append(MeshNode(name=name, mesh_name=mesh.get("name") or name, triangles=triangles(mesh)))
    return out


def analyze(path: Path) -> GeometryInfo:
    scene = trimesh.load(path, force="scene")
    assert isinstance(scene, trimesh.Scene)
    paths = _node_paths(gltf_json(path))
    info = GeometryInfo()
    for node in scene.graph.nodes_geometry:
        transform, geometry_name = scene.graph[node]
        mesh = scene.geometry[geometry_name]
        if not isinstance(mesh, trimesh.Trimesh) or len(mesh.faces) == 0:
            continue
        placed = mesh.copy()
        placed.apply_transform(transform)
        placed.merge_vertices()  # cascadio splits vertices per face; welding restores the solid
        name = node
        if name not in paths and (m := _SUFFIX.match(node)) and m.group(1) in paths:
            name = m.group(1)
        # Signed volume by the divergence theorem: exact for closed meshes and still right to a
        # fraction of a percent where the tessellation leaves pinholes at poles and seams.
        volume = float(abs(placed.volume)) * M_TO_MM**3 if len(placed.faces) >= 4 else None
        info.parts.append(
            PartInfo(
                key=node,
                name=name,
                path=paths.get(name, name),
                color=_color(mesh),
                bbox_mm=_box(placed.bounds),
                volume_mm3=round(volume, 3) if volume is not None else None,
                area_mm2=round(float(placed.area) * M_TO_MM**2, 3),
                triangles=len(placed.faces),
            )
        )
        info.triangles += len(placed.faces)
    if info.parts:
        info.bbox_mm = _box(np.asarray(scene.bounds))
    return info

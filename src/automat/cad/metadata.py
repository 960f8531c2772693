"""What ``extract_metadata`` records about a CAD file: header, units, size, counts, tree."""

from __future__ import annotations

from typing import Any

from automat.cad import geometry, step_file

MAX_TREE_NODES = 2000


def assembly_tree(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The glTF node hierarchy as nested ``{"name", "children"}``, capped for huge assemblies."""
    nodes = doc.get("nodes", [])
    scenes = doc.get("scenes") or [{"nodes": list(range(len(nodes)))}]
    roots = scenes[doc.get("scene", 0)].get("nodes", [])
    budget = [MAX_TREE_NODES]

    def build(index: int) -> dict[str, Any]:
        budget[0] -= 1
        node = nodes[index]
        children = [build(c) for c in node.get("children", []) if budget[0] > 0]
        return {"name": node.get("name") or f"node{index}", "mesh": "mesh" in node, "children": children}

    return [build(r) for r in roots if budget[0] > 0]


def build_metadata(data: bytes, info: geometry.GeometryInfo, gltf: dict[str, Any]) -> dict[str, Any]:
    header = step_file.read_header(data)
    unit = step_file.length_unit(data)
    return {
        "header": header.as_dict(),
        "schema": header.schema,
        "application_protocol": header.application_protocol,
        "originating_system": header.originating_system,
        "file_name": header.file_name,
        "file_date": header.file_date,
        # A byte-order mark before ISO-10303-21; (removed for the conversion; see conversion.py).
        "utf8_bom": data.startswith(step_file.BOM),
        "units": {"length": unit.name if unit else "unknown", "mm_per_unit": unit.mm if unit else None},
        "bbox_mm": info.bbox_mm,
        "size_mm": info.size_mm,
        "counts": {
            "parts": len(info.parts),
            "solids": step_file.count_entities(data, "MANIFOLD_SOLID_BREP")
            + step_file.count_entities(data, "BREP_WITH_VOIDS"),
            "faces": step_file.count_entities(data, "ADVANCED_FACE"),
            "triangles": info.triangles,
        },
        "products": step_file.product_names(data)[:500],
        "tree": assembly_tree(gltf),
    }

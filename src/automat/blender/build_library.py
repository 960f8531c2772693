"""Build the material library ``.blend``: one Principled BSDF material per built-in material.

Run inside a bpy process: ``python -m automat.blender.build_library OUT.blend``. The result is
the file the render host appends ``SCHAEFFLER_*`` materials from; ``automat.materials.blend_library``
decides when to (re)build it. Written against the Blender 5 API: a new material comes with its
shader node tree (``Material.use_nodes`` is deprecated), the Principled BSDF inputs use the 4.x+
names (``Coat Weight``, ``Transmission Weight``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import bpy

from automat.materials.library import BUILTIN_MATERIALS, MaterialDef

# MaterialDef.params key -> Principled BSDF input (Blender 4.0+ names).
PARAM_INPUTS = {
    "clearcoat": "Coat Weight",
    "clearcoat_roughness": "Coat Roughness",
    "transmission": "Transmission Weight",
    "ior": "IOR",
}
PRINCIPLED = "ShaderNodeBsdfPrincipled"
OUTPUT = "ShaderNodeOutputMaterial"


class LibraryError(RuntimeError):
    pass


def _node_tree(material: Any) -> Any:
    """The material's shader tree: Blender 5 creates it with the material; older ones on request."""
    if material.node_tree is None:  # Blender < 5
        material.use_nodes = True
    return material.node_tree


def principled_node(material: Any) -> Any:
    """The Principled BSDF that feeds the material output, created and linked if missing."""
    tree = _node_tree(material)
    node = next((n for n in tree.nodes if n.bl_idname == PRINCIPLED), None)
    output = next((n for n in tree.nodes if n.bl_idname == OUTPUT), None)
    if node is None:
        node = tree.nodes.new(PRINCIPLED)
    if output is None:
        output = tree.nodes.new(OUTPUT)
        output.location = (node.location.x + 300, node.location.y)
    if not output.inputs["Surface"].is_linked:
        tree.links.new(node.outputs["BSDF"], output.inputs["Surface"])
    return node


def _set(node: Any, name: str, value: Any) -> None:
    socket = node.inputs.get(name)
    if socket is None:
        raise LibraryError(f"Principled BSDF has no input {name!r} in Blender {bpy.app.version_string}")
    socket.default_value = value


def build_material(defn: MaterialDef) -> Any:
    """Create (or refresh) the material ``defn.name`` with its parameters and a fake user."""
    material = bpy.data.materials.get(defn.name) or bpy.data.materials.new(defn.name)
    if material.name != defn.name:
        raise LibraryError(f"Blender renamed {defn.name!r} to {material.name!r}")
    node = principled_node(material)
    _set(node, "Base Color", tuple(defn.base_color))
    _set(node, "Metallic", defn.metallic)
    _set(node, "Roughness", defn.roughness)
    for key, value in defn.params.items():
        if key not in PARAM_INPUTS:
            raise LibraryError(f"{defn.name}: unknown parameter {key!r}")
        _set(node, PARAM_INPUTS[key], value)
    # Solid-mode viewport and thumbnails of the library file.
    material.diffuse_color = tuple(defn.base_color)
    material.metallic = defn.metallic
    material.roughness = defn.roughness
    material["automat_description"] = defn.description
    material.use_fake_user = True  # nothing uses the library's materials: keep them when saving
    return material


def build(out: Path) -> list[str]:
    """Build every built-in material into an empty file and save it as ``out``."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    for material in list(bpy.data.materials):
        bpy.data.materials.remove(material)
    names = [build_material(defn).name for defn in BUILTIN_MATERIALS]
    out.parent.mkdir(parents=True, exist_ok=True)
    result = bpy.ops.wm.save_as_mainfile(filepath=str(out), check_existing=False, compress=True)
    if "FINISHED" not in result or not out.is_file():
        raise LibraryError(f"saving {out} failed: {result}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m automat.blender.build_library")
    parser.add_argument("out", type=Path, help="the .blend file to write")
    args = parser.parse_args(argv)
    try:
        names = build(args.out.resolve())
    except LibraryError as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 1
    print(json.dumps({"output": str(args.out), "materials": names, "blender": bpy.app.version_string}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

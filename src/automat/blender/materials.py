"""Materials: append them from the library ``.blend`` and apply the resolved map per part.

The platform resolves part names to material names (``automat.materials.resolve``); this module
only applies that answer. A part without an entry, or whose material the library does not have,
gets the fallback material (magenta) and a ``[MATERIAL]`` line in the host log. Without a library
file the materials are built in place from ``automat.materials.library`` (the same definitions and
parameters the library ``.blend`` is built from).

A material already in the scene under its exact name (a Mode A template may carry its own
``SCHAEFFLER_*`` look) is used as it is; only missing ones are appended.

A ``CAD_COLOUR_<hex>`` name (a part no alias matched, for a tenant that renders such parts in
their CAD colour) is built in place as a plain material of that colour, library or not, and
logged ``[MATERIAL] part 'X' → 'CAD_COLOUR_FF0000' (no match, CAD colour)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bpy

from automat.blender.build_library import build_material
from automat.materials.library import BUILTIN_BY_NAME, FALLBACK_MATERIAL, MaterialDef, cad_colour_def

_MISSING_FALLBACK_COLOR = (1.0, 0.0, 1.0, 1.0)


@dataclass
class Applied:
    by_object: dict[str, str] = field(default_factory=dict)  # object name -> material name
    fallback_parts: list[str] = field(default_factory=list)  # parts with no entry in the map
    missing: dict[str, str] = field(default_factory=dict)  # part -> material the library lacks
    cad_colour_parts: list[str] = field(default_factory=list)  # parts in a plain CAD-colour material
    by_part: dict[str, str] = field(default_factory=dict)  # part -> material (its first object's)

    def counts(self, fallback: str) -> dict[str, int]:
        """Parts by what they render in: ``material`` (a library or template material),
        ``cad_colour`` or ``fallback`` (the platform resolved them to it, or the map had nothing
        the library has)."""
        counts = {"material": 0, "cad_colour": 0, "fallback": 0}
        for part, name in self.by_part.items():
            if part in self.cad_colour_parts:
                counts["cad_colour"] += 1
            elif name == fallback or part in self.fallback_parts or part in self.missing:
                counts["fallback"] += 1
            else:
                counts["material"] += 1
        return counts


def _append(library: Path, names: Iterable[str]) -> dict[str, Any]:
    """Append ``names`` from ``library`` (those it has); name -> Material."""
    wanted = sorted(set(names))
    with bpy.data.libraries.load(str(library), link=False) as (data_from, data_to):
        available = set(data_from.materials)
        data_to.materials = [n for n in wanted if n in available]
    found: dict[str, Any] = {}
    for material in data_to.materials:
        if material is None:
            continue
        # An appended material keeps its name unless one by that name already existed.
        found[material.name] = material
    return found


def _build(name: str) -> Any | None:
    defn = BUILTIN_BY_NAME.get(name)
    if defn is None:
        if name != FALLBACK_MATERIAL and not name.endswith("FailedMaterial"):
            return None
        defn = MaterialDef(name, "fallback", _MISSING_FALLBACK_COLOR, 0.0, 0.5)
    return build_material(defn)


def ensure_materials(names: Iterable[str], library: str | None) -> dict[str, Any]:
    """The materials called ``names`` that exist, appended or built as needed."""
    wanted = set(names)
    found = {n: bpy.data.materials[n] for n in wanted if n in bpy.data.materials}
    missing = wanted - set(found)
    if missing and library is not None:
        path = Path(library)
        if not path.is_file():
            raise FileNotFoundError(f"material library not found: {path}")
        found.update({k: v for k, v in _append(path, missing).items() if k in missing})
    elif missing:
        for name in sorted(missing):
            material = _build(name)
            if material is not None:
                found[name] = material
    for name in sorted(wanted - set(found)):
        plain = cad_colour_def(name)
        if plain is not None:
            found[name] = build_material(plain)
    return found


def _fallback(name: str, library: str | None) -> Any:
    """The fallback material, from the library if it has it, else built from the definitions."""
    found = ensure_materials([name], library)
    if name in found:
        return found[name]
    material = _build(name)
    if material is None:  # a tenant fallback the library lacks: still magenta, by design
        material = build_material(MaterialDef(name, "fallback", _MISSING_FALLBACK_COLOR, 0.0, 0.5))
    return material


def _assign(obj: Any, material: Any, claimed: dict[str, str]) -> None:
    mesh = obj.data
    if mesh.users > 1 and claimed.get(mesh.name, material.name) != material.name:
        obj.data = mesh = mesh.copy()  # a shared mesh whose users want different materials
    claimed[mesh.name] = material.name
    for slot in obj.material_slots:
        slot.link = "DATA"  # the material lives on the mesh (what the glTF exporter writes)
    if not mesh.materials:
        mesh.materials.append(material)
    for index in range(len(mesh.materials)):  # every slot: a multi-primitive node is one part
        mesh.materials[index] = material


def apply_materials(
    meshes: list[Any],
    part_names: dict[str, str],
    material_map: dict[str, str],
    *,
    fallback: str,
    library: str | None,
    log: Callable[[str], None] = print,
) -> Applied:
    """Give every mesh object the material of its part (or the fallback); log the fallbacks."""
    wanted: dict[str, str | None] = {}
    for obj in meshes:
        part = part_names.get(obj.name, obj.name)
        wanted[obj.name] = material_map.get(part, material_map.get(obj.name))
    materials = ensure_materials({m for m in wanted.values() if m}, library)
    applied = Applied()
    fallback_material: Any = None
    claimed: dict[str, str] = {}
    logged: set[str] = set()
    for obj in meshes:
        part = part_names.get(obj.name, obj.name)
        name = wanted[obj.name]
        material = materials.get(name) if name else None
        if material is not None and part not in logged and cad_colour_def(material.name) is not None:
            logged.add(part)
            applied.cad_colour_parts.append(part)
            log(f"[MATERIAL] part '{part}' → '{material.name}' (no match, CAD colour)")
        if material is None:
            if fallback_material is None:
                fallback_material = _fallback(fallback, library)
            material = fallback_material
            if part not in logged:
                logged.add(part)
                if name is None:
                    applied.fallback_parts.append(part)
                    log(f"[MATERIAL] part '{part}' → '{fallback_material.name}' (no match)")
                else:
                    applied.missing[part] = name
                    log(
                        f"[MATERIAL] part '{part}' → '{fallback_material.name}' "
                        f"('{name}' is not in the library)"
                    )
        _assign(obj, material, claimed)
        applied.by_object[obj.name] = material.name
        applied.by_part.setdefault(part, material.name)
    return applied

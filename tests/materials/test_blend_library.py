"""The material library .blend: built by real Blender (bpy) in a subprocess, read back by another."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from automat.materials.blend_library import LibraryBuildError, ensure_library, library_hash
from automat.materials.library import BUILTIN_MATERIALS, FALLBACK_MATERIAL

READ_BACK = """
import json, sys
import bpy

bpy.ops.wm.open_mainfile(filepath=sys.argv[1])
out = {}
for m in bpy.data.materials:
    tree = m.node_tree
    node = next(n for n in tree.nodes if n.bl_idname == "ShaderNodeBsdfPrincipled")
    output = next(n for n in tree.nodes if n.bl_idname == "ShaderNodeOutputMaterial")
    link = output.inputs["Surface"].links[0]
    out[m.name] = {
        "base_color": list(node.inputs["Base Color"].default_value),
        "metallic": node.inputs["Metallic"].default_value,
        "roughness": node.inputs["Roughness"].default_value,
        "clearcoat": node.inputs["Coat Weight"].default_value,
        "clearcoat_roughness": node.inputs["Coat Roughness"].default_value,
        "transmission": node.inputs["Transmission Weight"].default_value,
        "ior": node.inputs["IOR"].default_value,
        "fake_user": m.use_fake_user,
        "surface_from_principled": link.from_node == node,
    }
print("RESULT " + json.dumps(out))
"""


def read_back(path: Path) -> dict[str, dict[str, object]]:
    proc = subprocess.run(
        [sys.executable, "-c", READ_BACK, str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    return dict(json.loads(line.removeprefix("RESULT ")))


def test_ensure_library_builds_every_builtin_material(tmp_path: Path) -> None:
    directory = tmp_path / "library"
    path = ensure_library(directory)
    assert path == directory / f"material-library-{library_hash()}.blend"
    assert path.is_file()
    assert sorted(p.name for p in directory.iterdir()) == sorted([path.name, ".material-library-lock"])

    materials = read_back(path)
    assert set(materials) == {m.name for m in BUILTIN_MATERIALS}
    for defn in BUILTIN_MATERIALS:
        got = materials[defn.name]
        assert got["base_color"] == pytest.approx(list(defn.base_color), abs=1e-6), defn.name
        assert got["metallic"] == pytest.approx(defn.metallic, abs=1e-6)
        assert got["roughness"] == pytest.approx(defn.roughness, abs=1e-6)
        for key, value in defn.params.items():
            assert got[key] == pytest.approx(value, abs=1e-6), (defn.name, key)
        assert got["fake_user"] is True
        assert got["surface_from_principled"] is True
    assert materials[FALLBACK_MATERIAL]["base_color"] == [1.0, 0.0, 1.0, 1.0]  # magenta
    glass = materials["SCHAEFFLER_080801_Glass"]
    assert (glass["transmission"], glass["ior"]) == pytest.approx((1.0, 1.5))

    # A second call finds the file and does not rebuild it.
    before = path.stat().st_mtime_ns
    assert ensure_library(directory) == path
    assert path.stat().st_mtime_ns == before


def test_a_failed_build_raises_and_leaves_nothing_behind(tmp_path: Path) -> None:
    directory = tmp_path / "library"
    with pytest.raises(LibraryBuildError, match="timed out"):
        ensure_library(directory, timeout_s=0.01)
    assert [p.name for p in directory.iterdir()] == [".material-library-lock"]


def test_the_file_name_follows_the_definitions() -> None:
    assert library_hash() == library_hash()
    assert len(library_hash()) == 16

"""Render tests through the real render host: GLBs made once per session, one host per module.

The STEP fixtures are converted with the platform's own ``convert_step``; the two extremes of the
framing rule (a 3 mm ball, a 2 m housing) are made with trimesh. Renders stay small (64-128 px,
a few samples, no denoising) and always use Cycles: EEVEE is far too slow on this machine.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import trimesh
from PIL import Image

from automat.cad.conversion import convert_step
from automat.cad.sandbox import SandboxLimits
from automat.materials.blend_library import ensure_library
from automat.materials.library import BUILTIN_BY_NAME, DEFAULT_ALIASES, FALLBACK_MATERIAL
from automat.materials.resolve import resolve_material_map
from automat.rendering.host_client import RenderHost
from automat.rendering.spec import OutputKind, RenderJobResult, RenderJobSpec
from tests.cad.conftest import BEARING, fixture

SHAFT = "shaft_motor_antigravity_4004.STEP"
SCREW = "screw_m6x12_countersunk.step"


@dataclass(frozen=True)
class Model:
    glb: Path
    parts: list[str]  # glTF node names of the meshes: the part names the platform resolves

    def material_map(self) -> dict[str, str]:
        """What the platform sends: the default aliases resolved against the built-in library."""
        resolved = resolve_material_map(
            self.parts, DEFAULT_ALIASES, fallback=FALLBACK_MATERIAL, known=BUILTIN_BY_NAME
        )
        return {part: r.material for part, r in resolved.items()}


def mesh_node_names(glb: Path) -> list[str]:
    import json
    import struct

    data = glb.read_bytes()
    length = struct.unpack_from("<I", data, 12)[0]
    doc = json.loads(data[20 : 20 + length])
    return list(dict.fromkeys(n["name"] for n in doc["nodes"] if "mesh" in n and n.get("name")))


def _converted(name: str, tmp_path_factory: pytest.TempPathFactory) -> Model:
    out = convert_step(
        fixture(name),
        tmp_path_factory.mktemp(Path(name).stem.lower()[:20]),
        viewer_base_mm=0.1,
        production_base_mm=0.01,
        limits=SandboxLimits(timeout_s=120),
    )
    return Model(out.production, mesh_node_names(out.production))


@pytest.fixture(scope="session")
def bearing(tmp_path_factory: pytest.TempPathFactory) -> Model:
    return _converted(BEARING, tmp_path_factory)


@pytest.fixture(scope="session")
def shaft(tmp_path_factory: pytest.TempPathFactory) -> Model:
    return _converted(SHAFT, tmp_path_factory)


@pytest.fixture(scope="session")
def screw(tmp_path_factory: pytest.TempPathFactory) -> Model:
    return _converted(SCREW, tmp_path_factory)


def _trimesh_glb(path: Path, name: str, mesh: trimesh.Trimesh) -> Model:
    scene = trimesh.Scene()
    scene.add_geometry(mesh, node_name=name, geom_name=name)
    path.write_bytes(scene.export(file_type="glb"))
    return Model(path, [name])


@pytest.fixture(scope="session")
def tiny_ball(tmp_path_factory: pytest.TempPathFactory) -> Model:
    """A 3 mm ball (metres, like every production GLB)."""
    mesh = trimesh.creation.icosphere(subdivisions=3, radius=0.0015)
    return _trimesh_glb(tmp_path_factory.mktemp("tiny") / "ball_3mm.glb", "Ball", mesh)


@pytest.fixture(scope="session")
def huge_housing(tmp_path_factory: pytest.TempPathFactory) -> Model:
    """A 2 m housing: a box of 2.0 by 1.2 by 0.9 m."""
    mesh = trimesh.creation.box(extents=(2.0, 1.2, 0.9))
    return _trimesh_glb(tmp_path_factory.mktemp("huge") / "housing_2m.glb", "Gear_Housing", mesh)


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_library(tmp_path_factory.mktemp("library"))


@pytest.fixture(scope="module")
def host_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("host") / "host.log"


@pytest.fixture(scope="module")
def host(host_log: Path) -> Iterator[RenderHost]:
    with RenderHost(grace_s=3.0, log_path=host_log) as running:
        yield running


def job(model: Model, out: Path, **overrides: Any) -> RenderJobSpec:
    """A small Cycles job on the CPU (no probe warning) unless the test says otherwise."""
    values: dict[str, Any] = {
        "job_id": out.stem.replace(".", "_"),
        "kind": OutputKind.THUMBNAIL,
        "input_glb": str(model.glb),
        "output_path": str(out),
        "width": 96,
        "height": 96,
        "samples": 4,
        "cycles_device": "cpu",
        "material_map": model.material_map(),
    }
    values.update(overrides)
    return RenderJobSpec(**values)


def completed(result: RenderJobResult) -> RenderJobResult:
    assert result.status == "completed", result.error
    return result


def rgba(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        assert image.mode == "RGBA", image.mode
        return np.asarray(image.convert("RGBA")).astype(np.int32)


def magenta_mask(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(opaque pixels, magenta opaque pixels): magenta is r > 200, g < 60, b > 200."""
    opaque = pixels[..., 3] >= 250
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return opaque, opaque & (r > 200) & (g < 60) & (b > 200)


def alpha_box(pixels: np.ndarray, threshold: int = 250) -> tuple[float, float, float, float]:
    """The box of the opaque pixels as frame fractions (x right, y up), like ``Framing``.

    The shadow catcher's shadows are semi-transparent; the object itself is opaque.
    """
    height, width = pixels.shape[:2]
    rows, cols = np.nonzero(pixels[..., 3] >= threshold)
    assert rows.size, "no opaque pixel"
    return (
        cols.min() / width,
        1 - (rows.max() + 1) / height,
        (cols.max() + 1) / width,
        1 - rows.min() / height,
    )


def run_bpy(script: str, *args: str, timeout: float = 120) -> str:
    """Run a small bpy script in a fresh interpreter (what an artist's Blender would do)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout

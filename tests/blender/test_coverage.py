"""A render whose model covers (almost) nothing of the frame fails with what to check.

The models: the FreeCAD bearing with one ball moved 20 m away (the framing fits both, so the
bearing shrinks to a dot), and a GLB whose mesh has points but no faces (nothing to see at all).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
import trimesh

from automat.rendering.host_client import RenderHost, coverage_mask_path, frames_dir, poster_path
from automat.rendering.spec import OutputKind
from tests.blender.conftest import Model, completed, job, rgba


def moved_node(glb: Path, out: Path, node_name: str, offset_m: tuple[float, float, float]) -> Path:
    """A copy of ``glb`` whose last node called ``node_name`` is moved by ``offset_m`` (metres)."""
    data = glb.read_bytes()
    length = struct.unpack_from("<I", data, 12)[0]
    doc = json.loads(data[20 : 20 + length])
    node = [n for n in doc["nodes"] if n.get("name") == node_name][-1]
    assert "matrix" not in node  # cascadio bakes placements into the vertices
    node["translation"] = [a + b for a, b in zip(node.get("translation", [0, 0, 0]), offset_m, strict=True)]
    chunk = json.dumps(doc, separators=(",", ":")).encode()
    chunk += b" " * (-len(chunk) % 4)
    rest = data[20 + length :]
    header = struct.pack("<III", 0x46546C67, 2, 20 + len(chunk) + len(rest))
    out.write_bytes(header + struct.pack("<II", len(chunk), 0x4E4F534A) + chunk + rest)
    return out


@pytest.fixture(scope="module")
def far_ball(bearing: Model, tmp_path_factory: pytest.TempPathFactory) -> Model:
    out = tmp_path_factory.mktemp("far") / "bearing_far_ball.glb"
    return Model(moved_node(bearing.glb, out, "Ball", (20.0, 0.0, 0.0)), bearing.parts)


@pytest.fixture(scope="module")
def points_only(tmp_path_factory: pytest.TempPathFactory) -> Model:
    """A mesh of 500 vertices and no faces (a point cloud), 40 mm across."""
    points = np.random.default_rng(7).uniform(-0.02, 0.02, size=(500, 3))
    path = tmp_path_factory.mktemp("points") / "points.glb"
    scene = trimesh.Scene()
    scene.add_geometry(trimesh.PointCloud(points), node_name="Cloud", geom_name="Cloud")
    path.write_bytes(scene.export(file_type="glb"))
    return Model(path, ["Cloud"])


def assert_nothing_left(out: Path) -> None:
    assert not out.exists()
    assert not list(out.parent.glob("_coverage_*")), "the mask render was left behind"


def test_a_part_far_away_fails_the_thumbnail_and_names_it(
    host: RenderHost, far_ball: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "far.png"
    result = host.run(job(far_ball, out, library_blend=str(library)))

    assert result.status == "failed"
    assert result.error is not None
    assert "would show almost nothing" in result.error
    assert "less than the 0.5% a render needs" in result.error
    assert "Part 'Ball' lies 20.0 m away from the rest of the model" in result.error
    assert result.coverage is not None and result.coverage < 0.0005
    assert "render" not in result.timings  # failed before the real render
    assert_nothing_left(out)


def test_a_part_far_away_fails_a_turntable_before_its_first_frame(
    host: RenderHost, far_ball: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "far.mp4"
    spec = job(
        far_ball, out, kind=OutputKind.TURNTABLE, width=64, height=64, samples=1, frames=6,
        library_blend=str(library),
    )  # fmt: skip
    result = host.run(spec)

    assert result.status == "failed"
    assert result.error is not None and result.error.startswith("The first frame of the turntable")
    assert "render" not in result.timings and "encode" not in result.timings
    assert not poster_path(spec).exists() and not frames_dir(spec).exists()
    assert_nothing_left(out)


def test_opaque_jpeg_stills_are_measured_too(
    host: RenderHost, bearing: Model, far_ball: Model, library: Path, tmp_path: Path
) -> None:
    """A JPEG has no alpha to count: the far ball still fails it; the bearing itself renders."""
    failed = host.run(job(far_ball, tmp_path / "far.jpg", kind=OutputKind.STILL, library_blend=str(library)))
    assert failed.status == "failed" and failed.error and "20.0 m" in failed.error

    fine = completed(
        host.run(job(bearing, tmp_path / "b.jpg", kind=OutputKind.STILL, library_blend=str(library)))
    )
    assert fine.coverage is not None and 0.15 < fine.coverage < 0.6


def test_coverage_counts_the_model_not_its_shadow(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    """The transparent thumbnail's opaque pixels are the model; its shadow on the floor is
    semi-transparent. The measured coverage matches the model, not model and shadow."""
    out = tmp_path / "b.png"
    result = completed(host.run(job(bearing, out, library_blend=str(library), samples=16)))
    alpha = rgba(out)[..., 3]
    model = float((alpha >= 250).mean())
    shadow = float(((alpha > 0) & (alpha < 250)).mean())
    assert shadow > 0.02  # there is a shadow that a plain alpha count would add
    assert result.coverage is not None
    assert abs(result.coverage - model) < 0.03, (result.coverage, model, shadow)


def test_a_model_without_faces_fails_as_having_no_visible_geometry(
    host: RenderHost, points_only: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "points.png"
    result = host.run(job(points_only, out, library_blend=str(library)))

    assert result.status == "failed"
    assert result.error is not None
    assert "covers 0.00% of the frame" in result.error
    assert "no visible geometry" in result.error
    assert_nothing_left(out)


def test_the_check_can_be_turned_off(
    host: RenderHost, far_ball: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "far_anyway.png"
    result = completed(host.run(job(far_ball, out, library_blend=str(library), min_coverage=0.0)))
    assert result.coverage is None and "coverage" not in result.timings
    assert (rgba(out)[..., 3] >= 250).mean() < 0.005  # what the check keeps from being delivered
    assert not coverage_mask_path(job(far_ball, out)).exists()

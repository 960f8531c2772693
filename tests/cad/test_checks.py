"""Ready with warnings: real OpenCASCADE conversions of broken files made from the fixtures, checked.

OpenCASCADE converts each of these without an error; the checks say what is wrong."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import trimesh

from automat.cad import checks, geometry
from automat.cad.conversion import ConversionOutput, convert_step
from automat.cad.sandbox import Sandbox, SandboxLimits
from tests.cad import broken_steps
from tests.cad.conftest import VALID, fixture

LIMITS = SandboxLimits(timeout_s=120, memory_mb=4096)


def convert(
    sandbox: Sandbox, tmp_path: Path, data: bytes
) -> tuple[ConversionOutput, list[checks.CadWarning]]:
    step = tmp_path / "in.step"
    step.write_bytes(data)
    out = convert_step(
        step, tmp_path / "out", viewer_base_mm=0.1, production_base_mm=0.05, limits=LIMITS, sandbox=sandbox
    )
    info = geometry.analyze(out.production)
    return out, [*out.notes, *checks.inspect(data, info, geometry.gltf_json(out.production))]


def by_code(warnings: list[checks.CadWarning]) -> dict[str, checks.CadWarning]:
    return {w.code: w for w in warnings}


@pytest.mark.parametrize("name", VALID)
def test_the_valid_fixtures_convert_without_a_warning(sandbox: Sandbox, tmp_path: Path, name: str) -> None:
    _, warnings = convert(sandbox, tmp_path, fixture(name).read_bytes())
    assert warnings == []


def test_a_lost_apostrophe_costs_the_outer_ring_and_says_so(sandbox: Sandbox, tmp_path: Path) -> None:
    out, warnings = convert(sandbox, tmp_path, broken_steps.lost_outer_ring())
    parts = [p.name for p in geometry.analyze(out.production).parts]
    assert "Outer_Ring" not in parts and len(parts) == 15  # OpenCASCADE's "success"
    found = by_code(warnings)
    assert set(found) == {"malformed_records", "products_without_geometry"}
    assert all(w.severity == "warning" for w in warnings)
    malformed = found["malformed_records"]
    assert "line 641, #520 MANIFOLD_SOLID_BREP" in malformed.message
    assert "apostrophe" in malformed.message
    assert malformed.details["count"] == 1
    missing = found["products_without_geometry"]
    assert missing.details["names"] == ["Outer_Ring"]
    assert "Outer_Ring" in missing.message


def test_a_ball_placed_20_m_away_is_far_outside_the_bearing(sandbox: Sandbox, tmp_path: Path) -> None:
    out, warnings = convert(sandbox, tmp_path, broken_steps.moved_ball())
    assert sorted(geometry.analyze(out.production).size_mm)[-1] > 20_000  # the model now spans 20 m
    (far,) = warnings
    assert far.code == "parts_far_outside"
    ((part,),) = [far.details["parts"]]
    assert part["name"] == "Ball"
    assert part["distance_mm"] == pytest.approx(20_000 - 37 / 2 - 2.54, abs=50)
    assert far.details["model_size_mm"] == pytest.approx(float(np.linalg.norm([9, 37, 37])), rel=0.02)
    assert "20.0 m away" in far.message and "Ball" in far.message


def test_a_byte_order_mark_is_removed_and_noted_not_refused(sandbox: Sandbox, tmp_path: Path) -> None:
    out, warnings = convert(sandbox, tmp_path, broken_steps.with_bom())
    assert sorted(geometry.analyze(out.production).size_mm) == pytest.approx([9.0, 37.0, 37.0], rel=0.01)
    assert [(w.code, w.severity) for w in warnings] == [("utf8_bom_stripped", "info")]


def test_a_part_without_triangles_is_named(tmp_path: Path) -> None:
    """cascadio leaves a solid it cannot mesh out of the GLB; a GLB with a points-only part shows it."""
    scene = trimesh.Scene()
    scene.add_geometry(trimesh.creation.box(extents=(0.01, 0.01, 0.01)), node_name="Body", geom_name="Body")
    marker = trimesh.PointCloud(np.array([[0.0, 0.0, 0.0], [0.01, 0.0, 0.0], [0.0, 0.01, 0.0]]))
    scene.add_geometry(marker, node_name="Marker", geom_name="Marker")
    glb = tmp_path / "points.glb"
    glb.write_bytes(scene.export(file_type="glb"))
    info, nodes = geometry.analyze(glb), geometry.mesh_nodes(geometry.gltf_json(glb))
    assert [p.name for p in info.parts] == ["Body"]
    (empty,) = checks.model_warnings(Counter({"Body": 1, "Marker": 1}), info, nodes)
    assert empty.code == "parts_without_triangles"
    assert empty.details["names"] == ["Marker"]

"""Real OpenCASCADE conversions in the sandbox, on the shared fixture files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import trimesh

from automat.cad.conversion import convert_step, precheck, scaled_deflection
from automat.cad.sandbox import ConversionError, Sandbox, SandboxLimits
from tests.cad.conftest import BEARING, BROKEN, VALID, fixture, validate_gltf

LIMITS = SandboxLimits(timeout_s=120, memory_mb=4096)


@pytest.fixture(scope="module")
def converted(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every valid fixture through the platform's conversion path, once for this module."""
    out: dict[str, object] = {}
    for name in VALID:
        out[name] = convert_step(
            fixture(name),
            tmp_path_factory.mktemp(Path(name).stem),
            viewer_base_mm=0.1,
            production_base_mm=0.01,
            limits=LIMITS,
            sandbox=sandbox,
        )
    return out


def test_every_valid_fixture_converts_to_glbs_the_khronos_validator_accepts(
    converted: dict[str, object],
) -> None:
    paths = [p for out in converted.values() for p in (out.viewer, out.production)]  # type: ignore[attr-defined]
    reports = validate_gltf(*paths)
    assert [(r["file"], r["errors"]) for r in reports if r["errors"]] == []


def _size(path: Path) -> list[float]:
    bounds = trimesh.load(path, force="scene").bounds
    return sorted(float(v) * 1000 for v in bounds[1] - bounds[0])


def test_freecad_bearing_is_37_by_37_by_9_mm(converted: dict[str, object]) -> None:
    size = _size(converted[BEARING].production)  # type: ignore[attr-defined]
    assert size == pytest.approx([9.0, 37.0, 37.0], rel=0.01)


@pytest.mark.parametrize(
    ("name", "inches"),
    [("featuretype.STEP", [1.375, 2.5, 5.0]), ("base_interface_AP214.STEP", [0.1875, 23.598, 25.141])],
)
def test_inch_files_come_out_in_millimetres(
    converted: dict[str, object], name: str, inches: list[float]
) -> None:
    assert _size(converted[name].production) == pytest.approx([i * 25.4 for i in inches], rel=0.002)  # type: ignore[attr-defined]


def test_viewer_glb_is_lighter_than_production(converted: dict[str, object]) -> None:
    out = converted[BEARING]
    assert out.viewer.stat().st_size < out.production.stat().st_size  # type: ignore[attr-defined]
    assert out.viewer_tol_mm > out.production_tol_mm  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("diagonal", "expected"),
    [(50.0, 0.1), (100.0, 0.2), (3.0, 0.01), (3000.0, 2.0)],
)
def test_viewer_deflection_scales_with_size_between_floor_and_ceiling(
    diagonal: float, expected: float
) -> None:
    assert scaled_deflection(0.1, diagonal, (0.01, 2.0)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("madehere_empty.step", "empty_file"),
        ("madehere_png_renamed.step", "not_step"),
        ("madehere_truncated.step", "truncated_step"),
    ],
)
def test_broken_files_fail_with_distinct_clear_errors(name: str, code: str) -> None:
    assert name in BROKEN
    with pytest.raises(ConversionError) as failed:
        precheck(fixture(name).read_bytes())
    assert failed.value.code == code
    assert "\n" not in failed.value.message
    assert len(failed.value.message) < 200


def test_occ_parse_errors_are_reported_in_words(sandbox: Sandbox, tmp_path: Path) -> None:
    """The truncated file straight into OpenCASCADE (past the pre-checks): a clear error, no crash."""
    with pytest.raises(ConversionError) as failed:
        sandbox.convert(
            fixture("madehere_truncated.step"), tmp_path / "x.glb", tol_linear_mm=0.1, limits=LIMITS
        )
    assert failed.value.code == "unreadable_step"
    assert "Line 1128" in failed.value.message
    assert not (tmp_path / "x.glb").exists()


def test_timeout_kills_the_conversion_and_the_sandbox_goes_on(sandbox: Sandbox, tmp_path: Path) -> None:
    big = fixture("lower_leg_structure_base.STEP")
    with pytest.raises(ConversionError) as failed:
        sandbox.convert(big, tmp_path / "slow.glb", tol_linear_mm=0.001, limits=SandboxLimits(timeout_s=0.05))
    assert failed.value.code == "conversion_timeout"
    assert failed.value.message == "conversion timed out after 0.05 s"
    ok = sandbox.convert(fixture(BEARING), tmp_path / "next.glb", tol_linear_mm=0.1, limits=LIMITS)
    assert ok.output.exists()


def test_memory_cap_stops_the_conversion_and_the_sandbox_goes_on(sandbox: Sandbox, tmp_path: Path) -> None:
    # The converter's own address space is ~120 MB (OpenCASCADE's libraries); this 1 MB part
    # needs ~200 MB in all to convert at 0.01 mm.
    with pytest.raises(ConversionError) as failed:
        sandbox.convert(
            fixture("lower_leg_structure_base.STEP"),
            tmp_path / "big.glb",
            tol_linear_mm=0.01,
            limits=SandboxLimits(timeout_s=120, memory_mb=150),
        )
    assert failed.value.code in {"conversion_out_of_memory", "conversion_crashed"}
    ok = sandbox.convert(fixture(BEARING), tmp_path / "next.glb", tol_linear_mm=0.1, limits=LIMITS)
    assert ok.output.exists()


def test_a_dead_converter_is_replaced(sandbox: Sandbox, tmp_path: Path) -> None:
    sandbox.convert(fixture(BEARING), tmp_path / "a.glb", tol_linear_mm=0.1, limits=LIMITS)
    pid = sandbox.pid
    assert pid is not None
    os.kill(pid, 9)
    ok = sandbox.convert(fixture(BEARING), tmp_path / "b.glb", tol_linear_mm=0.1, limits=LIMITS)
    assert ok.output.exists()
    assert sandbox.pid not in (None, pid)


@pytest.mark.skipif(os.geteuid() != 0, reason="a network namespace needs root (or user namespaces)")
def test_converter_has_no_network(sandbox: Sandbox, tmp_path: Path) -> None:
    ok = sandbox.convert(fixture(BEARING), tmp_path / "a.glb", tol_linear_mm=0.1, limits=LIMITS)
    assert ok.network_isolated
    links = subprocess.run(
        ["nsenter", "-t", str(sandbox.pid), "-n", "cat", "/proc/net/dev"],
        capture_output=True,
        text=True,
        check=False,
    )
    if links.returncode == 0:  # nsenter present: only the loopback device exists in there
        devices = [line.split(":")[0].strip() for line in links.stdout.splitlines()[2:]]
        assert devices == ["lo"]

"""Stills through the real render host: alpha, framing, materials, GPU probe, job isolation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from automat.materials.library import FALLBACK_MATERIAL
from automat.rendering.host_client import RenderHost
from automat.rendering.spec import CameraPreset, CameraSpec, Framing
from tests.blender.conftest import Model, alpha_box, completed, job, magenta_mask, rgba

GPU_FALLBACK = (
    "[GPU_PROBE] No GPU found, falling back to CPU — set cycles_device=cpu to suppress this warning"
)


def assert_framing_rule(framing: Framing | None) -> None:
    """40-90 % of the frame along the larger axis, no edge touched."""
    assert framing is not None
    assert 0.40 <= framing.span <= 0.90, framing
    assert framing.min_x > 0 and framing.min_y > 0, framing
    assert framing.max_x < 1 and framing.max_y < 1, framing


def assert_png_matches(path: Path, framing: Framing) -> None:
    """The PNG agrees with the reported framing, to 2 px.

    The object's pixels are opaque; so is the densest part of the floor shadow (the contact line
    under the object), which is pure black. So: the opaque pixels reach every edge of the framing
    box (it is not too large), every opaque pixel outside it is shadow (it is not too small), and
    nothing opaque touches the frame's edge.
    """
    pixels = rgba(path)
    height, width = pixels.shape[:2]
    box = alpha_box(pixels)
    tx, ty = 2 / width, 2 / height
    assert box[0] <= framing.min_x + tx and box[2] >= framing.max_x - tx, (box, framing)
    assert box[1] <= framing.min_y + ty and box[3] >= framing.max_y - ty, (box, framing)
    rows, cols = np.nonzero(pixels[..., 3] >= 250)
    x0, x1 = cols / width, (cols + 1) / width
    y0, y1 = 1 - (rows + 1) / height, 1 - rows / height
    outside = (
        (x0 < framing.min_x - tx)
        | (x1 > framing.max_x + tx)
        | (y0 < framing.min_y - ty)
        | (y1 > framing.max_y + ty)
    )
    brightest = pixels[rows[outside], cols[outside], :3].max(initial=0)
    assert brightest <= 12, f"object pixels outside the framing box {framing} (max rgb {brightest})"
    assert box[0] > 0 and box[1] > 0 and box[2] < 1 and box[3] < 1, box


def test_bearing_thumbnail_is_a_transparent_png(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    events: list[dict[str, Any]] = []
    out = tmp_path / "bearing.png"
    result = completed(host.run(job(bearing, out, library_blend=str(library)), on_progress=events.append))

    assert result.outputs == [str(out)]
    assert result.engine == "cycles"
    assert {"reset", "import", "materials", "scene", "gpu", "render", "write", "total"} <= set(result.timings)
    pixels = rgba(out)
    assert pixels.shape == (96, 96, 4)
    opaque, _ = magenta_mask(pixels)
    assert opaque.sum() > 96 * 96 * 0.15  # the bearing covers a good part of the frame
    for corner in (pixels[0, 0], pixels[0, -1], pixels[-1, 0], pixels[-1, -1]):
        assert corner[3] == 0, corner
    # Cycles' sample count came through as progress.
    messages = [e["message"] for e in events if e["phase"] == "render"]
    assert "sample 4/4" in messages, messages
    # ... with the counts the order page shows ("Sample 4 / 4"), in order.
    samples = [(e["sample"], e["samples"]) for e in events if e["phase"] == "render" and "sample" in e]
    assert samples[-1] == (4, 4) and [s for s, _ in samples] == sorted(s for s, _ in samples)
    assert_framing_rule(result.framing)


@pytest.mark.parametrize("preset", list(CameraPreset))
def test_framing_rule_holds_for_every_preset(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path, preset: CameraPreset
) -> None:
    out = tmp_path / f"bearing_{preset.value}.png"
    spec = job(
        bearing,
        out,
        width=64,
        height=64,
        samples=2,
        library_blend=str(library),
        camera=CameraSpec(position=preset),
    )
    result = completed(host.run(spec))
    assert_framing_rule(result.framing)
    assert result.framing is not None
    assert_png_matches(out, result.framing)


def test_framing_rule_with_custom_angles_and_a_wide_frame(
    host: RenderHost, screw: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "screw_custom.png"
    spec = job(
        screw,
        out,
        width=128,
        height=72,
        samples=2,
        library_blend=str(library),
        camera=CameraSpec(azimuth_deg=-120.0, elevation_deg=-20.0),
    )
    result = completed(host.run(spec))
    assert_framing_rule(result.framing)
    assert result.framing is not None
    assert_png_matches(out, result.framing)


@pytest.mark.parametrize("which", ["tiny_ball", "huge_housing"])
def test_framing_rule_from_a_3mm_ball_to_a_2m_housing(
    host: RenderHost, library: Path, tmp_path: Path, request: pytest.FixtureRequest, which: str
) -> None:
    model: Model = request.getfixturevalue(which)
    for preset in (CameraPreset.ISO, CameraPreset.FRONT, CameraPreset.TOP):
        out = tmp_path / f"{which}_{preset.value}.png"
        spec = job(
            model,
            out,
            width=64,
            height=64,
            samples=2,
            library_blend=str(library),
            camera=CameraSpec(position=preset),
        )
        result = completed(host.run(spec))
        assert_framing_rule(result.framing)
        assert result.framing is not None
        assert_png_matches(out, result.framing)
        _, magenta = magenta_mask(rgba(out))
        assert magenta.sum() == 0  # "*ball*" and "*housing*" resolved to library materials


def test_default_aliases_leave_no_magenta(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bearing_aliases.png"
    material_map = bearing.material_map()
    assert FALLBACK_MATERIAL not in material_map.values()
    result = completed(
        host.run(
            job(bearing, out, width=128, height=128, library_blend=str(library), material_map=material_map)
        )
    )

    opaque, magenta = magenta_mask(rgba(out))
    assert opaque.sum() > 1000
    assert magenta.sum() == 0
    assert FALLBACK_MATERIAL not in result.materials.values()
    # Every part got its resolved material, duplicates (Ball.001 …) included.
    assert result.materials["Inner_Ring"] == material_map["Inner_Ring"]
    balls = {name: m for name, m in result.materials.items() if name.startswith("Ball")}
    assert len(balls) == 14 and set(balls.values()) == {material_map["Ball"]}
    assert result.warnings == []


def test_without_aliases_the_parts_turn_magenta(
    host: RenderHost, host_log: Path, bearing: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bearing_magenta.png"
    result = completed(
        host.run(job(bearing, out, width=128, height=128, library_blend=str(library), material_map={}))
    )

    opaque, magenta = magenta_mask(rgba(out))
    assert magenta.sum() > 0.5 * opaque.sum(), (int(magenta.sum()), int(opaque.sum()))
    assert set(result.materials.values()) == {FALLBACK_MATERIAL}
    log = host_log.read_text(errors="replace")
    for part in ("Inner_Ring", "Outer_Ring", "Ball"):
        assert f"[MATERIAL] part '{part}' → '{FALLBACK_MATERIAL}' (no match)" in log
    assert any("without a material" in w for w in result.warnings)


def test_materials_are_built_in_place_without_a_library(
    host: RenderHost, bearing: Model, tmp_path: Path
) -> None:
    out = tmp_path / "bearing_nolib.png"
    material_map = bearing.material_map()
    result = completed(
        host.run(
            job(bearing, out, width=64, height=64, samples=2, library_blend=None, material_map=material_map)
        )
    )
    assert result.materials["Outer_Ring"] == material_map["Outer_Ring"]
    _, magenta = magenta_mask(rgba(out))
    assert magenta.sum() == 0


def test_a_material_missing_from_the_library_falls_back_with_a_warning(
    host: RenderHost, host_log: Path, shaft: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "shaft_missing.png"
    part = shaft.parts[0]
    result = completed(
        host.run(
            job(
                shaft,
                out,
                width=64,
                height=64,
                samples=2,
                library_blend=str(library),
                material_map={part: "SCHAEFFLER_777777_Unobtainium"},
            )
        )
    )
    assert set(result.materials.values()) == {FALLBACK_MATERIAL}
    assert any("SCHAEFFLER_777777_Unobtainium" in w for w in result.warnings)
    assert f"[MATERIAL] part '{part}' → '{FALLBACK_MATERIAL}'" in host_log.read_text(errors="replace")


def test_second_job_sees_nothing_of_the_first(
    host: RenderHost, bearing: Model, shaft: Model, library: Path, tmp_path: Path
) -> None:
    first = completed(
        host.run(
            job(bearing, tmp_path / "first.png", width=64, height=64, samples=1, library_blend=str(library))
        )
    )
    second = completed(
        host.run(
            job(shaft, tmp_path / "second.png", width=64, height=64, samples=1, library_blend=str(library))
        )
    )

    assert "Inner_Ring" in first.materials
    shaft_material = shaft.material_map()[shaft.parts[0]]
    # The second scene holds the shaft's meshes and nothing else, with only the shaft's material.
    assert set(second.materials) == set(shaft.parts)
    assert set(second.materials.values()) == {shaft_material}
    assert not set(first.materials) & set(second.materials)
    assert set(first.materials.values()).isdisjoint(second.materials.values())


def test_gpu_probe_falls_back_to_cpu_and_says_so(
    host: RenderHost, host_log: Path, shaft: Model, library: Path, tmp_path: Path
) -> None:
    probed = completed(
        host.run(
            job(
                shaft,
                tmp_path / "gpu.png",
                width=64,
                height=64,
                samples=1,
                library_blend=str(library),
                cycles_device="gpu",
            )
        )
    )
    assert GPU_FALLBACK in host_log.read_text(errors="replace")
    assert probed.gpu_info["requested"] == "gpu"
    assert probed.gpu_info["fallback"] is True
    assert probed.gpu_info["device_type"] == "CPU"
    assert probed.gpu_info["reason"]
    assert probed.device is not None and probed.device.startswith("CPU")
    assert any(w.startswith(GPU_FALLBACK) for w in probed.warnings)

    quiet = completed(
        host.run(
            job(
                shaft,
                tmp_path / "cpu.png",
                width=64,
                height=64,
                samples=1,
                library_blend=str(library),
                cycles_device="cpu",
            )
        )
    )
    assert quiet.gpu_info["fallback"] is False
    assert quiet.gpu_info["requested"] == "cpu"
    assert quiet.warnings == []

    auto = completed(
        host.run(
            job(
                shaft,
                tmp_path / "auto.png",
                width=64,
                height=64,
                samples=1,
                library_blend=str(library),
                cycles_device="auto",
            )
        )
    )
    assert auto.gpu_info["fallback"] is True
    assert auto.warnings == []


def test_a_broken_input_fails_clearly_and_the_host_carries_on(
    host: RenderHost, shaft: Model, library: Path, tmp_path: Path
) -> None:
    missing = Model(tmp_path / "nowhere" / "missing.glb", shaft.parts)
    failed = host.run(job(missing, tmp_path / "broken.png", library_blend=str(library)))
    assert failed.status == "failed"
    assert failed.error is not None and "(missing.glb) is missing; reprocess the CAD file" in failed.error
    assert str(missing.glb.parent) not in failed.error  # users see no server folders
    assert not (tmp_path / "broken.png").exists()

    garbage = tmp_path / "garbage.glb"
    garbage.write_bytes(b"glTF" + b"\x02\x00\x00\x00" + b"\x00" * 64)
    failed = host.run(job(Model(garbage, []), tmp_path / "garbage.png", library_blend=str(library)))
    assert failed.status == "failed" and failed.error and "garbage.glb" in failed.error

    pid = host.pid
    completed(
        host.run(
            job(shaft, tmp_path / "after.png", width=64, height=64, samples=1, library_blend=str(library))
        )
    )
    assert host.pid == pid  # the same host, not a restarted one

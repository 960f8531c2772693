"""Turntables, GLB and .blend exports through the real render host."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import av
from PIL import Image

from automat.rendering.host_client import RenderHost, frames_dir, poster_path
from automat.rendering.spec import OutputKind
from tests.blender.conftest import Model, completed, job, mesh_node_names, run_bpy
from tests.cad.conftest import validate_gltf


def test_turntable_is_an_mp4_with_every_frame_and_a_poster(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    events: list[dict[str, Any]] = []
    out = tmp_path / "bearing_turntable.mp4"
    spec = job(
        bearing,
        out,
        kind=OutputKind.TURNTABLE,
        width=64,
        height=64,
        samples=1,
        frames=8,
        fps=12,
        library_blend=str(library),
    )
    result = completed(host.run(spec, on_progress=events.append))

    assert result.outputs == [str(out)]
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        decoded = list(container.decode(stream))
    assert len(decoded) == 8
    assert (decoded[0].width, decoded[0].height) == (64, 64)
    assert decoded[0].format.name == "yuv420p"
    # The object turns (a bearing looks alike after half a turn: compare a quarter turn).
    first, quarter = decoded[0].to_ndarray(format="rgb24"), decoded[2].to_ndarray(format="rgb24")
    assert abs(first.astype(int) - quarter.astype(int)).mean() > 3.0

    poster = poster_path(spec)
    assert result.poster == str(poster)
    with Image.open(poster) as image:
        assert image.format == "PNG" and image.size == (64, 64)
    assert not frames_dir(spec).exists()
    assert not list(tmp_path.glob("_frames_*"))
    frame_events = [e for e in events if e["phase"] == "render" and e["message"].startswith("frame ")]
    assert [e["message"] for e in frame_events if ":" not in e["message"]] == [
        f"frame {i}/8" for i in range(1, 9)
    ]
    # Every progress event of the render names the frame it is about, counting up to 8 of 8.
    render = [e for e in events if e["phase"] == "render" and "frame" in e]
    assert {e["frames"] for e in render} == {8}
    assert [e["frame"] for e in render] == sorted(e["frame"] for e in render)
    assert render[-1]["frame"] == 8 and render[-1]["fraction"] == 1.0
    assert {"render", "encode"} <= set(result.timings)


def test_turntable_as_webm_with_odd_dimensions(
    host: RenderHost, shaft: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "shaft.webm"
    spec = job(
        shaft,
        out,
        kind=OutputKind.TURNTABLE,
        width=65,
        height=49,
        samples=1,
        frames=3,
        library_blend=str(library),
    )
    completed(host.run(spec))
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name in {"vp9", "libvpx-vp9"}
        decoded = list(container.decode(stream))
    assert len(decoded) == 3
    assert (decoded[0].width, decoded[0].height) == (64, 48)  # yuv420p needs even sides


def test_glb_export_passes_the_khronos_validator(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bearing_export.glb"
    material_map = bearing.material_map()
    result = completed(host.run(job(bearing, out, kind=OutputKind.EXPORT_GLB, library_blend=str(library))))

    assert result.outputs == [str(out)]
    (report,) = validate_gltf(out)
    assert report["errors"] == 0, report["messages"]
    data = out.read_bytes()
    doc = json.loads(data[20 : 20 + int.from_bytes(data[12:16], "little")])
    assert {m["name"] for m in doc["materials"]} == set(material_map.values())
    assert set(mesh_node_names(out)) == set(bearing.parts)
    assert len([n for n in doc["nodes"] if "mesh" in n]) == 16  # 14 balls, 2 rings


def test_blend_export_reopens_with_its_materials(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bearing.blend"
    result = completed(host.run(job(bearing, out, kind=OutputKind.EXPORT_BLEND, library_blend=str(library))))
    assert result.outputs == [str(out)]

    listing = run_bpy(
        """
        import json, sys
        import bpy
        bpy.ops.wm.open_mainfile(filepath=sys.argv[1])
        scene = bpy.context.scene
        print("RESULT " + json.dumps({
            "materials": sorted(m.name for m in bpy.data.materials),
            "objects": {o.name: (o.active_material.name if o.active_material else None)
                        for o in scene.objects if o.type == "MESH"},
            "camera": scene.camera.name if scene.camera else None,
            "lights": sorted(o.name for o in scene.objects if o.type == "LIGHT"),
            "engine": scene.render.engine,
        }))
        """,
        str(out),
    )
    reopened = json.loads(next(line[7:] for line in listing.splitlines() if line.startswith("RESULT ")))
    expected = set(bearing.material_map().values())
    assert expected <= set(reopened["materials"])
    assert all(name.startswith("SCHAEFFLER_") for name in reopened["materials"]), reopened["materials"]
    assert reopened["objects"]["Inner_Ring"] == bearing.material_map()["Inner_Ring"]
    assert reopened["camera"] and len(reopened["lights"]) == 3
    assert reopened["engine"] == "CYCLES"

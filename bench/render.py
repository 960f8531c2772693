"""Render benchmarks: what the persistent render host saves, and what it costs.

- ``render_host``: 10 thumbnails of the FreeCAD bearing through one host (bpy imported once)
  vs 10 fresh host processes that each import bpy and render the same job.
- ``render_overhead``: one 512² still at 32 samples through the host (wall time of the whole
  job: reset, import, materials, scene, render, write) vs the ``bpy.ops.render.render`` time the
  host measured inside the same job.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import report

FIXTURE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "fixtures"
    / "step"
    / "bearing_20x37x9__freecad_ap214.stp"
)
THUMBNAILS = 10


def _prepare(work: Path) -> tuple[Path, dict[str, str], Path]:
    from automat.cad import geometry
    from automat.cad.conversion import convert_step
    from automat.cad.sandbox import SandboxLimits
    from automat.materials.blend_library import ensure_library
    from automat.materials.library import BUILTIN_BY_NAME, DEFAULT_ALIASES, FALLBACK_MATERIAL
    from automat.materials.resolve import resolve_material_map

    glb = convert_step(
        FIXTURE, work / "cad", viewer_base_mm=0.1, production_base_mm=0.01, limits=SandboxLimits()
    ).production
    names = [p.name for p in geometry.analyze(glb).parts]
    resolved = resolve_material_map(
        names, DEFAULT_ALIASES, fallback=FALLBACK_MATERIAL, known=set(BUILTIN_BY_NAME)
    )
    return glb, {n: r.material for n, r in resolved.items()}, ensure_library(work / "library")


def _spec(glb: Path, materials: dict[str, str], library: Path, out: Path, **kw: object):  # type: ignore[no-untyped-def]
    from automat.rendering.spec import OutputKind, RenderJobSpec

    fields: dict[str, object] = {
        "job_id": out.stem,
        "kind": OutputKind.THUMBNAIL,
        "input_glb": str(glb),
        "output_path": str(out),
        "material_map": materials,
        "library_blend": str(library),
        "width": 256,
        "height": 256,
        "samples": 8,
        "cycles_device": "cpu",
    }
    fields.update(kw)
    return RenderJobSpec(**fields)  # type: ignore[arg-type]


def render_host() -> None:
    from automat.rendering.host_client import RenderHost

    work = Path(tempfile.mkdtemp(prefix="automat-bench-render-"))
    glb, materials, library = _prepare(work)
    t0 = time.perf_counter()
    with RenderHost() as host:
        for i in range(THUMBNAILS):
            assert host.run(_spec(glb, materials, library, work / f"host{i}.png")).status == "completed"
    value = time.perf_counter() - t0

    t0 = time.perf_counter()
    for i in range(THUMBNAILS):
        with RenderHost() as fresh:
            assert fresh.run(_spec(glb, materials, library, work / f"fresh{i}.png")).status == "completed"
    baseline = time.perf_counter() - t0
    report(
        "render_host",
        baseline,
        value,
        thumbnails=THUMBNAILS,
        size_px=256,
        samples=8,
        speedup=round(baseline / value, 2),
        note="value = one persistent host; baseline = a fresh process (import bpy) per thumbnail",
    )


def render_overhead() -> None:
    from automat.rendering.host_client import RenderHost

    work = Path(tempfile.mkdtemp(prefix="automat-bench-render-"))
    glb, materials, library = _prepare(work)
    with RenderHost() as host:
        host.run(_spec(glb, materials, library, work / "warm.png", width=64, height=64, samples=1))
        t0 = time.perf_counter()
        result = host.run(
            _spec(
                glb, materials, library, work / "still.png", kind="still", width=512, height=512, samples=32
            )
        )
        value = time.perf_counter() - t0
    assert result.status == "completed", result.error
    baseline = result.timings["render"]
    report(
        "render_overhead",
        baseline,
        value,
        size_px=512,
        samples=32,
        phases=result.timings,
        note="value = whole job through the host; baseline = bpy.ops.render.render inside that job",
    )

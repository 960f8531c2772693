"""Render benchmarks: what the persistent render host saves, and what it costs.

- ``render_host``: 10 thumbnails of the FreeCAD bearing through one host (bpy imported once)
  vs 10 fresh host processes that each import bpy and render the same job.
- ``render_overhead``: one 512² still at 32 samples through the host (wall time of the whole
  job: reset, import, materials, scene, render, write) vs the ``bpy.ops.render.render`` time the
  host measured inside the same job.
"""

from __future__ import annotations

import os
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


COVERAGE_ROUNDS = 8


def _cpu_s(pid: int | None) -> float:
    """User + system CPU seconds a process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def render_coverage() -> None:
    """What the coverage check (a 128 px mask render before the real one) adds to a thumbnail.

    The FreeCAD bearing's 256² thumbnail at 16 samples, rendered ``COVERAGE_ROUNDS`` times with
    the check and as often without it, interleaved in one host. Value and baseline are the median
    CPU seconds the render host spent per job (what the check costs, and stable while other work
    shares the machine); wall-clock medians are reported beside them.
    """
    import statistics

    from automat.rendering.host_client import RenderHost

    work = Path(tempfile.mkdtemp(prefix="automat-bench-render-"))
    glb, materials, library = _prepare(work)
    cpu: dict[float, list[float]] = {0.0: [], 0.005: []}
    wall: dict[float, list[float]] = {0.0: [], 0.005: []}
    phases: list[float] = []
    with RenderHost() as host:
        host.run(_spec(glb, materials, library, work / "warm.png", width=64, height=64, samples=1))
        for round_ in range(COVERAGE_ROUNDS):
            for minimum in (0.005, 0.0) if round_ % 2 else (0.0, 0.005):
                out = work / f"thumb{round_}_{minimum}.png"
                spec = _spec(glb, materials, library, out, samples=16, min_coverage=minimum)
                c0, t0 = _cpu_s(host.pid), time.perf_counter()
                result = host.run(spec)
                wall[minimum].append(time.perf_counter() - t0)
                cpu[minimum].append(_cpu_s(host.pid) - c0)
                assert result.status == "completed", result.error
                if minimum:
                    phases.append(result.timings["coverage"])
    baseline, value = statistics.median(cpu[0.0]), statistics.median(cpu[0.005])
    report(
        "render_coverage",
        baseline,
        value,
        rounds=COVERAGE_ROUNDS,
        size_px=256,
        samples=16,
        coverage_phase_wall_s=round(statistics.median(phases), 4),
        wall_baseline_s=round(statistics.median(wall[0.0]), 4),
        wall_value_s=round(statistics.median(wall[0.005]), 4),
        note="CPU seconds of the render host per thumbnail: value with the coverage check, baseline without",
    )

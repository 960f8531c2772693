"""What the conversion sandbox costs.

Every valid fixture in ``../shared/fixtures/step`` is converted with the same tolerances twice
per round: directly in this process with ``cascadio.step_to_glb`` (baseline) and through the
platform's sandbox (value: a fork of the warm converter process with its memory cap, timeout
and network namespace). Both sides are warm (cascadio imported, converter started); the
converter's one-off start-up and the full three-pass ``convert_step`` are reported beside.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.common import report

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "step"
TOL_LINEAR_MM = 0.01
TOL_ANGULAR = 0.5
ROUNDS = 3


def main() -> None:
    import cascadio

    from automat.cad.conversion import convert_step
    from automat.cad.sandbox import Sandbox, SandboxLimits

    files = sorted(
        p for p in FIXTURES.glob("*") if p.suffix.lower() in (".step", ".stp") and "madehere" not in p.name
    )
    out = Path(tempfile.mkdtemp(prefix="automat-bench-cad-"))
    sandbox = Sandbox()
    limits = SandboxLimits(timeout_s=300, memory_mb=4096)
    started = time.perf_counter()
    sandbox.convert(files[0], out / "warmup.glb", tol_linear_mm=TOL_LINEAR_MM, limits=limits)
    startup_s = time.perf_counter() - started

    direct, sandboxed = [], []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for f in files:
            cascadio.step_to_glb(
                str(f), str(out / f"{f.stem}.direct.glb"), tol_linear=TOL_LINEAR_MM, tol_angular=TOL_ANGULAR
            )
        direct.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for f in files:
            sandbox.convert(
                f,
                out / f"{f.stem}.sandbox.glb",
                tol_linear_mm=TOL_LINEAR_MM,
                tol_angular=TOL_ANGULAR,
                limits=limits,
            )
        sandboxed.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    for f in files:
        convert_step(
            f, out / f.stem, viewer_base_mm=0.1, production_base_mm=0.01, limits=limits, sandbox=sandbox
        )
    pipeline_s = time.perf_counter() - t0
    sandbox.close()

    report(
        "cad_convert",
        statistics.median(direct),
        statistics.median(sandboxed),
        files=len(files),
        rounds=ROUNDS,
        tol_linear_mm=TOL_LINEAR_MM,
        sandbox_startup_s=round(startup_s, 3),
        full_conversion_path_s=round(pipeline_s, 3),
        note="value = sandboxed (fork of a warm converter); baseline = in-process cascadio; same inputs",
    )

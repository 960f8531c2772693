"""What the conversion sandbox costs.

Every valid fixture in ``../shared/fixtures/step`` is converted with the same tolerances twice
per round: directly in this process with ``cascadio.step_to_glb`` (baseline) and through the
platform's sandbox (value: a fork of the warm converter process with its memory cap, timeout
and network namespace). Both sides are warm (cascadio imported and run once, converter started);
the converter's one-off start-up and the full three-pass ``convert_step`` are reported beside.

The two sides alternate file by file (which goes first flips every round), so load from elsewhere
on a shared machine hits both alike; baseline and value are medians over ``ROUNDS`` rounds and
``round_ratios`` shows the spread. On the 2-core test machine two runs agree within ~0.05.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import report

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "step"
TOL_LINEAR_MM = 0.01
TOL_ANGULAR = 0.5
ROUNDS = 9


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

    cascadio.step_to_glb(str(files[0]), str(out / "warmup.direct.glb"), tol_linear=TOL_LINEAR_MM)

    def in_process(f: Path) -> float:
        t0 = time.perf_counter()
        cascadio.step_to_glb(
            str(f), str(out / f"{f.stem}.direct.glb"), tol_linear=TOL_LINEAR_MM, tol_angular=TOL_ANGULAR
        )
        return time.perf_counter() - t0

    def in_sandbox(f: Path) -> float:
        t0 = time.perf_counter()
        target = out / f"{f.stem}.sandbox.glb"
        sandbox.convert(f, target, tol_linear_mm=TOL_LINEAR_MM, tol_angular=TOL_ANGULAR, limits=limits)
        return time.perf_counter() - t0

    direct, sandboxed = [], []
    for round_ in range(ROUNDS):
        round_direct = round_sandboxed = 0.0
        for index, f in enumerate(files):
            if (round_ + index) % 2:
                round_sandboxed += in_sandbox(f)
                round_direct += in_process(f)
            else:
                round_direct += in_process(f)
                round_sandboxed += in_sandbox(f)
        direct.append(round_direct)
        sandboxed.append(round_sandboxed)

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
        round_ratios=sorted(round(v / b, 3) for b, v in zip(direct, sandboxed, strict=True)),
        load_1min=round(os.getloadavg()[0], 2),
        tol_linear_mm=TOL_LINEAR_MM,
        sandbox_startup_s=round(startup_s, 3),
        full_conversion_path_s=round(pipeline_s, 3),
        note="value = sandboxed (fork of a warm converter); baseline = in-process cascadio; same inputs",
    )

"""What the conversion sandbox costs.

Every valid fixture in ``../shared/fixtures/step`` is converted with the same tolerances twice
per round: directly in this process with ``cascadio.step_to_glb`` (baseline) and through the
platform's sandbox (value: a fork of the warm converter process with its memory cap, timeout
and network namespace). Both sides are warm (cascadio imported and run once, converter started);
the converter's one-off start-up and the full three-pass ``convert_step`` are reported beside.

The two sides alternate file by file (which goes first flips every round), so load from elsewhere
on a shared machine hits both alike, with a short untimed pause after each conversion (the
converter prepares the next file's child then, as it does between a real task's conversions).
Baseline and value are the sums over the files of each file's median time over ``ROUNDS``
rounds (a burst of load from elsewhere spoils a few rounds, not the median); ``ratio_per_file``
shows where the sandbox costs (a fixed ~5-10 ms weighs most on the smallest file).
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
ROUNDS = 15
SETTLE_S = 0.05  # untimed pause after each conversion, so one side's wake never hits the other


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
        took = time.perf_counter() - t0
        time.sleep(SETTLE_S)
        return took

    def in_sandbox(f: Path) -> float:
        t0 = time.perf_counter()
        target = out / f"{f.stem}.sandbox.glb"
        sandbox.convert(f, target, tol_linear_mm=TOL_LINEAR_MM, tol_angular=TOL_ANGULAR, limits=limits)
        took = time.perf_counter() - t0
        time.sleep(SETTLE_S)  # the converter forks and warms the next file's child meanwhile
        return took

    direct: dict[str, list[float]] = {f.name: [] for f in files}
    sandboxed: dict[str, list[float]] = {f.name: [] for f in files}
    for round_ in range(ROUNDS):
        for index, f in enumerate(files):
            if (round_ + index) % 2:
                sandboxed[f.name].append(in_sandbox(f))
                direct[f.name].append(in_process(f))
            else:
                direct[f.name].append(in_process(f))
                sandboxed[f.name].append(in_sandbox(f))
    # Per file the median over the rounds (a burst of load elsewhere hits a few rounds), summed.
    baseline = sum(statistics.median(times) for times in direct.values())
    value = sum(statistics.median(times) for times in sandboxed.values())
    per_file = {
        name: round(statistics.median(sandboxed[name]) / statistics.median(times), 3)
        for name, times in direct.items()
    }

    t0 = time.perf_counter()
    for f in files:
        convert_step(
            f, out / f.stem, viewer_base_mm=0.1, production_base_mm=0.01, limits=limits, sandbox=sandbox
        )
    pipeline_s = time.perf_counter() - t0
    sandbox.close()

    report(
        "cad_convert",
        baseline,
        value,
        files=len(files),
        rounds=ROUNDS,
        ratio_per_file=per_file,
        load_1min=round(os.getloadavg()[0], 2),
        tol_linear_mm=TOL_LINEAR_MM,
        sandbox_startup_s=round(startup_s, 3),
        full_conversion_path_s=round(pipeline_s, 3),
        note="value = sandboxed (fork of a warm converter); baseline = in-process cascadio; same inputs",
    )

"""Real cancellation and crash handling of the render host (real Blender, real signals)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from automat.cad.conversion import convert_step
from automat.cad.sandbox import SandboxLimits
from automat.rendering.host_client import RenderHost, frames_dir
from automat.rendering.spec import OutputKind, RenderJobSpec
from tests.cad.conftest import BEARING, fixture


@pytest.fixture(scope="module")
def bearing_glb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = convert_step(
        fixture(BEARING),
        tmp_path_factory.mktemp("bearing"),
        viewer_base_mm=0.1,
        production_base_mm=0.05,
        limits=SandboxLimits(timeout_s=120),
    )
    return out.production


@pytest.fixture
def host(tmp_path: Path) -> Iterator[RenderHost]:
    with RenderHost(grace_s=3.0, log_path=tmp_path / "host.log") as h:
        yield h


def spec(glb: Path, out: Path, **kw: Any) -> RenderJobSpec:
    base: dict[str, Any] = {
        "job_id": out.stem,
        "kind": OutputKind.STILL,
        "input_glb": str(glb),
        "output_path": str(out),
    }
    base.update(kw)
    return RenderJobSpec(cycles_device="cpu", **base)


def processes_in_group(pgid: int) -> list[str]:
    listing = subprocess.run(
        ["ps", "-eo", "pid=,pgid=,stat=,args="], capture_output=True, text=True, check=True
    )
    rows = [line.split(None, 3) for line in listing.stdout.splitlines()]
    return [" ".join(r) for r in rows if len(r) >= 3 and int(r[1]) == pgid and not r[2].startswith("Z")]


def run_in_thread(
    host: RenderHost, job: RenderJobSpec, cancel: threading.Event | None = None
) -> tuple[threading.Thread, dict[str, Any], threading.Event]:
    box: dict[str, Any] = {}
    started = threading.Event()

    def progress(event: dict[str, Any]) -> None:
        if event.get("phase") in ("render", "frame"):
            started.set()

    def target() -> None:
        box["result"] = host.run(job, on_progress=progress, cancel=cancel)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, box, started


def test_cancel_kills_every_blender_process_and_removes_partial_files(
    host: RenderHost, bearing_glb: Path, tmp_path: Path
) -> None:
    out = tmp_path / "long.mp4"
    job = spec(bearing_glb, out, kind=OutputKind.TURNTABLE, width=128, height=128, samples=256, frames=40)
    cancel = threading.Event()
    thread, box, started = run_in_thread(host, job, cancel)
    assert started.wait(120), "the render never started"
    pgid = host.pid
    assert pgid is not None
    time.sleep(1.0)
    t0 = time.monotonic()
    cancel.set()
    thread.join(30)
    assert box["result"].status == "cancelled"
    assert time.monotonic() - t0 < 15
    assert processes_in_group(pgid) == []
    assert not out.exists()
    assert not frames_dir(job).exists()
    assert list(tmp_path.glob("_frames_*")) == []

    # The next job gets a fresh host and succeeds.
    after = host.run(spec(bearing_glb, tmp_path / "after.png", width=64, height=64, samples=2))
    assert after.status == "completed", after.error
    assert host.pid != pgid


def test_host_killed_mid_job_fails_that_job_cleanly_and_the_next_succeeds(
    host: RenderHost, bearing_glb: Path, tmp_path: Path
) -> None:
    job = spec(bearing_glb, tmp_path / "victim.png", width=256, height=256, samples=2048)
    thread, box, started = run_in_thread(host, job)
    assert started.wait(120)
    assert host.pid is not None
    os.kill(host.pid, signal.SIGKILL)
    thread.join(30)
    result = box["result"]
    assert result.status == "failed"
    assert "SIGKILL" in result.error
    assert not (tmp_path / "victim.png").exists()
    nxt = host.run(spec(bearing_glb, tmp_path / "next.png", width=64, height=64, samples=2))
    assert nxt.status == "completed", nxt.error
    assert (tmp_path / "next.png").stat().st_size > 0


def test_one_host_serves_jobs_one_after_another(host: RenderHost, bearing_glb: Path, tmp_path: Path) -> None:
    first_pid = host.pid
    for i in range(3):
        result = host.run(
            spec(
                bearing_glb, tmp_path / f"t{i}.png", kind=OutputKind.THUMBNAIL, width=64, height=64, samples=1
            )
        )
        assert result.status == "completed", result.error
    assert host.pid == first_pid
    assert host.jobs_run == 3

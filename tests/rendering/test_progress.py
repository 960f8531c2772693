"""Render progress as the platform keeps it: the time-left estimate and the throttle."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from automat.rendering.progress import ProgressRecorder, eta_seconds


def test_eta_is_unknown_until_some_work_is_done() -> None:
    assert eta_seconds(5.0, None) is None
    assert eta_seconds(5.0, 0.0) is None


def test_eta_is_elapsed_over_fraction_minus_elapsed() -> None:
    assert eta_seconds(30.0, 0.25) == pytest.approx(90.0)  # a quarter in 30 s: 90 s to go
    assert eta_seconds(10.0, 0.5) == pytest.approx(10.0)
    assert eta_seconds(12.0, 1.0) == 0.0


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return datetime(2026, 12, 2, 10, 0, tzinfo=UTC) + timedelta(seconds=self.t)


def frame_event(i: int, n: int) -> dict[str, Any]:
    return {"phase": "render", "fraction": i / n, "message": f"frame {i}/{n}", "frame": i, "frames": n}


def test_snapshots_carry_the_counts_and_the_estimate_of_the_phase() -> None:
    clock = Clock()
    sent: list[dict[str, Any]] = []
    recorder = ProgressRecorder(sent.append, job_id="line-1", clock=clock, now=clock.wall)
    recorder({"phase": "import", "fraction": None, "message": "importing x.glb"})
    clock.t += 2.0  # the set-up does not count towards the render's estimate
    recorder({"phase": "render", "fraction": None, "message": "rendering 36 frames"})
    clock.t += 30.0
    recorder(frame_event(9, 36))

    assert [s["phase"] for s in sent] == ["import", "render", "render"]
    assert sent[0]["eta_s"] is None  # set-up phases have no estimate
    last = sent[-1]
    assert (last["frame"], last["frames"], last["fraction"]) == (9, 36, 0.25)
    assert last["elapsed_s"] == 30.0
    assert last["eta_s"] == 90.0
    assert last["job_id"] == "line-1"
    assert "sample" not in last


def test_at_most_one_snapshot_per_interval_and_the_newest_always_arrives() -> None:
    clock = Clock()
    sent: list[dict[str, Any]] = []
    recorder = ProgressRecorder(sent.append, job_id="j", min_interval_s=0.5, clock=clock, now=clock.wall)
    for i in range(1, 37):  # 36 frames in 3.6 s
        recorder(frame_event(i, 36))
        clock.t += 0.1
    recorder.flush()
    times = [datetime.fromisoformat(s["updated_at"]) for s in sent]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert all(gap >= 0.5 - 1e-9 for gap in gaps[:-1]), gaps  # the flush at the end may be early
    assert len(sent) <= 3.6 / 0.5 + 2
    frames = [s["frame"] for s in sent]
    assert frames == sorted(frames)
    assert frames[-1] == 36


def test_a_pause_still_delivers_the_pending_snapshot() -> None:
    sent: list[dict[str, Any]] = []
    recorder = ProgressRecorder(sent.append, job_id="j", min_interval_s=0.2)
    recorder(frame_event(1, 4))
    recorder(frame_event(2, 4))  # within the interval: held back
    assert [s["frame"] for s in sent] == [1]
    deadline = time.monotonic() + 2
    while len(sent) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [s["frame"] for s in sent] == [1, 2]


def test_a_stopped_recorder_drops_what_is_pending() -> None:
    sent: list[dict[str, Any]] = []
    recorder = ProgressRecorder(sent.append, job_id="j", min_interval_s=0.2)
    recorder(frame_event(1, 4))
    recorder(frame_event(2, 4))
    recorder.stop()
    time.sleep(0.3)
    assert [s["frame"] for s in sent] == [1]

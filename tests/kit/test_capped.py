"""kit.capped.stream_module: a capped child's answer in parts, each as soon as it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from automat.kit.capped import CapLimits, CappedFailure, stream_module
from automat.kit.errors import Unprocessable

CHILD = "tests.kit.capped_parts_child"
LIMITS = CapLimits(timeout_s=60, memory_mb=512)


def test_parts_arrive_while_the_child_is_still_writing(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    parts = stream_module(CHILD, {"parts": 3, "gate": str(gate)}, LIMITS)
    # The child waits for the gate after its first part: had the caller to wait for the whole
    # answer, neither would ever go on.
    assert next(parts) == {"part": 0}
    gate.touch()
    assert list(parts) == [{"part": 1}, {"part": 2}]


def test_a_failure_after_some_parts_is_raised_after_them(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    gate.touch()
    received = []
    with pytest.raises(Unprocessable) as failed:
        for part in stream_module(CHILD, {"parts": 2, "gate": str(gate), "then": "fail"}, LIMITS):
            received.append(part)
    assert received == [{"part": 0}, {"part": 1}]
    assert failed.value.code == "bad_part"
    with pytest.raises(CappedFailure) as crashed:
        list(stream_module(CHILD, {"parts": 2, "gate": str(gate), "then": "crash"}, LIMITS))
    assert (crashed.value.kind, crashed.value.detail) == ("crashed", "exit status 3")


def test_the_timeout_stops_a_child_that_waits(tmp_path: Path) -> None:
    parts = stream_module(
        CHILD, {"parts": 2, "gate": str(tmp_path / "never")}, CapLimits(timeout_s=1, memory_mb=512)
    )
    assert next(parts) == {"part": 0}
    with pytest.raises(CappedFailure) as stopped:
        next(parts)
    assert stopped.value.kind == "timeout"

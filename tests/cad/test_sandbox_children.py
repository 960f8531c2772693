"""Each file is read by a converter process of its own, forked and warmed up before it came."""

from __future__ import annotations

import time
from pathlib import Path

from automat.cad.sandbox import Sandbox, SandboxLimits
from tests.cad.conftest import BEARING, fixture


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_every_file_is_read_by_a_process_of_its_own(tmp_path: Path) -> None:
    sandbox = Sandbox()
    try:
        limits = SandboxLimits()
        results = [
            sandbox.convert(fixture(BEARING), tmp_path / f"{n}.glb", tol_linear_mm=0.1, limits=limits)
            for n in range(3)
        ]
        readers = [r.child_pid for r in results]
        assert None not in readers
        assert len(set(readers)) == 3  # no process reads a second file
        assert sandbox.pid not in readers  # nor does the converter itself
        deadline = time.monotonic() + 30
        while sandbox.pid is not None and not (waiting := _children(sandbox.pid)):
            assert time.monotonic() < deadline, "no converter child waiting for the next file"
            time.sleep(0.05)
        assert set(waiting).isdisjoint(readers)  # the next file's process is already there, unused
    finally:
        sandbox.close()

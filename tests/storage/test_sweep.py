"""Temp files of ended processes are swept (older than the setting), never those of live ones."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.signals import worker_ready

from automat.core.storage import default_storage
from automat.kit.storage import LocalStorage
from automat.worker.celery_app import BEAT_SCHEDULE

HOUR = 3600.0

# A process that makes what a render worker and an upload make, then waits to be killed.
MAKER = """
import sys, time
from pathlib import Path
from automat.kit.storage import LocalStorage
storage = LocalStorage(Path(sys.argv[1]))
work = storage.temp_dir("line")
(work / "frame_0001.png").write_bytes(b"x" * 1000)
upload = storage.temp_path("upload")
upload.write_bytes(b"y" * 500)
print(work, upload, flush=True)
time.sleep(600)
"""


def _spawn(root: Path) -> tuple[subprocess.Popen[str], Path, Path]:
    proc = subprocess.Popen([sys.executable, "-c", MAKER, str(root)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    work, upload = proc.stdout.readline().split()
    return proc, Path(work), Path(upload)


def _age(*paths: Path, hours: float) -> None:
    then = time.time() - hours * HOUR
    for path in paths:
        os.utime(path, (then, then))


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def test_entries_of_a_live_process_stay_and_those_of_a_killed_one_go(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "storage")
    proc, work, upload = _spawn(storage.root)
    try:
        assert work.name.startswith("automat-line-") and upload.name.startswith("automat-upload-")
        _age(work, upload, hours=48)
        report = storage.sweep_temp(6 * HOUR)
        assert report.removed == []
        assert report.kept_in_use == 2
        assert work.is_dir() and upload.is_file()  # in use: kept, however old
    finally:
        _kill(proc)

    young_proc, young_work, _ = _spawn(storage.root)
    _kill(young_proc)
    report = storage.sweep_temp(6 * HOUR)
    assert sorted(report.removed) == sorted([work.name, upload.name])
    assert report.freed_bytes == 1500
    assert not work.exists() and not upload.exists()
    assert young_work.is_dir()  # its owner is gone too, but it is younger than the limit
    assert report.kept_young == 2


def test_this_process_own_entries_are_in_use(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "storage")
    mine = storage.temp_dir("cad")
    legacy = storage.tmp / "tmpabc123"  # made by an older version: no owner to ask, so age decides
    legacy.write_bytes(b"old")
    _age(mine, legacy, hours=100)
    report = storage.sweep_temp(1 * HOUR)
    assert report.removed == ["tmpabc123"]
    assert mine.is_dir()


@pytest.mark.usefixtures("celery_worker_process")
def test_beat_sweeps_with_the_installation_setting_and_workers_sweep_at_start() -> None:
    assert BEAT_SCHEDULE["sweep-temp-files"]["task"] == "automat.storage.tasks.sweep_temp"
    storage = default_storage()
    dead_proc, dead, dead_upload = _spawn(storage.root)
    _kill(dead_proc)
    mine = storage.temp_dir("thumb")
    _age(dead, dead_upload, mine, hours=7)  # older than the default of 6 hours
    from automat.storage.tasks import sweep_temp

    outcome = sweep_temp.delay().get(timeout=60)  # on the real worker, as beat would send it
    assert {dead.name, dead_upload.name} <= set(outcome["removed"])
    assert not dead.exists()
    assert mine.is_dir()  # this test process is alive: its folder stays

    again_proc, again, _ = _spawn(storage.root)
    _kill(again_proc)
    _age(again, hours=7)
    from automat.storage.tasks import _sweep_temp_at_start

    assert _sweep_temp_at_start in worker_ready._live_receivers(None)  # what a starting worker calls
    _sweep_temp_at_start()
    assert not again.exists()
    assert mine.is_dir()
    mine.rmdir()

"""Stopping a render for real: the whole process group, politely first, then by force."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kill_group(pgid: int, *, grace_s: float, proc: subprocess.Popen[bytes] | None = None) -> bool:
    """SIGTERM the group, SIGKILL it after ``grace_s``; return True when SIGKILL was needed."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if proc is not None:
            proc.poll()
        if not group_alive(pgid):
            return False
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    if proc is not None:
        proc.wait()
    deadline = time.monotonic() + 5.0
    while group_alive(pgid) and time.monotonic() < deadline:  # until reaped (by us or by init)
        time.sleep(0.02)
        if proc is not None:
            proc.poll()
    return True

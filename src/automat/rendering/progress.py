"""A render's progress as the platform keeps it: what the render host reports, throttled, with an
estimate of the time left.

The host sends a progress line per phase, per Cycles sample pass and per turntable frame (see
``automat.blender.output``): far more than a browser needs. ``ProgressRecorder`` folds them into
one snapshot and hands it to a sink (store it on the order line, publish it live) at most every
``min_interval_s`` — the newest snapshot always reaches the sink, a trailing one after the
interval, the last one on ``flush``.

The estimate is the simplest honest one: a phase that took ``elapsed`` seconds for ``fraction``
of its work needs ``elapsed / fraction - elapsed`` more, once a fraction above 0 is known.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from automat.kit.time import utcnow

COUNTS = ("frame", "frames", "sample", "samples")
# Phases whose fraction measures the work left (the others are short set-up steps).
MEASURED_PHASES = frozenset({"render", "encode", "shadow"})
Sink = Callable[[dict[str, Any]], None]


def eta_seconds(elapsed_s: float, fraction: float | None) -> float | None:
    """Seconds left for work that is ``fraction`` done after ``elapsed_s``: None while unknown."""
    if fraction is None or fraction <= 0 or elapsed_s < 0:
        return None
    if fraction >= 1:
        return 0.0
    return elapsed_s / fraction - elapsed_s


class ProgressRecorder:
    """Callable with the host's progress events; calls ``sink(snapshot)`` at most every
    ``min_interval_s`` (the last snapshot after a pause, through a timer thread)."""

    def __init__(
        self,
        sink: Sink,
        *,
        job_id: str,
        min_interval_s: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sink, self.job_id, self.min_interval_s = sink, job_id, min_interval_s
        self.clock, self.now = clock, now
        self._lock = threading.Lock()
        self._phase: str | None = None
        self._phase_started = 0.0
        self._phase_started_at: datetime | None = None
        self._pending: dict[str, Any] | None = None
        self._last_sent = -float("inf")
        self._timer: threading.Timer | None = None
        self.sent: list[dict[str, Any]] = []  # every snapshot handed to the sink, in order

    def snapshot(self, event: dict[str, Any]) -> dict[str, Any]:
        """The event as the line stores it (phase timing and the estimate added)."""
        phase = str(event.get("phase") or "")
        clock = self.clock()
        if phase != self._phase:
            self._phase, self._phase_started, self._phase_started_at = phase, clock, self.now()
        elapsed = max(0.0, clock - self._phase_started)
        fraction = event.get("fraction")
        fraction = None if fraction is None else max(0.0, min(1.0, float(fraction)))
        eta = eta_seconds(elapsed, fraction) if phase in MEASURED_PHASES else None
        updated = self.now()
        assert self._phase_started_at is not None
        return {
            "job_id": self.job_id,
            "phase": phase,
            "message": str(event.get("message") or phase),
            "fraction": fraction,
            **{key: int(event[key]) for key in COUNTS if event.get(key) is not None},
            "phase_started_at": self._phase_started_at.isoformat(),
            "updated_at": updated.isoformat(),
            "elapsed_s": round(elapsed, 2),
            "eta_s": None if eta is None else round(eta, 1),
        }

    def __call__(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._pending = self.snapshot(event)
            wait = self._last_sent + self.min_interval_s - self.clock()
            if wait <= 0:
                self._send_locked()
            elif self._timer is None:
                self._timer = threading.Timer(wait, self._trailing)
                self._timer.daemon = True
                self._timer.start()

    def _trailing(self) -> None:
        with self._lock:
            self._timer = None
            self._send_locked()

    def _send_locked(self) -> None:
        if self._pending is None:
            return
        snapshot, self._pending = self._pending, None
        self._last_sent = self.clock()
        self.sent.append(snapshot)
        self.sink(snapshot)

    def flush(self) -> None:
        """Hand the newest snapshot to the sink now (the render has ended)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._send_locked()

    def stop(self) -> None:
        """Drop what is pending (a cancelled or failed render: its progress no longer matters)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._pending = None

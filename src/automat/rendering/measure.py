"""A finished render in the metrics (duration and device class) and its device on the Workers
page, the same for order lines and CAD thumbnails."""

from __future__ import annotations

from automat.core import metrics
from automat.rendering.spec import RenderJobResult
from automat.worker import heartbeat


def measured(step: str, result: RenderJobResult) -> None:
    device = metrics.device_class(result.device)
    metrics.RENDERS.labels(device, result.status).inc()
    if result.timings:
        metrics.RENDER_DURATION.labels(step, device).observe(sum(result.timings.values()))
    heartbeat.note_device(result.device)

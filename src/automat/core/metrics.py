"""Prometheus metrics: what the API and the workers count and time, in one place (issue 17).

Every process of an installation records into the same metric objects defined here. With
``PROMETHEUS_MULTIPROC_DIR`` set (``automat up`` and ``automat worker|api`` set it to
``$AUTOMAT_HOME/metrics/<host>`` before anything imports prometheus_client), each process writes
its values to memory-mapped files in that directory and ``GET /metrics`` sums them, so work done in
Celery's pool processes is visible, not only the API's. A worker on another host serves its own
host's directory with ``automat worker --metrics-port``. Without the variable (tests, tools) the
values live in the process and ``/metrics`` shows that process only.

Values read at scrape time (queue lengths, active workers) are not stored: ``ScrapeCollector``
asks Redis when Prometheus asks.

Names follow Prometheus' conventions: ``automat_`` prefix, base units (seconds), ``_total`` for
counters. Label values are bounded sets (route templates, step names, queue names, outcomes):
never an id.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import REGISTRY, Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Seconds: from a fast API call to a long turntable render.
_HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_WORK_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600)

HTTP_REQUEST_DURATION = Histogram(
    "automat_http_request_duration_seconds",
    "API request durations by route template, method and status code.",
    ["method", "route", "status"],
    buckets=_HTTP_BUCKETS,
)
PIPELINE_STEPS = Counter(
    "automat_pipeline_steps_total",
    "Pipeline steps finished, by step and outcome (done, error).",
    ["step", "outcome"],
)
PIPELINE_STEP_DURATION = Histogram(
    "automat_pipeline_step_duration_seconds",
    "How long pipeline steps took, by step.",
    ["step"],
    buckets=_WORK_BUCKETS,
)
TASKS = Counter(
    "automat_celery_tasks_total",
    "Celery tasks ended, by task name and outcome (succeeded, failed, retried, revoked).",
    ["task", "outcome"],
)
RENDER_DURATION = Histogram(
    "automat_render_duration_seconds",
    "Blender render (and export) durations by step and device class (gpu, cpu).",
    ["step", "device"],
    buckets=_WORK_BUCKETS,
)
RENDERS = Counter(
    "automat_renders_total",
    "Renders ended, by device class (gpu, cpu: the CPU fallback included) and status.",
    ["device", "status"],
)
CONVERSION_DURATION = Histogram(
    "automat_cad_conversion_duration_seconds",
    "STEP to GLB conversion durations (OpenCASCADE), successful or not.",
    ["outcome"],
    buckets=_WORK_BUCKETS,
)
RENDER_HOST_RESTARTS = Counter(
    "automat_render_host_restarts_total",
    "Render host (Blender process) starts after the first one of a worker: crashes, kills on cancel.",
)
DB_CONNECTIONS_IN_USE = Gauge(
    "automat_db_pool_connections_in_use",
    "Database connections checked out of the pools, summed over the live processes.",
    ["role"],
    multiprocess_mode="livesum",
)
DB_CONNECTIONS_OPEN = Gauge(
    "automat_db_pool_connections_open",
    "Database connections the pools hold open, summed over the live processes.",
    ["role"],
    multiprocess_mode="livesum",
)


def device_class(device: str | None) -> str:
    """'cpu' for the CPU (a fallback included: its label starts with CPU), else 'gpu'."""
    return "cpu" if not device or device.strip().upper().startswith("CPU") else "gpu"


def multiprocess_dir() -> Path | None:
    value = os.environ.get(MULTIPROC_ENV)
    return Path(value) if value else None


def prepare_multiprocess_dir(path: Path, *, fresh: bool) -> Path:
    """Create the directory for the processes' metric files; ``fresh`` empties it (a new start:
    files of processes from an earlier run would count twice)."""
    path.mkdir(parents=True, exist_ok=True)
    if fresh:
        for old in path.glob("*.db"):
            old.unlink(missing_ok=True)
    return path


def process_exited(pid: int) -> None:
    """A process of this host ended: its live gauges stop counting (counters and histograms keep
    what it recorded, as Prometheus expects of a counter)."""
    if multiprocess_dir() is not None:
        mark_process_dead(pid)  # type: ignore[no-untyped-call]


# {metric name: (help, label names, {label values: value})}
ScrapeValues = dict[str, tuple[str, list[str], dict[tuple[str, ...], float]]]


class ScrapeCollector(Collector):
    """Gauges computed when Prometheus scrapes: ``read()`` returns {metric: (help, label names,
    {label values: value})}. A failing reader costs its metrics, not the scrape."""

    def __init__(self, read: Callable[[], ScrapeValues]) -> None:
        self._read = read

    def collect(self) -> Iterator[Metric]:
        try:
            values = self._read()
        except Exception:  # an unreachable broker must not take the other metrics down
            return
        for name, (help_text, labels, samples) in values.items():
            family = GaugeMetricFamily(name, help_text, labels=labels)
            for label_values, value in samples.items():
                family.add_metric(list(label_values), value)
            yield family


def exposition(extra: Iterable[Collector] = ()) -> bytes:
    """The text format of every metric: of all processes of this host in multiprocess mode, of
    this process otherwise, plus the scrape-time ``extra`` collectors."""
    registry: CollectorRegistry
    if multiprocess_dir() is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    output = generate_latest(registry)
    if extra:
        scrape = CollectorRegistry()
        for collector in extra:
            scrape.register(collector)
        output += generate_latest(scrape)
    return output


def serve(port: int, addr: str = "0.0.0.0") -> None:  # a worker host's scrape port: every interface
    """Serve this host's metrics on ``port`` from a background thread (a worker on a host without
    the API: ``automat worker --metrics-port``)."""
    registry: CollectorRegistry = REGISTRY
    if multiprocess_dir() is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    start_http_server(port, addr=addr, registry=registry)

"""``PipelineLogger``: one call per step event writes it three ways.

1. a Python log line ``[STEP_NAME] message`` (what an operator greps),
2. a JSON event on the tenant's Redis channel (what the browser shows live),
3. a ``pipeline_events`` row, in a transaction of its own so a failing step's record survives
   the rollback of the step's work (what the job's history is built from).

A failure to publish or to record never breaks the step itself; it is logged.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import redis

from automat.core import events, metrics
from automat.core.db import SyncDatabase
from automat.kit.time import utcnow
from automat.models.pipeline import PipelineEvent
from automat.pipeline.steps import ProcessStep

log = logging.getLogger("automat.pipeline")


@dataclass
class StepHandle:
    """What ``with pl.step(...) as h`` yields: report progress, attach outputs to the done event."""

    logger: PipelineLogger
    step: ProcessStep
    started: float
    context: dict[str, Any] = field(default_factory=dict)

    def progress(
        self, message: str, *, fraction: float | None = None, persist: bool = True, **ctx: Any
    ) -> None:
        self.logger.step_progress(self.step, message, fraction=fraction, persist=persist, **ctx)

    @property
    def elapsed_s(self) -> float:
        return time.perf_counter() - self.started


class PipelineLogger:
    def __init__(
        self,
        *,
        tenant_id: uuid.UUID | str,
        db: SyncDatabase,
        redis_client: redis.Redis | None,
        job_id: str | None = None,
        task_id: str | None = None,
    ) -> None:
        self.tenant_id = uuid.UUID(str(tenant_id))
        self.db = db
        self.redis = redis_client
        self.job_id = job_id
        self.task_id = task_id

    # -- the four events ---------------------------------------------------------------------
    def step_start(self, step: ProcessStep, message: str = "started", **context: Any) -> None:
        self._emit(step, "start", logging.INFO, message, None, context)

    def step_progress(
        self,
        step: ProcessStep,
        message: str,
        *,
        fraction: float | None = None,
        persist: bool = True,
        **context: Any,
    ) -> None:
        if fraction is not None:
            context["fraction"] = round(max(0.0, min(1.0, fraction)), 4)
        self._emit(step, "progress", logging.INFO, message, None, context, persist=persist)

    def step_done(
        self, step: ProcessStep, message: str = "done", *, duration_s: float | None = None, **context: Any
    ) -> None:
        self._emit(step, "done", logging.INFO, message, duration_s, context)

    def step_error(
        self, step: ProcessStep, message: str, *, duration_s: float | None = None, **context: Any
    ) -> None:
        self._emit(step, "error", logging.ERROR, message, duration_s, context)

    @contextmanager
    def step(self, step: ProcessStep, message: str = "started", **context: Any) -> Iterator[StepHandle]:
        """Time a step; on an exception record it as the step's error and re-raise."""
        handle = StepHandle(self, step, time.perf_counter())
        self.step_start(step, message, **context)
        try:
            yield handle
        except BaseException as exc:
            text = str(exc) or exc.__class__.__name__
            self.step_error(
                step,
                text,
                duration_s=round(handle.elapsed_s, 3),
                exception=exc.__class__.__name__,
                **handle.context,
            )
            raise
        self.step_done(step, duration_s=round(handle.elapsed_s, 3), **handle.context)

    # -- plumbing ---------------------------------------------------------------------------
    def _emit(
        self,
        step: ProcessStep,
        kind: str,
        level: int,
        message: str,
        duration_s: float | None,
        context: dict[str, Any],
        *,
        persist: bool = True,
    ) -> None:
        if kind in ("done", "error"):
            try:
                _count_step(step, kind, duration_s)
            except Exception:  # the step matters more than its metrics
                log.warning("could not count pipeline step %s", step.value, exc_info=True)
        suffix = f" ({duration_s:.2f} s)" if duration_s is not None and kind != "progress" else ""
        log.log(level, "%s %s%s", step.prefix, message, suffix, extra={"job_id": self.job_id})
        level_name = logging.getLevelName(level).lower()
        ctx = {"kind": kind, **context}
        event = {
            "type": "pipeline_event",
            "kind": kind,
            "step": step.value,
            "label": step.label,
            "level": level_name,
            "message": message,
            "duration_s": duration_s,
            "job_id": self.job_id,
            "task_id": self.task_id,
            "context": context,
            "at": utcnow().isoformat(),
        }
        if self.redis is not None:
            try:
                events.publish(self.redis, self.tenant_id, event)
            except Exception:  # the step matters more than its live view
                log.warning("could not publish pipeline event", exc_info=True)
        if persist:
            try:
                with self.db.session(self.tenant_id) as session:
                    session.add(
                        PipelineEvent(
                            tenant_id=self.tenant_id,
                            task_id=self.task_id,
                            job_id=self.job_id,
                            step_name=step.value,
                            level=level_name,
                            message=message,
                            duration_s=duration_s,
                            context=_jsonable(ctx),
                        )
                    )
            except Exception:
                log.warning("could not record pipeline event", exc_info=True)


def _count_step(step: ProcessStep, outcome: str, duration_s: float | None) -> None:
    metrics.PIPELINE_STEPS.labels(step.value, outcome).inc()
    if duration_s is None:
        return
    metrics.PIPELINE_STEP_DURATION.labels(step.value).observe(duration_s)
    if step is ProcessStep.OCC_GLB_EXPORT:
        metrics.CONVERSION_DURATION.labels(outcome).observe(duration_s)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)

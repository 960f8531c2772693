"""``RenderJobDocument``: the record of one render job, stored as JSONB on its order line.

It is the single place a job's state lives: which Celery task and render process run it, every
step with its timings and outputs, errors, and the result. State changes go through
``set_state``, which refuses illegal moves (a completed job never runs again).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from automat.kit.errors import Conflict
from automat.kit.time import utcnow
from automat.pipeline.steps import ProcessStep


class JobState(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL_STATES = frozenset({JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED})

ALLOWED_TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.PENDING: frozenset({JobState.QUEUED, JobState.RUNNING, JobState.FAILED, JobState.CANCELLED}),
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.FAILED, JobState.CANCELLED}),
    # running -> queued: the task was redelivered after its worker died.
    JobState.RUNNING: frozenset({JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED, JobState.QUEUED}),
    JobState.COMPLETED: frozenset(),
    # A failed or cancelled job may be queued again (retry, resubmission).
    JobState.FAILED: frozenset({JobState.QUEUED}),
    JobState.CANCELLED: frozenset({JobState.QUEUED}),
}


class IllegalJobTransition(Conflict):
    """This change of job state is not allowed."""

    code = "illegal_transition"


class StepStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    SKIPPED = "skipped"


class StepRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ProcessStep
    # The workflow node that ran it, where one job runs a step more than once (two stills).
    node: str | None = None
    status: StepStatus
    started_at: datetime | None = None
    completed_at: datetime | None = None
    duration_s: float | None = None
    attempts: int = 0
    outputs: dict[str, Any] = Field(default_factory=dict)
    engine: str | None = None
    device: str | None = None
    gpu_info: dict[str, Any] | None = None
    message: str | None = None
    error: str | None = None


class JobResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    output_path: str | None = None
    duration_s: float | None = None
    engine_used: str | None = None
    gpu_info: dict[str, Any] | None = None


class JobError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: datetime
    message: str
    step: ProcessStep | None = None


class JobWarning(BaseModel):
    """Something a person should know about a job that still succeeded (``info``: only a note)."""

    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    severity: Literal["warning", "info"] = "warning"
    step: ProcessStep | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class StateChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: datetime
    from_state: JobState
    to_state: JobState
    reason: str | None = None


class RenderJobDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    version: int = 1
    job_id: str
    state: JobState = JobState.PENDING
    celery_task_id: str | None = None
    pid: int | None = None  # the render host's process (its process group is killed on cancel)
    host: str | None = None  # the machine the task runs on
    steps: list[StepRecord] = Field(default_factory=list)
    error: str | None = None
    errors: list[JobError] = Field(default_factory=list)
    warnings: list[JobWarning] = Field(default_factory=list)
    result: JobResult | None = None
    history: list[StateChange] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    # -- state ---------------------------------------------------------------------------------
    def can_move_to(self, state: JobState) -> bool:
        return state == self.state or state in ALLOWED_TRANSITIONS[self.state]

    def set_state(self, state: JobState, *, reason: str | None = None) -> None:
        if state == self.state:
            return
        if state not in ALLOWED_TRANSITIONS[self.state]:
            raise IllegalJobTransition(
                f"A {self.state.value} job cannot become {state.value}.",
                details={"from": self.state.value, "to": state.value},
            )
        now = utcnow()
        self.history.append(StateChange(at=now, from_state=self.state, to_state=state, reason=reason))
        self.state = state
        self.updated_at = now

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    # -- steps ---------------------------------------------------------------------------------
    def step(self, name: ProcessStep, node: str | None = None) -> StepRecord | None:
        """The step's record (``node``: the one that node ran; None: the first of that name)."""
        return next((s for s in self.steps if s.name == name and (node is None or s.node == node)), None)

    def begin_step(self, name: ProcessStep, *, node: str | None = None, **fields: Any) -> StepRecord:
        """Mark a step running. A step that failed or was interrupted may begin again."""
        record = self.step(name, node)
        now = utcnow()
        if record is None:
            record = StepRecord(name=name, node=node, status=StepStatus.RUNNING)
            self.steps.append(record)
        elif record.status is StepStatus.COMPLETED:
            raise IllegalJobTransition(f"Step {name.value} has already completed.")
        record.status = StepStatus.RUNNING
        record.started_at = now
        record.completed_at = None
        record.duration_s = None
        record.error = None
        record.attempts += 1
        for key, value in fields.items():
            setattr(record, key, value)
        self.updated_at = now
        return record

    def _end_step(
        self, name: ProcessStep, status: StepStatus, fields: dict[str, Any], node: str | None = None
    ) -> StepRecord:
        record = self.step(name, node)
        now = utcnow()
        if record is None:
            record = StepRecord(name=name, node=node, status=status, started_at=now)
            self.steps.append(record)
        elif record.status is not StepStatus.RUNNING:
            raise IllegalJobTransition(f"Step {name.value} is {record.status.value}, not running.")
        record.status = status
        record.completed_at = now
        if record.started_at is not None:
            record.duration_s = round((now - record.started_at).total_seconds(), 3)
        for key, value in fields.items():
            setattr(record, key, value)
        self.updated_at = now
        return record

    def finish_step(
        self,
        name: ProcessStep,
        *,
        outputs: dict[str, Any] | None = None,
        node: str | None = None,
        **fields: Any,
    ) -> StepRecord:
        if outputs is not None:
            fields["outputs"] = outputs
        return self._end_step(name, StepStatus.COMPLETED, fields, node)

    def fail_step(
        self, name: ProcessStep, error: str, *, node: str | None = None, **fields: Any
    ) -> StepRecord:
        record = self._end_step(name, StepStatus.FAILED, {**fields, "error": error}, node)
        self.append_error(error, step=name)
        return record

    def skip_step(self, name: ProcessStep, reason: str) -> StepRecord:
        record = self.step(name)
        if record is not None and record.status is StepStatus.COMPLETED:
            raise IllegalJobTransition(f"Step {name.value} has already completed.")
        if record is None:
            record = StepRecord(name=name, status=StepStatus.SKIPPED)
            self.steps.append(record)
        record.status = StepStatus.SKIPPED
        record.message = reason
        record.completed_at = utcnow()
        self.updated_at = record.completed_at
        return record

    def append_error(self, message: str, *, step: ProcessStep | None = None) -> None:
        now = utcnow()
        self.errors.append(JobError(at=now, message=message, step=step))
        self.error = message
        self.updated_at = now

    def set_step_warnings(self, name: ProcessStep, warnings: list[dict[str, Any]]) -> None:
        """The warnings of one step; a step that runs again replaces what it said before."""
        kept = [w for w in self.warnings if w.step != name]
        self.warnings = kept + [JobWarning.model_validate({**w, "step": name}) for w in warnings]
        self.updated_at = utcnow()

    # -- storage -------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RenderJobDocument:
        return cls.model_validate(data)

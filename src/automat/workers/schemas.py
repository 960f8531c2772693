from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class RunningTask(BaseModel):
    id: str | None
    name: str
    pid: int | None = None
    started_at: datetime | None = None


class WorkerOut(BaseModel):
    name: str = Field(description="Celery node name, e.g. render@host-3")
    host: str
    pid: int | None
    queues: list[str]
    pool_size: int | None = Field(description="processes in the worker's pool now")
    version: str | None
    device: str | None = Field(
        description="the device of its last render: a GPU's name, or the CPU fallback and why"
    )
    state: str = Field(description="online, stopped (shut down cleanly) or offline (no heartbeat lately)")
    started_at: datetime | None
    last_seen: datetime
    current_tasks: list[RunningTask]


class QueueOut(BaseModel):
    name: str
    length: int = Field(description="tasks waiting in the broker")
    workers_online: int


class BlockOut(BaseModel):
    """A worker's failures of one step in a row, and whether it is blocklisted for that step."""

    id: int
    worker: str = Field(description="the worker's Celery node name")
    step: str
    failures: int = Field(description="jobs of the step that failed on the worker in a row")
    blocklisted: bool = Field(description="true: the worker hands this step's jobs back to other workers")
    blocklisted_at: datetime | None
    last_error: str | None
    last_failure_at: datetime | None
    cleared_at: datetime | None
    cleared_by: str | None = Field(description="e-mail of who cleared it last")

    @classmethod
    def of(cls, block: Any, cleared_by: str | None) -> BlockOut:
        return cls(
            id=block.id, worker=block.worker, step=block.step, failures=block.failures,
            blocklisted=block.blocklisted_at is not None, blocklisted_at=block.blocklisted_at,
            last_error=block.last_error, last_failure_at=block.last_failure_at,
            cleared_at=block.cleared_at, cleared_by=cleared_by,
        )  # fmt: skip


class WorkersOverview(BaseModel):
    workers: list[WorkerOut]
    queues: list[QueueOut]
    blocklist: list[BlockOut] = Field(
        default_factory=list, description="workers blocklisted for a step, or counting failures of one"
    )
    blocklist_threshold: int = Field(
        default=0, description="failures in a row that blocklist a worker for a step (0: off)"
    )


MAX_POOL = 64


class WorkerConfigIn(BaseModel):
    min_concurrency: int = Field(ge=1, le=MAX_POOL, description="processes per worker at least")
    max_concurrency: int = Field(ge=1, le=MAX_POOL, description="processes per worker at most")


class WorkerConfigOut(BaseModel):
    queue_name: str
    configured: bool = Field(description="false: the workers keep the pool they were started with")
    min_concurrency: int | None
    max_concurrency: int | None
    updated_at: datetime | None
    updated_by: str | None = Field(description="e-mail of who changed it last")

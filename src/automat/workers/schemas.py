from __future__ import annotations

from datetime import datetime

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


class WorkersOverview(BaseModel):
    workers: list[WorkerOut]
    queues: list[QueueOut]


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

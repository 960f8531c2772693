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

"""What the admin actions' routes take and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from automat.admin_actions.actions import ActionName
from automat.kit.pagination import Page
from automat.models.admin_job import AdminJob

JobStateName = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class ThumbnailParams(BaseModel):
    """Which CAD files get a new thumbnail: every ready file of the tenant, or those the filters
    leave (all of them apply together)."""

    model_config = ConfigDict(extra="forbid")

    cad_file_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=10_000, description="only these files (ids); leave it out for all"
    )
    only_fallback: bool = Field(
        default=False,
        description="only files with a part in the fallback material (magenta: no alias matched it)",
    )
    created_since: datetime | None = Field(default=None, description="only files uploaded since then")


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Estimate(BaseModel):
    items: int = Field(description="how many items the action would touch now")
    unit: str = Field(description="what an item is: thumbnail, file, line or asset")
    per_item_s: float = Field(description="the expected seconds per item")
    seconds: float = Field(description="items times per_item_s")
    basis: Literal["measured", "past_jobs", "default"] = Field(
        description="measured: the median of the last measured step durations; past_jobs: of this "
        "action's last jobs; default: nothing measured yet"
    )
    samples: int = Field(description="how many measurements the median is of")


class ActionRead(BaseModel):
    name: ActionName
    help_key: str
    route: str
    estimate: Estimate
    running_job: JobRead | None = Field(description="the job of this action that is queued or running")


class JobRead(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    action: ActionName
    params: dict[str, Any]
    state: JobStateName
    total: int
    done: int
    failed: int
    progress: dict[str, Any] = Field(
        description="what it is doing now: item, message, fraction of the item, host_pid while "
        "Blender renders; on a job failed as stalled (its worker lost), `stalled`: `{minutes, "
        "heartbeat_at}`"
    )
    expected_s: float | None
    requested_by: uuid.UUID | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None

    @classmethod
    def of(cls, job: AdminJob) -> JobRead:
        return cls(
            id=job.id,
            tenant_id=job.tenant_id,
            action=ActionName(job.action),
            params=job.params or {},
            state=job.state,
            total=job.total,
            done=job.done,
            failed=job.failed,
            progress=job.progress or {},
            expected_s=job.expected_s,
            requested_by=job.requested_by,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            error=job.error,
        )


class JobPage(Page[JobRead]):
    pass


def job_event(job: AdminJob) -> dict[str, Any]:
    """The live event of a job's change (``admin_job`` on /api/ws)."""
    return {"type": "admin_job", "job_id": f"admin:{job.id}", "job": JobRead.of(job).model_dump(mode="json")}


ActionRead.model_rebuild()

"""Admin actions' jobs (issue 15): one row per maintenance action a tenant admin started.

A job is queued, then running (a worker took it), then succeeded, failed or cancelled. ``total``
is how many items the action touches (fixed when it starts), ``done`` and ``failed`` count them as
they finish; ``progress`` is what it is doing now (the item, the render's phase, the render host's
pid while Blender renders). The partial unique index ``uq_admin_jobs_one_live`` lets a tenant run
each action once at a time: a second start while one is queued or running clashes in the database,
whatever the API processes race.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, IdMixin, TenantMixin, TimestampMixin


class AdminJobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


LIVE_STATES = (AdminJobState.QUEUED.value, AdminJobState.RUNNING.value)
ADMIN_JOB_STATES = tuple(s.value for s in AdminJobState)


class AdminJob(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "admin_jobs"
    __table_args__ = (
        CheckConstraint(f"state IN {ADMIN_JOB_STATES!r}", name="state_known"),
        Index("ix_admin_jobs_tenant_created", "tenant_id", "created_at", "id"),
        Index(
            "uq_admin_jobs_one_live",
            "tenant_id",
            "action",
            unique=True,
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
    )

    action: Mapped[str] = mapped_column(String(60), nullable=False)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=AdminJobState.QUEUED)
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The items it touches (ids), fixed when it was started; what it is doing now.
    items: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    progress: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    # The expected seconds when it was started (what the confirmation said).
    expected_s: Mapped[float | None] = mapped_column(nullable=True)
    task_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)

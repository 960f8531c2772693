from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base


class WorkerConfig(Base):
    """How many processes the workers of a queue run, at least and at most (installation-wide).
    A queue without a row keeps the pool its workers were started with."""

    __tablename__ = "worker_configs"

    queue_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    min_concurrency: Mapped[int] = mapped_column(Integer, nullable=False)
    max_concurrency: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )
    updated_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)


class WorkerBlock(Base):
    """A worker's failures of one step in a row, and whether it is blocklisted for that step
    (``workers/blocklist.py``). Installation-wide: a worker serves every tenant."""

    __tablename__ = "worker_blocklist"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    worker: Mapped[str] = mapped_column(String(200), nullable=False)
    step: Mapped[str] = mapped_column(String(64), nullable=False)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    blocklisted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cleared_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)

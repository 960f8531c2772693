from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, func
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

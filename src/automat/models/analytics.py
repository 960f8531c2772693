"""Analytics rollups: one row per finished render job and per processed CAD file.

Written only by the database (triggers ``render_stats_write`` on ``order_lines`` and
``cad_stats_write`` on ``cad_files``, migration 0031); the analytics queries read them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Float, Identity, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base, TenantMixin

_FIGURES = ["output_type_id", "kind", "status", "device", "render_s", "wait_s", "e2e_s"]


class RenderStat(TenantMixin, Base):
    __tablename__ = "render_stats"
    __table_args__ = (
        UniqueConstraint("job_id", name="uq_render_stats_job"),
        # Covering (migration 0033): the render summary reads its rows from the index alone.
        Index("ix_render_stats_tenant_day_figures", "tenant_id", "day", postgresql_include=_FIGURES),
        Index("ix_render_stats_day_figures", "day", postgresql_include=["tenant_id", *_FIGURES]),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    job_id: Mapped[str] = mapped_column(String(120), nullable=False)
    line_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    output_type_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # completed | failed
    day: Mapped[date] = mapped_column(Date, nullable=False)  # of finished_at, UTC
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    device: Mapped[str | None] = mapped_column(String(3), nullable=True)  # cpu | gpu
    device_label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    render_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    wait_s: Mapped[float | None] = mapped_column(Float, nullable=True)  # submitted -> render started
    e2e_s: Mapped[float | None] = mapped_column(Float, nullable=True)  # submitted -> finished
    failed_step: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_key: Mapped[str | None] = mapped_column(String(300), nullable=True)  # ids and numbers masked


class CadStat(TenantMixin, Base):
    __tablename__ = "cad_stats"
    __table_args__ = (
        UniqueConstraint("cad_file_id", name="uq_cad_stats_file"),
        Index("ix_cad_stats_tenant_day", "tenant_id", "day"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    cad_file_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # ready | failed
    day: Mapped[date] = mapped_column(Date, nullable=False)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    conversion_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    processing_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    parts: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    triangles: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    failed_step: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(50), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)

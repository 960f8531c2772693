from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Identity, Index, PrimaryKeyConstraint, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from automat.kit.db import Base

# ``actor_role`` of an entry Automat wrote on its own, with no person acting (a product linked to a
# CAD file that became ready): "by Automat" in the history, as against a user's role.
SYSTEM_ROLE = "system"


class AuditChannel(StrEnum):
    ACTIVITY = "activity"
    NOTIFICATION = "notification"
    ALERT = "alert"


class AuditLog(Base):
    """Who did what. ``tenant_id`` is NULL only for installation-wide actions (global admins)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        # The lists' keyset order, newest first by (created_at, id) (migration 0029).
        Index("ix_audit_log_tenant_created_id", "tenant_id", "created_at", "id"),
        Index("ix_audit_log_tenant_channel_created_id", "tenant_id", "channel", "created_at", "id"),
        # "Exactly one" notifications (an order's completion summary) carry a key that says so.
        Index(
            "uq_audit_log_tenant_dedupe_key",
            "tenant_id",
            "dedupe_key",
            unique=True,
            postgresql_where="dedupe_key IS NOT NULL",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), nullable=True
    )
    channel: Mapped[str] = mapped_column(String(20), nullable=False, default=AuditChannel.ACTIVITY)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    actor_role: Mapped[str | None] = mapped_column(String(32), nullable=True)
    action: Mapped[str] = mapped_column(String(100), nullable=False)
    target_type: Mapped[str | None] = mapped_column(String(50), nullable=True)
    target_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    client_address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Notifications: for one user (recipient_id), or for every user of the tenant with at least
    # the role in ``audience`` (e.g. "project_manager"); both NULL = everybody in the tenant.
    recipient_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    audience: Mapped[str | None] = mapped_column(String(32), nullable=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class NotificationRead(Base):
    """That a user has read a notification (an ``audit_log`` entry on the notification channel)."""

    __tablename__ = "notification_reads"
    __table_args__ = (PrimaryKeyConstraint("entry_id", "user_id"),)

    entry_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("audit_log.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
    )
    read_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )

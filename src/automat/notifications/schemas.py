from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from automat.kit.pagination import CappedPage
from automat.models.audit import AuditLog


def _message(entry: AuditLog) -> str:
    message = entry.detail.get("message") if entry.detail else None
    return str(message) if message is not None else entry.action


class NotificationItem(BaseModel):
    id: int
    tenant_id: uuid.UUID | None
    action: str
    message: str
    target_type: str | None
    target_id: str | None
    recipient_id: uuid.UUID | None
    audience: str | None
    detail: dict[str, Any]
    created_at: datetime
    read: bool
    read_at: datetime | None

    @classmethod
    def of(cls, entry: AuditLog, read_at: datetime | None) -> NotificationItem:
        return cls(
            id=entry.id, tenant_id=entry.tenant_id, action=entry.action, message=_message(entry),
            target_type=entry.target_type, target_id=entry.target_id, recipient_id=entry.recipient_id,
            audience=entry.audience, detail=entry.detail, created_at=entry.created_at,
            read=read_at is not None, read_at=read_at,
        )  # fmt: skip


class NotificationPage(CappedPage[NotificationItem]):
    """A page of the caller's notifications, newest first, with how many are unread."""

    unread_count: int


class UnreadCount(BaseModel):
    unread_count: int


class MarkedRead(BaseModel):
    marked: int
    unread_count: int


# Who did what an entry without a person records (a worker's, a step's, ``SYSTEM_ROLE``'s).
SYSTEM_NAME = "Automat"


class FeedEntry(BaseModel):
    """An entry of the activity feed or the alert channel."""

    id: int
    tenant_id: uuid.UUID | None
    channel: str
    actor_id: uuid.UUID | None
    actor_role: str | None
    actor_name: str | None = Field(
        default=None,
        description="who did it: the user's name (or e-mail); 'Automat' for what Automat did by itself "
        "(no actor, actor_role 'system'); null for a user deleted since",
    )
    action: str
    message: str
    target_type: str | None
    target_id: str | None
    detail: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, entry: AuditLog, names: dict[uuid.UUID, str]) -> FeedEntry:
        """``names``: the users' names by id (``users.repository.names``)."""
        actor_name = SYSTEM_NAME if entry.actor_id is None else names.get(entry.actor_id)
        return cls(
            id=entry.id, tenant_id=entry.tenant_id, channel=entry.channel, actor_id=entry.actor_id,
            actor_role=entry.actor_role, actor_name=actor_name, action=entry.action, message=_message(entry),
            target_type=entry.target_type, target_id=entry.target_id, detail=entry.detail,
            created_at=entry.created_at,
        )  # fmt: skip


class FeedPage(CappedPage[FeedEntry]):
    """A page of the activity feed or the alerts, newest first."""


# -- preferences ---------------------------------------------------------------------------------

ChannelName = Literal["in_app", "email"]
FrequencyName = Literal["immediate", "hourly", "daily", "never"]


class EventTypeRead(BaseModel):
    key: str
    label: str
    help: str
    channels: list[ChannelName]


class PreferenceRead(BaseModel):
    event_type: str
    label: str
    help: str
    channel: ChannelName
    frequency: FrequencyName
    source: Literal["user", "tenant", "role"] = Field(
        description="where the frequency comes from: the user's own choice, the tenant's default, "
        "or the role's default"
    )
    default: FrequencyName = Field(description="what applies without the user's own choice")


class PreferenceChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_type: str = Field(max_length=50)
    channel: ChannelName
    frequency: FrequencyName


class PreferencesRead(BaseModel):
    locale: Literal["en", "de"]
    timezone: str
    items: list[PreferenceRead]


class PreferencesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    locale: Literal["en", "de"] | None = None
    timezone: str | None = Field(default=None, max_length=64, description="an IANA zone, e.g. Europe/Berlin")
    items: list[PreferenceChange] = Field(default_factory=list, max_length=100)


class TenantDefaultRead(BaseModel):
    event_type: str
    label: str
    help: str
    channel: ChannelName
    frequency: FrequencyName | None = Field(description="the tenant's default; null: each role's own")
    role_defaults: dict[str, FrequencyName]


class TenantDefaultChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_type: str = Field(max_length=50)
    channel: ChannelName
    frequency: FrequencyName | None = Field(description="null: back to each role's default")


class TenantDefaultsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[TenantDefaultChange] = Field(max_length=100)


class MailboxMessage(BaseModel):
    key: str
    to: str
    subject: str
    date: str | None
    headers: dict[str, str]
    text: str
    html: str | None

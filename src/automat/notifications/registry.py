"""What a user can be told about, once: the event types of the notification preferences.

Each event type names the ``audit_log`` actions it covers (the notifications and alerts Automat
already writes), who can get it (a minimum role), the channels it can go by, and the defaults per
role. A user's preference for an event type and channel is a frequency: ``immediate`` (each one
as it happens), ``hourly`` / ``daily`` (collected into one digest: in the app one digest
notification, by e-mail one message), or ``never``. Where a user has not chosen, the tenant's
default applies, and where the tenant has none, the role's default below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from automat.models.audit import AuditChannel
from automat.models.user import Role


class Channel(StrEnum):
    IN_APP = "in_app"
    EMAIL = "email"


class Frequency(StrEnum):
    IMMEDIATE = "immediate"
    HOURLY = "hourly"
    DAILY = "daily"
    NEVER = "never"


DIGESTS = (Frequency.HOURLY, Frequency.DAILY)
Defaults = Mapping[Channel, Frequency]


@dataclass(frozen=True)
class EventType:
    key: str
    label: str
    label_de: str
    help: str
    actions: tuple[str, ...]
    min_role: Role
    channels: tuple[Channel, ...]
    defaults: Mapping[Role, Defaults]
    source: AuditChannel = AuditChannel.NOTIFICATION

    def default(self, role: Role, channel: Channel) -> Frequency:
        """The role's default (a role without its own takes the nearest role below it)."""
        for candidate in (role, *_below(role)):
            if candidate in self.defaults:
                return self.defaults[candidate].get(channel, Frequency.NEVER)
        return Frequency.NEVER

    def for_role(self, role: Role) -> bool:
        return role.at_least(self.min_role)


def _below(role: Role) -> list[Role]:
    order = [Role.GLOBAL_ADMIN, Role.TENANT_ADMIN, Role.PROJECT_MANAGER, Role.CLIENT]
    return order[order.index(role) + 1 :]


IMM, H, D, N = Frequency.IMMEDIATE, Frequency.HOURLY, Frequency.DAILY, Frequency.NEVER
APP, MAIL = Channel.IN_APP, Channel.EMAIL
BOTH = (APP, MAIL)

EVENT_TYPES: tuple[EventType, ...] = (
    EventType(
        key="order_submitted",
        label="Order submitted",
        label_de="Auftrag eingereicht",
        help="A client or colleague submitted an order: it is queued for rendering and may need a "
        "look (reject it with a reason if it is wrong).",
        actions=("order.submitted",),
        min_role=Role.PROJECT_MANAGER,
        channels=BOTH,
        defaults={Role.PROJECT_MANAGER: {APP: IMM, MAIL: N}},
    ),
    EventType(
        key="order_completed",
        label="Order finished",
        label_de="Auftrag abgeschlossen",
        help="Every line of your order has finished (completed, with failures, or cancelled): one "
        "summary per order, never one per render.",
        actions=("order.completed", "order.completed_with_failures", "order.cancelled"),
        min_role=Role.CLIENT,
        channels=BOTH,
        defaults={Role.CLIENT: {APP: IMM, MAIL: IMM}, Role.PROJECT_MANAGER: {APP: IMM, MAIL: H}},
    ),
    EventType(
        key="order_rejected",
        label="Order rejected",
        label_de="Auftrag abgelehnt",
        help="A project manager rejected your order, with the reason: edit it and submit it again.",
        actions=("order.rejected",),
        min_role=Role.CLIENT,
        channels=BOTH,
        defaults={Role.CLIENT: {APP: IMM, MAIL: IMM}},
    ),
    EventType(
        key="import_finished",
        label="Product import finished",
        label_de="Produktimport abgeschlossen",
        help="An Excel product list you uploaded has been imported (or failed), with its counts.",
        actions=("product_import.finished",),
        min_role=Role.PROJECT_MANAGER,
        channels=BOTH,
        defaults={Role.PROJECT_MANAGER: {APP: IMM, MAIL: N}},
    ),
    EventType(
        key="media_archive_ready",
        label="Media download packed",
        label_de="Mediendownload gepackt",
        help="A large download you asked for has been packed (the message links to it until it "
        "expires), or could not be.",
        actions=("media_download.ready", "media_download.failed"),
        min_role=Role.CLIENT,
        channels=BOTH,
        defaults={Role.CLIENT: {APP: IMM, MAIL: IMM}},
    ),
    EventType(
        key="alerts",
        label="Operational alerts",
        label_de="Betriebswarnungen",
        help="Stalled renders, render host crashes, GPU probe failures, undeliverable e-mail: "
        "always listed under Alerts; this chooses whether they are also e-mailed to you.",
        actions=(),  # every alert of the tenant
        min_role=Role.TENANT_ADMIN,
        channels=(MAIL,),
        defaults={Role.TENANT_ADMIN: {MAIL: D}},
        source=AuditChannel.ALERT,
    ),
)

BY_KEY: dict[str, EventType] = {e.key: e for e in EVENT_TYPES}
_BY_ACTION: dict[str, EventType] = {a: e for e in EVENT_TYPES for a in e.actions}
ALERTS = BY_KEY["alerts"]


def event_type_of(channel: str, action: str) -> EventType | None:
    """The event type an ``audit_log`` entry belongs to (None: not one a user chooses about)."""
    if channel == AuditChannel.ALERT:
        return ALERTS
    if channel == AuditChannel.NOTIFICATION:
        return _BY_ACTION.get(action)
    return None

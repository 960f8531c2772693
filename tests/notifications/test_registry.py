"""Every notification Automat writes belongs to an event type a user can choose about, and the
e-mail of each links somewhere a person can go."""

from __future__ import annotations

import re
from pathlib import Path

from automat.models.audit import AuditChannel
from automat.models.order import OrderStatus
from automat.notifications import mail
from automat.notifications.registry import BY_KEY, event_type_of
from automat.orders.state import Outcome

SRC = Path(__file__).resolve().parents[2] / "src" / "automat"
# The action of a notify(...)/notify_sync(...)/_notify_about(...) call (arguments may hold one level
# of parentheses), or of a notification's keywords built as a dict (an order's settlement); a
# literal, or an f-string (kept up to its first placeholder).
CALL = re.compile(
    r"\b(?:notify|notify_sync|_notify_about)\((?:[^()]|\([^()]*\))*?\baction=(f?)\"([a-z_.{}]+)\""
    r"|\"action\": (f?)\"([a-z_.{}]+)\"",
    re.S,
)


def written_actions() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for call_f, call_action, dict_f, dict_action in CALL.findall(path.read_text()):
            is_f, action = (call_f, call_action) if call_action else (dict_f, dict_action)
            found.add(action.split("{")[0] + "*" if is_f else action)
    return found


def test_every_notification_action_has_an_event_type() -> None:
    actions = written_actions()
    assert actions, "the pattern no longer finds notify calls"
    expanded = set()
    for action in actions:
        if action == "order.*":  # f"order.{outcome.value}": how an order ended
            expanded |= {f"order.{o.value}" for o in Outcome}
        elif action == "media_download.*":  # f"media_download.{status}"
            expanded |= {"media_download.ready", "media_download.failed"}
        else:
            expanded.add(action)
    not_chosen = {"notification.digest"}  # the digest itself: it is what a choice produces
    unknown = sorted(a for a in expanded - not_chosen if event_type_of(AuditChannel.NOTIFICATION, a) is None)
    assert unknown == [], "notifications no preference governs: add them to notifications/registry.py"
    assert {o.value for o in Outcome} <= {a.split(".", 1)[1] for a in BY_KEY["order_completed"].actions}
    assert OrderStatus.CANCELLED.value == Outcome.CANCELLED.value


def test_a_packed_download_e_mails_its_signed_link() -> None:
    link = mail.link_for("media_download", "d1", {"download_url": "/api/media/downloads/d1/file?x=1"})
    assert link.endswith("/api/media/downloads/d1/file?x=1")
    assert mail.link_for("order", "o1", {}).endswith("/orders/o1")

"""E-mail notifications over real SMTP: an aiosmtpd server started here receives what the outbox
sends (the outbox is delivered in this process, through ``SmtpTransport``, so the test decides
when; queueing the worker's delivery task is switched off for these tests). Preferences decide
who gets what, when: immediate, hourly digests, never; an unreachable server is retried and
alerted about, and nothing is lost or sent twice."""

from __future__ import annotations

import email
import email.policy
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from automat.core.db import BYPASS, SyncDatabase
from automat.kit.time import utcnow
from automat.models.tenant import Tenant
from automat.models.user import Role
from automat.notifications import digests, mail, outbox
from automat.notifications.registry import Frequency
from tests.orders.conftest import create_order
from tests.support.factories import MadeTenant, make_output_type, make_product
from tests.support.fixtures import CadLinker, Party


@dataclass
class Received:
    envelope_to: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    port: int
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox(port=_free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def no_worker_delivery(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test sends the outbox itself (``deliver``), at the moment it chooses."""
    monkeypatch.setattr(outbox, "_send_after_commit", lambda session, ids: None)


def sessions(db: SyncDatabase, tenant: MadeTenant) -> Any:
    """Sessions of the tenant: the test sends only its own tenant's outbox (RLS)."""

    def make() -> AbstractContextManager[Session]:
        return db.session(tenant.id)

    return make


def outbox_rows(admin_engine: Engine, tenant: MadeTenant) -> list[dict[str, Any]]:
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT * FROM email_outbox WHERE tenant_id = :t ORDER BY id"), {"t": tenant.id}
        )
        return [dict(r._mapping) for r in rows]


def rejected_order(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    owner: Party,
    pm: Party,
    waiting: CadLinker,
    *,
    title: str = "Bearings for the catalogue",
    reason: str = "wrong bearing",
) -> dict[str, Any]:
    product = make_product(app_db, tenant=tenant)
    waiting(tenant, [product])  # its line waits for the CAD file: the order is live when rejected
    still = make_output_type(app_db, tenant=tenant)
    order = create_order(client, owner, title=title, product_ids=[product], output_type_ids=[still])
    assert client.post(f"/api/orders/{order['id']}/submit", headers=owner.headers).status_code == 200
    rejected = client.post(
        f"/api/orders/{order['id']}/reject",
        json={"reason": reason, "notify_client": True},
        headers=pm.headers,
    )
    assert rejected.status_code == 200, rejected.text
    return order


def test_a_rejection_is_e_mailed_at_once_and_its_link_stops_exactly_that(
    client: TestClient,
    as_role: Any,
    tenant: MadeTenant,
    app_db: SyncDatabase,
    inbox: Inbox,
    cad_still_processing: CadLinker,
) -> None:
    customer, pm = as_role(tenant, Role.CLIENT), as_role(tenant, Role.PROJECT_MANAGER)
    order = rejected_order(client, app_db, tenant, customer, pm, cad_still_processing)

    sent = outbox.deliver(sessions(app_db, tenant), mail.SmtpTransport(inbox.url))
    assert sent == {"sent": 1, "retry": 0, "failed": 0}
    (got,) = inbox.received
    assert got.envelope_to == [customer.user.email]
    message = got.message
    assert message["To"] == customer.user.email
    assert "was rejected" in message["Subject"] and "wrong bearing" in message["Subject"]
    assert message["Auto-Submitted"] == "auto-generated"
    plain = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert f"/orders/{order['id']}" in plain and f"/orders/{order['id']}" in html
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in plain

    before = {
        (p["event_type"], p["channel"]): p
        for p in client.get("/api/notification-preferences", headers=customer.headers).json()["items"]
    }
    parts = urlsplit(unsubscribe)
    page = client.get(f"{parts.path}?{parts.query}")  # no login: the link is the key
    assert page.status_code == 200 and "Stop e-mails about" in page.text
    after_page = client.get("/api/notification-preferences", headers=customer.headers).json()["items"]
    assert {(p["event_type"], p["channel"]): p for p in after_page} == before  # a GET changes nothing
    done = client.post(f"{parts.path}?{parts.query}")  # the one-click POST of RFC 8058
    assert done.status_code == 200 and "no more e-mails" in done.text
    after = {
        (p["event_type"], p["channel"]): p
        for p in client.get("/api/notification-preferences", headers=customer.headers).json()["items"]
    }
    assert after[("order_rejected", "email")]["frequency"] == "never"
    assert after[("order_rejected", "email")]["source"] == "user"
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {("order_rejected", "email")}

    # A second rejection: no e-mail now.
    rejected_order(client, app_db, tenant, customer, pm, cad_still_processing)
    assert outbox.deliver(sessions(app_db, tenant), mail.SmtpTransport(inbox.url))["sent"] == 0
    assert len(inbox.received) == 1
    bad = client.post(f"{parts.path}?token=not-a-token")
    assert bad.status_code == 401


def test_header_injection_through_a_reason_or_a_tenant_name_is_impossible(
    client: TestClient,
    as_role: Any,
    tenant: MadeTenant,
    app_db: SyncDatabase,
    inbox: Inbox,
    cad_still_processing: CadLinker,
) -> None:
    with app_db.session(BYPASS) as session:
        row = session.get(Tenant, tenant.id)
        assert row is not None
        row.name = "Evil\r\nBcc: victim@example.test"
    customer, pm = as_role(tenant, Role.CLIENT), as_role(tenant, Role.PROJECT_MANAGER)
    rejected_order(
        client,
        app_db,
        tenant,
        customer,
        pm,
        cad_still_processing,
        reason="no\r\nBcc: other@example.test\r\n\r\nHi",
    )
    outbox.deliver(sessions(app_db, tenant), mail.SmtpTransport(inbox.url))
    (got,) = inbox.received
    assert got.envelope_to == [customer.user.email]
    assert got.message["Bcc"] is None
    assert "\n" not in got.message["Subject"] and "\r" not in got.message["Subject"]
    assert [k.lower() for k in got.message].count("bcc") == 0


def _completion(
    app_db: SyncDatabase, tenant: MadeTenant, admin_engine: Engine, user_id: uuid.UUID, n: int, at: Any
) -> None:
    """An order completion notification for the user, written as the worker does, dated ``at``."""
    from tests.notifications.conftest import notify

    order_id = str(uuid.uuid4())
    notify(
        app_db,
        tenant,
        f"Order #ORD-{n} rendering complete: 3/3 succeeded, 0 failed",
        action="order.completed",
        recipient_id=user_id,
        target_type="order",
        target_id=order_id,
    )
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET created_at = :at WHERE tenant_id = :t AND target_id = :o"),
            {"at": at, "t": tenant.id, "o": order_id},
        )


def test_an_hourly_digest_collects_three_completions_into_one_e_mail_and_one_notification_once(
    client: TestClient,
    as_role: Any,
    tenant: MadeTenant,
    app_db: SyncDatabase,
    admin_engine: Engine,
    inbox: Inbox,
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    changed = client.put(
        "/api/notification-preferences",
        json={"items": [{"event_type": "order_completed", "channel": "in_app", "frequency": "hourly"}]},
        headers=pm.headers,
    )
    assert changed.status_code == 200, changed.text
    mine = {(p["event_type"], p["channel"]): p for p in changed.json()["items"]}
    assert mine[("order_completed", "email")] == {
        **mine[("order_completed", "email")],
        "frequency": "hourly",
        "source": "role",
    }  # a PM's default
    now = utcnow()
    start, _ = digests.last_period(Frequency.HOURLY, now, digests.zone("UTC"))
    for n in range(3):
        _completion(app_db, tenant, admin_engine, pm.user.id, n, start + timedelta(minutes=10 + n))
    assert outbox_rows(admin_engine, tenant) == []  # hourly: nothing at once
    listed = client.get("/api/notifications", headers=pm.headers).json()
    assert [i for i in listed["items"] if i["action"] == "order.completed"] == []  # collected, not listed

    for _ in range(2):  # the beat runs every minute: the second run finds the period done
        with app_db.session(BYPASS) as session:
            row = session.get(Tenant, tenant.id)
            assert row is not None
            digests.run_for_tenant(session, row, now)
    outbox.deliver(sessions(app_db, tenant), mail.SmtpTransport(inbox.url))
    (got,) = inbox.received
    plain = got.message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "3 updates" in got.message["Subject"]
    assert all(f"ORD-{n}" in plain for n in range(3))
    digest = [
        i
        for i in client.get("/api/notifications", headers=pm.headers).json()["items"]
        if i["action"] == digests.DIGEST_ACTION
    ]
    assert len(digest) == 1
    assert digest[0]["detail"]["counts"] == {"Order finished": 3}
    assert len(digest[0]["detail"]["items"]) == 3


def test_never_sends_nothing(
    client: TestClient,
    as_role: Any,
    tenant: MadeTenant,
    app_db: SyncDatabase,
    admin_engine: Engine,
    cad_still_processing: CadLinker,
) -> None:
    customer, pm = as_role(tenant, Role.CLIENT), as_role(tenant, Role.PROJECT_MANAGER)
    off = client.put(
        "/api/notification-preferences",
        json={
            "items": [
                {"event_type": "order_rejected", "channel": "email", "frequency": "never"},
                {"event_type": "order_rejected", "channel": "in_app", "frequency": "never"},
            ]
        },
        headers=customer.headers,
    )
    assert off.status_code == 200, off.text
    rejected_order(client, app_db, tenant, customer, pm, cad_still_processing)
    assert outbox_rows(admin_engine, tenant) == []
    listed = client.get("/api/notifications", headers=customer.headers).json()
    assert [i for i in listed["items"] if i["action"] == "order.rejected"] == []
    assert listed["unread_count"] == 0


def test_an_unreachable_server_is_retried_alerted_and_nothing_is_lost_or_sent_twice(
    client: TestClient,
    as_role: Any,
    tenant: MadeTenant,
    app_db: SyncDatabase,
    admin_engine: Engine,
    inbox: Inbox,
    cad_still_processing: CadLinker,
) -> None:
    customer, pm, admin = (as_role(tenant, r) for r in (Role.CLIENT, Role.PROJECT_MANAGER, Role.TENANT_ADMIN))
    rejected_order(client, app_db, tenant, customer, pm, cad_still_processing)
    down = mail.SmtpTransport(f"smtp://127.0.0.1:{_free_port()}", timeout_s=2)  # nobody listens
    moment = utcnow()
    for attempt in range(1, 4):
        assert outbox.deliver(sessions(app_db, tenant), down, now=moment) == {
            "sent": 0,
            "retry": 1,
            "failed": 0,
        }
        (row,) = outbox_rows(admin_engine, tenant)
        assert row["attempts"] == attempt and row["status"] == "pending"
        assert (
            outbox.deliver(sessions(app_db, tenant), down, now=moment)["retry"] == 0
        )  # not due yet: backoff
        moment = row["next_attempt_at"] + timedelta(seconds=1)
    alerts = client.get("/api/alerts", headers=admin.headers).json()["items"]
    assert [a["action"] for a in alerts] == ["email.undeliverable"]
    assert "3 attempts" in alerts[0]["message"]

    assert outbox.deliver(sessions(app_db, tenant), mail.SmtpTransport(inbox.url), now=moment)["sent"] == 1
    assert (
        outbox.deliver(
            sessions(app_db, tenant), mail.SmtpTransport(inbox.url), now=moment + timedelta(hours=2)
        )["sent"]
        == 0
    )
    assert len(inbox.received) == 1
    assert len(client.get("/api/alerts", headers=admin.headers).json()["items"]) == 1  # alerted once


@pytest.mark.usefixtures("celery_worker_process")
def test_without_an_smtp_server_the_worker_writes_to_the_maildir_admins_can_read(
    client: TestClient,
    as_role: Any,
    tenant: MadeTenant,
    app_db: SyncDatabase,
    monkeypatch: pytest.MonkeyPatch,
    cad_still_processing: CadLinker,
) -> None:
    monkeypatch.undo()  # this one goes through the worker's own delivery task
    customer, pm = as_role(tenant, Role.CLIENT), as_role(tenant, Role.PROJECT_MANAGER)
    order = rejected_order(client, app_db, tenant, customer, pm, cad_still_processing, title="Maildir check")
    ga = as_role(None, Role.GLOBAL_ADMIN)
    deadline = time.monotonic() + 90  # a cold worker may be busy with another test's work first
    mine: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not mine:
        box = client.get("/api/dev/mailbox", params={"limit": 200}, headers=ga.headers)
        assert box.status_code == 200, box.text
        mine = [m for m in box.json() if m["to"] == customer.user.email]
        time.sleep(0.3)
    assert mine, "the worker wrote no message for the client"
    assert f"/orders/{order['id']}" in mine[0]["text"]
    assert client.get("/api/dev/mailbox", headers=pm.headers).status_code == 403


def test_the_embedded_defaults_smtp_server_keeps_what_it_receives_in_the_maildir(tmp_path: Any) -> None:
    """What `automat up` runs without AUTOMAT_SMTP_URL: real SMTP in, the maildir the dev mailbox
    lists out."""
    import mailbox
    import subprocess
    import sys

    port, box = _free_port(), tmp_path / "mail"
    server = subprocess.Popen(
        [sys.executable, "-m", "automat.notifications.dev_smtp", "--port", str(port), "--maildir", str(box)],
        stdout=subprocess.PIPE,
    )
    try:
        assert server.stdout is not None and b"dev SMTP server" in server.stdout.readline()
        message = mail.build_message(
            mail_from="Automat <automat@example.test>", to="client@example.test", subject="Order #1 rejected",
            text="plain", html_body="<p>html</p>", headers={}, key="entry:1:u", sent_at=utcnow(),
        )  # fmt: skip
        mail.SmtpTransport(f"smtp://127.0.0.1:{port}", timeout_s=5).send(message)
        (kept,) = list(mailbox.Maildir(box, create=False))
        assert kept["Subject"] == "Order #1 rejected" and kept["To"] == "client@example.test"
    finally:
        server.terminate()
        assert server.wait(timeout=10) == 0

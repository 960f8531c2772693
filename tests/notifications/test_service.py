"""notify/alert/activity (sync and async): what gets written, exactly-once keys, the tenant switch,
and the live event after commit."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import pytest
import redis
from sqlalchemy import Engine, text

from automat.config import Settings
from automat.core import events
from automat.core.db import AsyncDatabase, SyncDatabase
from automat.models.user import Role
from automat.notifications import service
from tests.notifications.conftest import notify
from tests.support.factories import MadeTenant, make_tenant


def entries(admin_engine: Engine, tenant: MadeTenant) -> list[dict[str, Any]]:
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT channel, action, detail, recipient_id, audience, dedupe_key, actor_id, target_type, "
                "target_id FROM audit_log WHERE tenant_id = :t ORDER BY id"
            ),
            {"t": tenant.id},
        )
        return [dict(r._mapping) for r in rows]


def test_notify_writes_one_entry_with_the_message_in_detail(
    app_db: SyncDatabase, tenant: MadeTenant, admin_engine: Engine
) -> None:
    user = uuid.uuid4()
    target = uuid.uuid4()
    assert notify(
        app_db, tenant, "Order #ORD-1 was rejected.", recipient_id=user, actor_id=user,
        target_type="order", target_id=target, detail={"reason": "blurry", "message": "overridden"},
    )  # fmt: skip
    [entry] = entries(admin_engine, tenant)
    assert entry == {
        "channel": "notification", "action": "test.notice", "recipient_id": user, "audience": None,
        "detail": {"reason": "blurry", "message": "Order #ORD-1 was rejected."}, "dedupe_key": None,
        "actor_id": user, "target_type": "order", "target_id": str(target),
    }  # fmt: skip


def test_dedupe_key_is_exactly_once(app_db: SyncDatabase, tenant: MadeTenant, admin_engine: Engine) -> None:
    key = f"order:{uuid.uuid4()}:completed"
    assert notify(app_db, tenant, "done", audience=Role.PROJECT_MANAGER, dedupe_key=key) is True
    assert notify(app_db, tenant, "done again", audience=Role.PROJECT_MANAGER, dedupe_key=key) is False
    with app_db.session(tenant.id) as session:  # twice in one transaction, too
        kw: dict[str, Any] = {"tenant_id": tenant.id, "action": "x", "message": "m", "dedupe_key": key + "-2"}
        assert service.notify_sync(session, **kw) is True
        assert service.notify_sync(session, **kw) is False
    assert [e["detail"]["message"] for e in entries(admin_engine, tenant)] == ["done", "m"]
    # The same key in another tenant is another notification.
    other = make_tenant(app_db)
    assert notify(app_db, other, "done", dedupe_key=key) is True


def test_switched_off_tenant_gets_no_notifications_but_alerts(
    app_db: SyncDatabase, admin_engine: Engine
) -> None:
    quiet = make_tenant(app_db, notifications_enabled=False)
    assert notify(app_db, quiet, "nobody hears this") is False
    with app_db.session(quiet.id) as session:
        service.alert_sync(session, tenant_id=quiet.id, action="render.stalled", message="stalled")
        service.activity_sync(session, tenant_id=quiet.id, action="line.done", message="done")
    assert [e["channel"] for e in entries(admin_engine, quiet)] == ["alert", "activity"]


def _listen(redis_client: redis.Redis, tenant: MadeTenant) -> Any:
    pubsub = redis_client.pubsub()
    pubsub.subscribe(events.channel_for(tenant.id))
    assert pubsub.get_message(timeout=2)["type"] == "subscribe"
    return pubsub


def _next_event(pubsub: Any, timeout_s: float = 2.0) -> dict[str, Any] | None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
        if message is not None:
            return dict(json.loads(message["data"]))
    return None


def test_live_event_after_commit_only(
    app_db: SyncDatabase, tenant: MadeTenant, redis_client: redis.Redis
) -> None:
    pubsub = _listen(redis_client, tenant)
    try:
        with pytest.raises(RuntimeError), app_db.session(tenant.id) as session:
            service.notify_sync(session, tenant_id=tenant.id, action="a", message="rolled back")
            raise RuntimeError
        user = uuid.uuid4()
        assert notify(app_db, tenant, "Your import is done", recipient_id=user)
        event = _next_event(pubsub)
        assert event is not None
        assert (event["type"], event["message"], event["recipient_id"]) == (
            "notification",
            "Your import is done",
            str(user),
        )
        assert event["tenant_id"] == str(tenant.id)
        assert isinstance(event["id"], int)
        assert _next_event(pubsub, 0.3) is None  # nothing from the rolled-back one
    finally:
        pubsub.close()


def test_event_visibility_for_the_websocket() -> None:
    me, other = uuid.uuid4(), uuid.uuid4()
    addressed = {"type": "notification", "recipient_id": str(me), "audience": None}
    for_pms = {"type": "notification", "recipient_id": None, "audience": "project_manager"}
    assert service.event_visible_to(addressed, user_id=me, role=Role.CLIENT)
    assert not service.event_visible_to(addressed, user_id=other, role=Role.TENANT_ADMIN)
    assert service.event_visible_to(for_pms, user_id=me, role=Role.TENANT_ADMIN)
    assert not service.event_visible_to(for_pms, user_id=me, role=Role.CLIENT)
    assert service.event_visible_to({"type": "pipeline_event"}, user_id=me, role=Role.CLIENT)
    # Nobody is told of their own action: a role-wide notification skips the user who caused it.
    mine = {**for_pms, "actor_id": str(me)}
    assert not service.event_visible_to(mine, user_id=me, role=Role.TENANT_ADMIN)
    assert service.event_visible_to(mine, user_id=other, role=Role.TENANT_ADMIN)


def test_async_variants(settings: Settings, tenant: MadeTenant, admin_engine: Engine) -> None:
    async def run() -> list[bool]:
        db = AsyncDatabase(settings, pool_size=1)
        try:
            async with db.session(tenant.id) as session:
                first = await service.notify(
                    session, tenant_id=tenant.id, action="order.submitted", message="Order submitted",
                    audience=Role.PROJECT_MANAGER, dedupe_key="submitted:1",
                )  # fmt: skip
                again = await service.notify(
                    session,
                    tenant_id=tenant.id,
                    action="order.submitted",
                    message="x",
                    dedupe_key="submitted:1",
                )
                await service.alert(session, tenant_id=tenant.id, action="gpu.probe_failed", message="no GPU")
                await service.activity(session, tenant_id=tenant.id, action="line.failed", message="failed")
            return [first, again]
        finally:
            await db.dispose()

    assert asyncio.run(run()) == [True, False]
    made = entries(admin_engine, tenant)
    assert [(e["channel"], e["detail"]["message"]) for e in made] == [
        ("notification", "Order submitted"), ("alert", "no GPU"), ("activity", "failed"),
    ]  # fmt: skip
    assert made[0]["audience"] == "project_manager"

"""Queued order lines say where they stand and why they wait: no render worker, the tenant's
render slots all taken, or a free worker being waited for behind the lines ahead.

The lines are put in the queue as a submission does (``lines.queue``), without sending tasks: no
worker may take them while the test looks. Redis is the real one, on a database of its own so
that the heartbeat of a test worker running meanwhile does not count as a consumer here."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select

from automat.config import Settings
from automat.core.db import AsyncDatabase, SyncDatabase
from automat.kit.time import utcnow
from automat.models.order import Order, OrderLine
from automat.models.output import OutputKind
from automat.models.user import Role
from automat.models.workflow import Workflow, WorkflowVersion
from automat.orders import control, lines
from automat.orders.waiting import waiting_lines
from automat.pipeline import executor
from automat.pipeline.node_task import ALL_BLOCKLISTED
from automat.rendering.queue import announce_consumer, withdraw_consumer
from automat.workflows.catalogue import steps
from tests.orders.conftest import AsRole, create_order
from tests.support.factories import make_output_type, make_product, make_tenant, unique


@pytest.fixture
def own_redis(settings: Settings) -> Iterator[redis.Redis]:
    assert settings.redis_url
    client = redis.Redis.from_url(settings.redis_url, db=13, decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()


def queue_order(app_db: SyncDatabase, tenant_id: uuid.UUID, order_id: str, *, minutes_ago: int) -> None:
    with app_db.session(tenant_id) as session:
        order = session.get(Order, uuid.UUID(order_id))
        assert order is not None
        order.submitted_at = utcnow() - timedelta(minutes=minutes_ago)
        rows = session.query(OrderLine).filter(OrderLine.order_id == order.id).order_by(OrderLine.created_at)
        for line in rows:
            lines.queue(line, submission=1, render_task_id=str(uuid.uuid4()))


def readout(
    settings: Settings, tenant_id: uuid.UUID, order_id: str, client: redis.Redis
) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        db = AsyncDatabase(settings, pool_size=1)
        try:
            async with db.session(tenant_id) as session:
                stmt = select(OrderLine).where(OrderLine.order_id == uuid.UUID(order_id))
                rows = list((await session.scalars(stmt)).all())
                found = await waiting_lines(session, client, tenant_id, 1, rows)
                return sorted((w.as_dict() for w in found.values()), key=lambda w: w["position"])
        finally:
            await db.dispose()

    return asyncio.run(run())


def test_queued_lines_say_their_place_and_why_they_wait(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase, settings: Settings, own_redis: redis.Redis
) -> None:
    tenant = make_tenant(app_db, max_concurrent_renders=1)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL, name="Still")
    earlier = create_order(
        client, pm, product_ids=[make_product(app_db, tenant=tenant)], output_type_ids=[still]
    )
    products = [make_product(app_db, tenant=tenant) for _ in range(3)]
    order = create_order(client, pm, product_ids=products, output_type_ids=[still])
    queue_order(app_db, tenant.id, earlier["id"], minutes_ago=10)  # one line ahead of them all
    queue_order(app_db, tenant.id, order["id"], minutes_ago=1)

    # Nobody takes the render queue.
    waiting = readout(settings, tenant.id, order["id"], own_redis)
    assert [(w["position"], w["queued"]) for w in waiting] == [(2, 4), (3, 4), (4, 4)]
    assert {w["reason"] for w in waiting} == {"no_worker"}
    assert "No render worker" in waiting[0]["message"]

    # A worker takes it, but the tenant's one render slot is busy with another line.
    announce_consumer(own_redis, "test-host:1")
    assert control.acquire_slot(own_redis, tenant.id, uuid.uuid4(), 1)
    waiting = readout(settings, tenant.id, order["id"], own_redis)
    assert {w["reason"] for w in waiting} == {"slots_full"}
    assert "All 1 of your render slots are in use" in waiting[0]["message"]

    # The slot is free again: the lines wait for a worker, behind the ones submitted earlier.
    own_redis.delete(f"automat:render-slots:{tenant.id}")
    waiting = readout(settings, tenant.id, order["id"], own_redis)
    assert {w["reason"] for w in waiting} == {"queue"}
    assert waiting[0]["message"] == "Waiting for a free render worker; 1 of your lines before it."


def test_the_order_page_shows_the_queue_of_its_lines(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase
) -> None:
    tenant = make_tenant(app_db)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL, name="Still")
    products = [make_product(app_db, tenant=tenant) for _ in range(2)]
    order = create_order(client, pm, product_ids=products, output_type_ids=[still])
    assert all(line["queue"] is None for line in order["lines"])  # a draft waits for nothing
    queue_order(app_db, tenant.id, order["id"], minutes_ago=1)

    body = client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()
    queued = sorted((line["queue"] for line in body["lines"]), key=lambda q: q["position"])
    assert [(q["position"], q["queued"]) for q in queued] == [(1, 2), (2, 2)]
    assert all(q["reason"] in ("no_worker", "queue") and q["message"] for q in queued)
    assert all(line["progress"] is None for line in body["lines"])


def test_a_line_whose_step_no_online_worker_may_run_says_so(
    client: TestClient,
    as_role: AsRole,
    app_db: SyncDatabase,
    settings: Settings,
    own_redis: redis.Redis,
    redis_client: redis.Redis,
) -> None:
    """Its render node was handed back by a blocklisted worker (``workers/blocklist.py``), and no
    other online worker of the queue may run the step: the line says that, not "waiting for a worker"."""
    tenant = make_tenant(app_db)
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    still = make_output_type(app_db, tenant=tenant, kind=OutputKind.STILL, name="Still")
    products = [make_product(app_db, tenant=tenant) for _ in range(2)]
    order = create_order(client, pm, product_ids=products, output_type_ids=[still])
    queue_order(app_db, tenant.id, order["id"], minutes_ago=1)
    announce_consumer(own_redis, "test-host:1")
    steps()
    note = (
        f"{ALL_BLOCKLISTED} queue thumbnail_rendering is blocklisted for step render_still; it runs once "
        "an admin clears one on the Workers page or another worker starts"
    )
    with app_db.session(tenant.id) as session:
        line = session.scalars(
            select(OrderLine)
            .where(OrderLine.order_id == uuid.UUID(order["id"]))
            .order_by(OrderLine.created_at)
        ).first()
        assert line is not None
        workflow = Workflow(tenant_id=tenant.id, name=unique("wf"), subject="order_line", latest_version=1)
        session.add(workflow)
        session.flush()
        config = {
            "version": 1,
            "nodes": [{"id": "render", "step": "render_still", "params": {}}],
            "edges": [],
        }
        version = WorkflowVersion(workflow_id=workflow.id, tenant_id=tenant.id, version=1, config=config)
        session.add(version)
        session.flush()
        with executor.sending_with(lambda messages: None):
            _, nodes = executor.dispatch_workflow(
                session, workflow, version, tenant_id=tenant.id, subject_id=line.id
            )
        nodes[0].error = note
        blocked_line = line.id

    found = readout(settings, tenant.id, order["id"], own_redis)
    assert {w["reason"] for w in found} == {"blocklisted", "queue"}
    blocked = next(w for w in found if w["reason"] == "blocklisted")
    assert blocked["message"].startswith("Waiting: every online worker of queue thumbnail_rendering")
    # The order page says so too (a render worker announced on the shared Redis for a moment).
    announce_consumer(redis_client, "blocklist-waiting-test", lease_s=10)
    try:
        body = client.get(f"/api/orders/{order['id']}", headers=pm.headers).json()
    finally:
        withdraw_consumer(redis_client, "blocklist-waiting-test")
    line_queue = next(x["queue"] for x in body["lines"] if x["id"] == str(blocked_line))
    assert line_queue["reason"] == "blocklisted"

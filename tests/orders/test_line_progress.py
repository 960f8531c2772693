"""A turntable order line reports its frames while it renders (real worker, real Blender): live
``order_line_progress`` events count the frames up in order, at most about two a second, and
the line keeps the last one (frame N of N) for a page loaded later."""

from __future__ import annotations

import json
import time
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core import events
from automat.core.db import SyncDatabase
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.orders.conftest import AsRole, create_order, wait_order
from tests.orders.test_rendering import bearing_product
from tests.support.factories import MadeTenant, make_output_type

pytestmark = pytest.mark.usefixtures("celery_worker_process")
FRAMES = 6


def test_a_turntable_line_counts_its_frames_live_and_keeps_the_last(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase, redis_client: Any
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    product = bearing_product(client, pm, "TT-PROGRESS")
    # Frames slow enough (160 px, 16 samples: a few tenths of a second each with a warm render host)
    # that the render outlasts the 0.5 s throttle several times over; at 64 px and 2 samples a warm
    # host rendered all six within one interval and only the encode was ever sent.
    turntable = make_output_type(
        app_db, tenant=tenant, kind=OutputKind.TURNTABLE, name="Turntable 6f", frames=FRAMES, fps=6,
        samples=16, width=160, height=160,
    )  # fmt: skip
    order = create_order(client, pm, product_ids=[product["id"]], output_type_ids=[turntable])
    listener = redis_client.pubsub()
    listener.subscribe(events.channel_for(tenant.id))
    try:
        assert client.post(f"/api/orders/{order['id']}/submit", headers=pm.headers).status_code == 200
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + 300
        done = False
        while not done and time.monotonic() < deadline:
            message = listener.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None:
                event = json.loads(message["data"])
                if event["type"] == "order_line_progress" and event["order_id"] == order["id"]:
                    seen.append({**event, "received": time.monotonic()})
                done = event["type"] == "order" and event.get("order_id") == order["id"]
    finally:
        listener.close()

    body = wait_order(client, pm, order["id"], lambda o: o["status"] == "completed", what="completed")
    (line,) = body["lines"]
    assert line["render_status"] == "completed"

    progress = [e["progress"] for e in seen]
    assert progress, "no progress events"
    assert {e["line_id"] for e in seen} == {line["id"]}
    frames = [(p["phase"], p["frame"]) for p in progress if p.get("frames") == FRAMES]
    rendered = [f for phase, f in frames if phase == "render"]
    assert len(set(rendered)) >= 2, frames  # the frames count up while it renders ...
    assert rendered == sorted(rendered)  # ... in order
    assert frames[-1][1] == FRAMES
    # Throttled: consecutive events about half a second apart at least (the last, flushed when
    # the render ends, may come sooner; the rest of the leeway is the database write before each).
    gaps = [b["received"] - a["received"] for a, b in pairwise(seen)]
    assert all(gap >= 0.4 for gap in gaps[:-1]), gaps
    # Once a fraction was known, the time left was estimated.
    assert any(p["eta_s"] is not None and p["phase"] == "render" for p in progress)

    # The line keeps its last progress: N of N.
    stored = line["progress"]
    assert stored is not None
    assert (stored["frame"], stored["frames"], stored["fraction"]) == (FRAMES, FRAMES, 1.0)

"""Render slots and cancel requests in the real Redis."""

from __future__ import annotations

import time
import uuid
from typing import Any

from automat.orders import control


def test_slots_cap_a_tenant_and_free_on_release(redis_client: Any) -> None:
    tenant, other = uuid.uuid4(), uuid.uuid4()
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert control.acquire_slot(redis_client, tenant, a, 2)
    assert control.acquire_slot(redis_client, tenant, b, 2)
    assert not control.acquire_slot(redis_client, tenant, c, 2)
    assert control.acquire_slot(redis_client, other, c, 2)  # another tenant's slots are its own
    assert control.acquire_slot(redis_client, tenant, a, 2)  # a redelivered task keeps its slot
    assert control.slots_in_use(redis_client, tenant) == 2
    control.release_slot(redis_client, tenant, a)
    assert control.acquire_slot(redis_client, tenant, c, 2)


def test_a_slot_whose_lease_ran_out_is_free_again(redis_client: Any) -> None:
    tenant, dead, waiting = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert control.acquire_slot(redis_client, tenant, dead, 1)
    # The worker holding it died without releasing: its lease is in the past.
    redis_client.zadd(f"automat:render-slots:{tenant}", {str(dead): time.time() - 1})
    assert control.acquire_slot(redis_client, tenant, waiting, 1)


def test_renewing_keeps_a_slot_and_never_takes_a_new_one(redis_client: Any) -> None:
    tenant, line = uuid.uuid4(), uuid.uuid4()
    control.renew_slot(redis_client, tenant, line)  # not held: nothing happens
    assert control.slots_in_use(redis_client, tenant) == 0
    control.acquire_slot(redis_client, tenant, line, 1)
    control.renew_slot(redis_client, tenant, line)
    assert control.slots_in_use(redis_client, tenant) == 1


def test_cancel_requests_are_seen_until_cleared(redis_client: Any) -> None:
    line = uuid.uuid4()
    assert not control.cancel_requested(redis_client, line)
    control.request_cancel(redis_client, [line])
    assert control.cancel_requested(redis_client, line)
    control.clear_cancel(redis_client, [line])
    assert not control.cancel_requested(redis_client, line)

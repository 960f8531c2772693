"""Live events over Redis pub/sub: one channel per tenant, so a subscriber gets only its tenant.

Publishers never choose a channel by hand; ``channel_for`` derives it from the tenant id, and
the WebSocket subscribes to exactly one tenant's channel (global admins: the pattern).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import redis

PREFIX = "automat:events:"
ALL_TENANTS_PATTERN = PREFIX + "*"


def channel_for(tenant_id: uuid.UUID | str) -> str:
    return f"{PREFIX}{uuid.UUID(str(tenant_id))}"


def publish(client: redis.Redis, tenant_id: uuid.UUID | str, event: dict[str, Any]) -> None:
    payload = {**event, "tenant_id": str(tenant_id)}
    client.publish(channel_for(tenant_id), json.dumps(payload, default=str))

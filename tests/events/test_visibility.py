"""Who receives which live event on /api/ws inside one tenant."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core import events
from automat.core.security import Claims
from automat.events.endpoints import visible
from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

ME = uuid.uuid4()
SOMEONE = uuid.uuid4()


def claims(role: Role) -> Claims:
    return Claims(
        user_id=ME, role=role, tenant_id=uuid.uuid4(), token_version=0, jti="j", typ="access", exp=0
    )


@pytest.mark.parametrize(
    ("event", "client_sees", "pm_sees"),
    [
        ({"type": "notification", "recipient_id": str(ME)}, True, True),
        ({"type": "notification", "recipient_id": str(SOMEONE)}, False, False),
        ({"type": "notification", "recipient_id": None, "audience": "project_manager"}, False, True),
        ({"type": "notification", "recipient_id": None, "audience": None}, True, True),
        ({"type": "order_line", "owner": str(ME)}, True, True),
        ({"type": "order_line", "owner": str(SOMEONE)}, False, True),
        ({"type": "pipeline_event", "job_id": "cad:x"}, False, True),
        ({"type": "workflow_node", "owner": None, "run_id": "r", "node_id": "render"}, False, True),
    ],
)
def test_visibility(event: dict[str, Any], client_sees: bool, pm_sees: bool) -> None:
    assert visible(event, claims(Role.CLIENT)) is client_sees
    assert visible(event, claims(Role.PROJECT_MANAGER)) is pm_sees


def test_a_client_stream_skips_another_clients_rejection(
    client: TestClient,
    as_role: Callable[[MadeTenant | None, Role], Party],
    tenant: MadeTenant,
    redis_client: Any,
) -> None:
    alice, bob = as_role(tenant, Role.CLIENT), as_role(tenant, Role.CLIENT)
    token = alice.headers["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/api/ws?token={token}") as ws:
        assert ws.receive_json()["type"] == "subscribed"
        for recipient, text in ((bob.user.id, "Your order was rejected: Bob's"), (alice.user.id, "Alice's")):
            events.publish(
                redis_client,
                tenant.id,
                {"type": "notification", "recipient_id": str(recipient), "message": text},
            )
        received = ws.receive_json()
    assert received["message"] == "Alice's"

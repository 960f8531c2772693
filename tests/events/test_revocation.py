"""Access that ends, ends on /api/ws too: open connections close within a second.

The WebSocket is held by a real API server in a child process (``automat api``); the change
that ends access is made through another instance of the app (the test client, in this process),
as it would be on another API host: the news travels through Redis, not through memory.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from automat.config import Settings
from automat.core import events
from automat.core.security import issue_token
from automat.events.endpoints import EXPIRED_CLOSE, REVOKED_CLOSE
from automat.models.user import Role
from tests.support.api_process import api_process
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]
CLOSE_WITHIN_S = 1.0


@pytest.fixture(scope="module")
def ws_base(tmp_root: Path) -> Iterator[str]:
    with api_process(tmp_root) as url:
        yield url.replace("http://", "ws://")


def token_of(party: Party) -> str:
    return party.headers["Authorization"].removeprefix("Bearer ")


@contextmanager
def open_stream(ws_base: str, token: str) -> Iterator[ClientConnection]:
    with connect(f"{ws_base}/api/ws?token={token}", proxy=None, open_timeout=10) as ws:
        first = json.loads(ws.recv(timeout=10))
        assert first["type"] == "subscribed", first
        yield ws


def wait_for_close(ws: ClientConnection, timeout_s: float) -> tuple[int | None, list[dict[str, Any]]]:
    """Read until the server closes the connection; its close code and what came before."""
    received: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"still open after {timeout_s} s; received {received}")
            received.append(json.loads(ws.recv(timeout=remaining)))
    except ConnectionClosed as closed:
        return (closed.rcvd.code if closed.rcvd else None), received
    except TimeoutError:
        raise AssertionError(f"still open after {timeout_s} s; received {received}") from None


def assert_closed_promptly(ws: ClientConnection, code: int, reason: str) -> None:
    started = time.monotonic()
    closed_with, received = wait_for_close(ws, timeout_s=CLOSE_WITHIN_S)
    assert closed_with == code, (closed_with, received)
    assert time.monotonic() - started < CLOSE_WITHIN_S
    assert received[-1]["type"] == "error"
    assert received[-1]["error"]["code"] == reason
    assert all(message["type"] == "error" for message in received), "events after access ended"


def still_streams(ws: ClientConnection, redis_client: Any, tenant: MadeTenant) -> None:
    marker = uuid.uuid4().hex
    events.publish(redis_client, tenant.id, {"type": "pipeline_event", "job_id": "j", "message": marker})
    while True:
        message = json.loads(ws.recv(timeout=5))
        if message.get("message") == marker:
            return


def test_deactivating_a_user_closes_their_stream_only(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ws_base: str, redis_client: Any
) -> None:
    user, colleague = as_role(tenant, Role.PROJECT_MANAGER), as_role(tenant, Role.PROJECT_MANAGER)
    admin = as_role(tenant, Role.TENANT_ADMIN)
    with open_stream(ws_base, token_of(user)) as ws, open_stream(ws_base, token_of(colleague)) as other:
        response = client.patch(
            f"/api/users/{user.user.id}", json={"is_active": False}, headers=admin.headers
        )
        assert response.status_code == 200, response.text
        assert_closed_promptly(ws, REVOKED_CLOSE, "token_revoked")
        still_streams(other, redis_client, tenant)


def test_a_role_change_closes_the_stream(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ws_base: str
) -> None:
    user, admin = as_role(tenant, Role.PROJECT_MANAGER), as_role(tenant, Role.TENANT_ADMIN)
    with open_stream(ws_base, token_of(user)) as ws:
        response = client.patch(f"/api/users/{user.user.id}", json={"role": "client"}, headers=admin.headers)
        assert response.status_code == 200, response.text
        assert_closed_promptly(ws, REVOKED_CLOSE, "token_revoked")


def test_a_password_change_closes_the_old_sessions_stream(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ws_base: str
) -> None:
    user = as_role(tenant, Role.CLIENT)
    with open_stream(ws_base, token_of(user)) as ws:
        response = client.post(
            "/api/auth/password",
            json={"current_password": user.user.password, "new_password": "a brand new passphrase"},
            headers=user.headers,
        )
        assert response.status_code == 200, response.text
        assert_closed_promptly(ws, REVOKED_CLOSE, "token_revoked")
        # The tokens the change handed out open a new stream.
        with open_stream(ws_base, response.json()["access_token"]):
            pass


def test_a_password_set_by_an_admin_closes_the_stream(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ws_base: str
) -> None:
    user, admin = as_role(tenant, Role.CLIENT), as_role(tenant, Role.TENANT_ADMIN)
    with open_stream(ws_base, token_of(user)) as ws:
        response = client.post(f"/api/users/{user.user.id}/password-reset", headers=admin.headers)
        assert response.status_code == 200, response.text
        assert_closed_promptly(ws, REVOKED_CLOSE, "token_revoked")


def test_deactivating_a_tenant_closes_its_users_streams(
    client: TestClient,
    as_role: AsRole,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    ws_base: str,
    redis_client: Any,
) -> None:
    pm, customer = as_role(tenant, Role.PROJECT_MANAGER), as_role(tenant, Role.CLIENT)
    outsider = as_role(other_tenant, Role.PROJECT_MANAGER)
    admin = as_role(None, Role.GLOBAL_ADMIN)
    with (
        open_stream(ws_base, token_of(pm)) as pm_ws,
        open_stream(ws_base, token_of(customer)) as customer_ws,
        open_stream(ws_base, token_of(outsider)) as outsider_ws,
    ):
        response = client.patch(f"/api/tenants/{tenant.id}", json={"is_active": False}, headers=admin.headers)
        assert response.status_code == 200, response.text
        assert_closed_promptly(pm_ws, REVOKED_CLOSE, "token_revoked")
        assert_closed_promptly(customer_ws, REVOKED_CLOSE, "token_revoked")
        still_streams(outsider_ws, redis_client, other_tenant)


def test_deleting_a_user_closes_their_stream(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, ws_base: str
) -> None:
    user, admin = as_role(tenant, Role.CLIENT), as_role(tenant, Role.TENANT_ADMIN)
    with open_stream(ws_base, token_of(user)) as ws:
        assert client.delete(f"/api/users/{user.user.id}", headers=admin.headers).status_code == 204
        assert_closed_promptly(ws, REVOKED_CLOSE, "token_revoked")


def test_the_stream_closes_when_the_access_token_expires(
    as_role: AsRole, tenant: MadeTenant, ws_base: str, settings: Settings
) -> None:
    user = as_role(tenant, Role.PROJECT_MANAGER)
    token = issue_token(
        secret=settings.secret("secret_key"),
        user_id=user.user.id,
        role=Role.PROJECT_MANAGER,
        tenant_id=tenant.id,
        token_version=1,
        typ="access",
        lifetime=timedelta(seconds=3),
    )
    exp = int(jwt.decode(token, options={"verify_signature": False})["exp"])
    with open_stream(ws_base, token) as ws:
        wait_s = exp - time.time()
        assert wait_s > 0.5, "the server was too slow to test an open stream"
        closed_with, received = wait_for_close(ws, timeout_s=wait_s + CLOSE_WITHIN_S)
        closed_at = time.time()
    assert closed_with == EXPIRED_CLOSE, (closed_with, received)
    assert received[-1]["error"]["code"] == "token_expired"
    assert exp - 0.05 <= closed_at < exp + CLOSE_WITHIN_S

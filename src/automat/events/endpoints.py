"""``/api/ws``: the caller's tenant's pipeline events, live.

Authenticate with ``?token=<access token>``; ``?job_id=`` narrows the stream to one job (a
client may also send ``{"job_id": "..."}`` or ``{"job_id": null}`` to change it). Events come
only from the tenant's own Redis channel; global admins receive all tenants. Notifications go
only to their recipient or audience; clients get only the events of their own orders
(``owner``), as they see only their own orders through the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from automat.core import events
from automat.core.db import BYPASS
from automat.core.security import Claims
from automat.kit.errors import Unauthorized
from automat.models.user import Role
from automat.notifications.service import event_visible_to
from automat.users import repository as users

router = APIRouter(tags=["events"])
log = logging.getLogger(__name__)
UNAUTHORIZED_CLOSE = 4401


async def _authenticate(websocket: WebSocket) -> Claims:
    error = websocket.state.auth_error
    if error is not None:
        raise error
    claims: Claims | None = websocket.state.claims
    if claims is None:
        raise Unauthorized("Pass an access token as ?token=.")
    scope = BYPASS if claims.is_global_admin else claims.tenant_id
    async with websocket.app.state.db.session(scope) as session:
        user = await users.get(session, claims.user_id)
    if user is None or not user.is_active or user.token_version != claims.token_version:
        raise Unauthorized("This token has been revoked; log in again.", code="token_revoked")
    return claims


def visible(event: dict[str, Any], claims: Claims) -> bool:
    if not event_visible_to(event, user_id=claims.user_id, role=claims.role):
        return False
    if claims.role is Role.CLIENT and event.get("type") != "notification":
        return str(event.get("owner")) == str(claims.user_id)
    return True


@router.websocket("/api/ws")
async def pipeline_events(websocket: WebSocket, job_id: str | None = None) -> None:
    await websocket.accept()
    try:
        claims = await _authenticate(websocket)
    except Unauthorized as exc:
        await websocket.send_json({"type": "error", "error": {"code": exc.code, "message": exc.message}})
        await websocket.close(code=UNAUTHORIZED_CLOSE)
        return

    pubsub = websocket.app.state.redis.pubsub()
    if claims.is_global_admin:
        await pubsub.psubscribe(events.ALL_TENANTS_PATTERN)
    else:
        await pubsub.subscribe(events.channel_for(claims.tenant_id))  # type: ignore[arg-type]
    state: dict[str, Any] = {"job_id": job_id}
    await websocket.send_json(
        {
            "type": "subscribed",
            "tenant_id": str(claims.tenant_id) if claims.tenant_id else None,
            "job_id": job_id,
        }
    )

    async def forward() -> None:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is None:
                continue
            try:
                event = json.loads(message["data"])
            except (TypeError, ValueError):
                continue
            if state["job_id"] and event.get("job_id") != state["job_id"]:
                continue
            if not visible(event, claims):
                continue
            await websocket.send_json(event)

    async def listen() -> None:
        while True:
            data = await websocket.receive_json()
            if isinstance(data, dict) and "job_id" in data:
                state["job_id"] = data["job_id"] or None
                await websocket.send_json({"type": "filter", "job_id": state["job_id"]})

    tasks = [asyncio.create_task(forward()), asyncio.create_task(listen())]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            error = task.exception()
            if error is not None and not isinstance(error, WebSocketDisconnect):
                log.warning("websocket stream ended: %r", error)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        await pubsub.aclose()

"""``/api/ws``: the caller's tenant's pipeline events, live.

Authenticate with ``?token=<access token>``; ``?job_id=`` narrows the stream to one job (a
client may also send ``{"job_id": "..."}`` or ``{"job_id": null}`` to change it). Events come
only from the tenant's own Redis channel; global admins receive all tenants. Notifications go
only to their recipient or audience; clients get only the events of their own orders
(``owner``), as they see only their own orders through the API.

Access that ends, ends here too. The connection closes (after an ``{"type": "error"}`` message
with the reason's code)
- with ``4401`` (``EXPIRED_CLOSE``) when the access token expires, or was not valid to begin
  with: refresh the token and reconnect;
- with ``4403`` (``REVOKED_CLOSE``) when access has ended: the user was deactivated or deleted,
  their role or password changed, or their tenant was deactivated (``core/revocations.py``
  announces it to every API process): log in again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from automat.core import events, revocations
from automat.core.db import BYPASS
from automat.core.deps import ensure_token_current
from automat.core.security import Claims
from automat.kit.errors import Unauthorized
from automat.models.user import Role
from automat.notifications.service import event_visible_to, hidden_for
from automat.users import repository as users

router = APIRouter(tags=["events"])
log = logging.getLogger(__name__)
EXPIRED_CLOSE = 4401
REVOKED_CLOSE = 4403


class _SessionEnded(Exception):
    """Raised inside the stream's tasks when its token stops being good."""

    def __init__(self, error: Unauthorized) -> None:
        super().__init__(error.message)
        self.error = error


async def _check_user(websocket: WebSocket, claims: Claims) -> tuple[str, ...]:
    """401 ``token_revoked`` unless the token still speaks for the user as they are now; returns
    the notification actions the user's preferences keep out of their live events."""
    scope = BYPASS if claims.is_global_admin else claims.tenant_id
    async with websocket.app.state.db.session(scope) as session:
        ensure_token_current(await users.get(session, claims.user_id), claims)
        return await hidden_for(session, claims.user_id)


async def _authenticate(websocket: WebSocket) -> Claims:
    error = websocket.state.auth_error
    if error is not None:
        raise error
    claims: Claims | None = websocket.state.claims
    if claims is None:
        raise Unauthorized("Pass an access token as ?token=.")
    await _check_user(websocket, claims)
    return claims


async def _end(websocket: WebSocket, error: Unauthorized) -> None:
    """Say why, then close: ``token_revoked`` with REVOKED_CLOSE, anything else with EXPIRED_CLOSE."""
    code = REVOKED_CLOSE if error.code == "token_revoked" else EXPIRED_CLOSE
    with contextlib.suppress(Exception):  # the client may be gone already
        await websocket.send_json({"type": "error", "error": {"code": error.code, "message": error.message}})
        await websocket.close(code=code, reason=error.code)


def visible(event: dict[str, Any], claims: Claims, hidden: tuple[str, ...] = ()) -> bool:
    """``hidden``: the notification actions the user's preferences keep out (read at connect)."""
    if not event_visible_to(event, user_id=claims.user_id, role=claims.role, hidden=hidden):
        return False
    if claims.role is Role.CLIENT and event.get("type") != "notification":
        return str(event.get("owner")) == str(claims.user_id)
    return True


def concerns(claims: Claims, user_id: str | None, tenant_id: str | None) -> bool:
    """Whether an announced revocation may affect this connection's token."""
    if user_id is not None and user_id == str(claims.user_id):
        return True
    return claims.tenant_id is not None and tenant_id == str(claims.tenant_id)


@router.websocket("/api/ws")
async def pipeline_events(websocket: WebSocket, job_id: str | None = None) -> None:
    await websocket.accept()
    try:
        claims = await _authenticate(websocket)
    except Unauthorized as exc:
        await _end(websocket, exc)
        return

    pubsub = websocket.app.state.redis.pubsub()
    await pubsub.subscribe(revocations.CHANNEL)
    if claims.is_global_admin:
        await pubsub.psubscribe(events.ALL_TENANTS_PATTERN)
    else:
        await pubsub.subscribe(events.channel_for(claims.tenant_id))  # type: ignore[arg-type]
    # A revocation committed between the check above and the subscription would be missed.
    try:
        hidden = await _check_user(websocket, claims)
    except Unauthorized as exc:
        await pubsub.aclose()
        await _end(websocket, exc)
        return
    state: dict[str, Any] = {"job_id": job_id, "hidden": hidden}
    try:
        await websocket.send_json(
            {
                "type": "subscribed",
                "tenant_id": str(claims.tenant_id) if claims.tenant_id else None,
                "job_id": job_id,
            }
        )
    except WebSocketDisconnect:  # the browser left while we subscribed (a page change)
        await pubsub.aclose()
        return

    async def forward() -> None:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is None:
                continue
            if message["channel"] == revocations.CHANNEL:
                if concerns(claims, *revocations.parse(message["data"])):
                    try:
                        await _check_user(websocket, claims)
                    except Unauthorized as exc:
                        raise _SessionEnded(exc) from None
                continue
            try:
                event = json.loads(message["data"])
            except (TypeError, ValueError):
                continue
            if state["job_id"] and event.get("job_id") != state["job_id"]:
                continue
            if not visible(event, claims, state["hidden"]):
                continue
            await websocket.send_json(event)

    async def listen() -> None:
        while True:
            data = await websocket.receive_json()
            if isinstance(data, dict) and "job_id" in data:
                state["job_id"] = data["job_id"] or None
                await websocket.send_json({"type": "filter", "job_id": state["job_id"]})

    async def expire() -> None:
        # PyJWT refuses a token from the second named by `exp` on.
        await asyncio.sleep(max(0.0, claims.exp - time.time()))
        raise _SessionEnded(Unauthorized("The token has expired.", code="token_expired"))

    tasks = [asyncio.create_task(forward()), asyncio.create_task(listen()), asyncio.create_task(expire())]
    ended: _SessionEnded | None = None
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            error = task.exception()
            if isinstance(error, _SessionEnded):
                ended = error
            elif error is not None and not isinstance(error, WebSocketDisconnect):
                log.warning("websocket stream ended: %r", error)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        await pubsub.aclose()
    if ended is not None:
        await _end(websocket, ended.error)

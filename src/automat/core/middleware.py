"""ASGI middleware: the tenant context from the JWT, and the request body size limit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import parse_qs

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from automat.core.errors import error_body
from automat.core.security import decode_token
from automat.kit.errors import Unauthorized


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    if scope["type"] == "websocket":
        tokens = parse_qs(scope.get("query_string", b"").decode()).get("token")
        return tokens[0] if tokens else None
    return None


class TenantContextMiddleware:
    """Decode the access token once and put its claims (tenant, role, user) on ``request.state``.

    It never rejects a request itself: dependencies decide whether an endpoint needs a user and
    turn ``state.auth_error`` into a 401 with its stable code.
    """

    def __init__(self, app: ASGIApp, *, secret: str) -> None:
        self.app = app
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            state = scope.setdefault("state", {})
            state["claims"] = None
            state["auth_error"] = None
            token = _bearer(scope)
            if token is not None:
                try:
                    claims = decode_token(token, secret=self.secret)
                    state["claims"] = claims
                    state["tenant_id"] = claims.tenant_id
                    state["role"] = claims.role
                except Unauthorized as exc:
                    state["auth_error"] = exc
        await self.app(scope, receive, send)


class _TooLarge(HTTPException):
    """Raised from ``receive``; an HTTPException so FastAPI's body parsing passes it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body exceeds {limit} bytes.")


class BodySizeLimitMiddleware:
    """Refuse bodies over ``limit`` bytes with 413, by header and while streaming.

    Paths under ``exempt_prefixes`` (streamed uploads) enforce their own limits.
    """

    def __init__(self, app: ASGIApp, *, limit: int, exempt_prefixes: Sequence[str] = ()) -> None:
        self.app = app
        self.limit = limit
        self.exempt = tuple(exempt_prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(send)
                return

        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge(self.limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            error_body("payload_too_large", f"The request body exceeds {self.limit} bytes.")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

"""ASGI middleware: the tenant context from the JWT, the request body size limit, the refusal
of input PostgreSQL cannot store (NUL, unpaired surrogates, NaN) in parameters and JSON bodies,
and the request metrics."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from urllib.parse import parse_qs, parse_qsl

from starlette.exceptions import HTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from automat.core import metrics
from automat.core.errors import error_body
from automat.core.security import decode_token
from automat.kit.errors import AutomatError, PayloadTooLarge, Unauthorized
from automat.kit.storable import NUL, Loc, NulCharacter, unstorable


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
        message = f"The request body exceeds {self.limit} bytes."
        await _send_json(send, 413, error_body("payload_too_large", message))


async def _send_json(send: Send, status: int, body: dict[str, object]) -> None:
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": raw})


def _is_json(scope: Scope) -> bool:
    """Whether the body may be parsed as JSON: ``application/json``, ``application/*+json``, or no
    content type (FastAPI parses that as JSON unless its strict content-type check is on)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or (
                media.startswith(b"application/") and media.endswith(b"+json")
            )
    return True


def _path_locations(scope: Scope) -> list[Loc]:
    """The path parameters with a NUL, named after the API's path templates (else the path itself)."""
    path: str = scope["path"]
    if NUL not in path:
        return []
    openapi = getattr(scope.get("app"), "openapi", None)
    templates: dict[str, object] = openapi().get("paths", {}) if callable(openapi) else {}
    for template in templates:
        match = compile_path(template)[0].match(path)
        found: list[Loc] = [("path", k) for k, v in (match.groupdict() if match else {}).items() if NUL in v]
        if found:
            return found
    return [("path",)]


def _query_locations(scope: Scope) -> list[Loc]:
    raw: bytes = scope.get("query_string", b"")
    if b"%00" not in raw and b"\x00" not in raw:
        return []
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    found: list[Loc] = []
    for name, value in pairs:
        if NUL in name or NUL in value:
            found.append(("query", name))
    return found


class RefuseUnstorableMiddleware:
    """Answer 422 to what PostgreSQL cannot store (``kit/storable.py``): a NUL in a path or query
    parameter (``nul_character``); in a JSON body, at any depth and in keys too, a NUL, an unpaired
    surrogate (``invalid_unicode``) or NaN/Infinity (``non_finite_number``).

    JSON bodies are read whole (at most ``limit`` bytes: the limit of ``BodySizeLimitMiddleware``,
    which sits outside this one; 413 beyond it here too, for the paths that one exempts), parsed
    once to look, and handed on unchanged; what does not parse is left to FastAPI to report.
    Multipart bodies stream past untouched: their text fields are checked where they are parsed
    (``kit/upload.py``). URL-decoding replaces invalid UTF-8, so parameters hold no surrogates.
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = _path_locations(scope) + _query_locations(scope)
        if found:
            await self._refuse(send, NulCharacter(found))
            return
        if not _is_json(scope):
            await self.app(scope, receive, send)
            return

        chunks: list[bytes] = []
        size = 0
        last: Message | None = None
        while True:
            message = await receive()
            if message["type"] != "http.request":
                last = message  # the client went away; the app sees that after the body
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send, PayloadTooLarge(f"The request body exceeds {self.limit} bytes."))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body:
            try:
                refusal = unstorable(json.loads(body), ("body",))
            except (ValueError, RecursionError):
                refusal = None  # not JSON: FastAPI says so
            if refusal is not None:
                await self._refuse(send, refusal)
                return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            if last is not None:
                return last
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send, exc: AutomatError) -> None:
        await _send_json(send, exc.status_code, error_body(exc.code, exc.message, exc.details))


class RequestMetricsMiddleware:
    """Times every HTTP request into ``automat_http_request_duration_seconds`` by method, route
    template (``/api/orders/{order_id}``, never the ids) and status. Requests no route matched
    count as ``unmatched``; the static web UI as ``web``. Outermost, so refused and failed requests
    count too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when nothing was sent

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = _route_template(scope)
            metrics.HTTP_REQUEST_DURATION.labels(scope["method"], route, str(status)).observe(
                time.perf_counter() - started
            )


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and path.startswith(("/api", "/health", "/metrics", "/docs", "/openapi")):
        return path
    if route is not None:
        return "web"
    return "unmatched"

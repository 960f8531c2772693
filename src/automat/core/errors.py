"""The one global error handler: every error leaves as ``{"error": {"code", "message"}}``;
an unexpected exception as a JSON 500 on a connection that stays open."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from automat.kit.errors import AutomatError

log = logging.getLogger(__name__)

# The naming convention (kit/db.py) names every foreign key to tenants ``fk_<table>_tenant_id_tenants``.
_TENANT_FOREIGN_KEY = re.compile(r'foreign key constraint "fk_\w+_tenant_id_tenants"')

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def error_response(status: int, code: str, message: str, details: Any = None, **headers: str) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers or None)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": [str(p) for p in err.get("loc", ())], "type": err.get("type"), "msg": err.get("msg")}
        for err in exc.errors()
    ]


INTERNAL_MESSAGE = "Something went wrong on our side; it has been logged."


class UnexpectedErrorMiddleware:
    """The last word on an exception no handler took: log it, answer the JSON 500, and end there.

    Starlette's own last resort (``ServerErrorMiddleware``, where an ``Exception`` handler is
    installed) sends the handler's response and then re-raises, and uvicorn closes the connection
    of any request whose application raised: the client's next request on that keep-alive
    connection was reset. Added as the outermost middleware, this one swallows the exception once
    the 500 is sent, so the connection stays usable. Only when the response had already started
    (a stream broken halfway) does the exception go on: then closing the connection is the only
    honest end.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            await error_response(500, "internal_error", INTERNAL_MESSAGE)(scope, receive, send)


def install(app: FastAPI) -> None:
    @app.exception_handler(AutomatError)
    async def _automat(_: Request, exc: AutomatError) -> JSONResponse:
        headers = {}
        if exc.status_code == 429 and isinstance(exc.details, dict) and "retry_after_s" in exc.details:
            headers["Retry-After"] = str(exc.details["retry_after_s"])
        if exc.status_code == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return error_response(exc.status_code, exc.code, exc.message, exc.details, **headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        if any(d["type"] == "json_invalid" for d in details):
            return error_response(400, "malformed_json", "The request body is not valid JSON.", details)
        if any(d["type"] == "extra_forbidden" for d in details):
            return error_response(
                422, "unknown_field", "The request has fields this endpoint does not know.", details
            )
        return error_response(422, "validation_error", "The request is not valid.", details)

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        """A row for a tenant that does not exist (a global admin's ``tenant_id``, or a tenant
        deleted meanwhile): the foreign key has the last word, as the unique index does for
        ``kit/repository.save_unique``. Any other integrity error is a bug: a 500."""
        if _TENANT_FOREIGN_KEY.search(str(exc.orig)):
            return error_response(404, "not_found", "Tenant not found.")
        raise exc

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        response = error_response(exc.status_code, code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        """Only reached by an error outside ``UnexpectedErrorMiddleware`` (or in an app built without it)."""
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", INTERNAL_MESSAGE)

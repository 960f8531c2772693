"""One exception base for everything a client may see: it carries its status and a stable code.

A global handler (``automat.core.errors``) turns these into
``{"error": {"code": ..., "message": ..., "details": ...}}``.
"""

from __future__ import annotations

from typing import Any


class AutomatError(Exception):
    status_code: int = 500
    code: str = "internal_error"

    def __init__(self, message: str | None = None, *, details: Any = None, code: str | None = None):
        self.message = message or self.__class__.__doc__ or self.code
        self.details = details
        if code is not None:
            self.code = code
        super().__init__(self.message)


class BadRequest(AutomatError):
    """The request is not valid."""

    status_code = 400
    code = "bad_request"


class Unauthorized(AutomatError):
    """Authentication is required."""

    status_code = 401
    code = "not_authenticated"


class Forbidden(AutomatError):
    """You are not allowed to do this."""

    status_code = 403
    code = "forbidden"


class NotFound(AutomatError):
    """Not found."""

    status_code = 404
    code = "not_found"


class Conflict(AutomatError):
    """The request conflicts with the current state."""

    status_code = 409
    code = "conflict"


class Gone(AutomatError):
    """It was here and is no more (an expired download)."""

    status_code = 410
    code = "gone"


class PayloadTooLarge(AutomatError):
    """The request body is too large."""

    status_code = 413
    code = "payload_too_large"


class Unprocessable(AutomatError):
    """The request is well-formed but its content is not valid."""

    status_code = 422
    code = "validation_error"


class TooManyRequests(AutomatError):
    """Too many requests; try again later."""

    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str | None = None, *, retry_after_s: int = 60, code: str | None = None):
        super().__init__(message, code=code, details={"retry_after_s": retry_after_s})
        self.retry_after_s = retry_after_s

"""One page shape for every list: ``Page[T]`` = ``{items, next_cursor, total}``, keyset-paged.

A list is ordered by a unique key, a tuple such as ``(row,)`` or ``(created_at, id)``. A page is
the first ``page_size`` rows after the cursor's key; ``next_cursor`` is the key of the page's last
row, or ``None`` on the last page. A repository fetches ``page_size + 1`` rows and ``page_of``
cuts the page and makes the cursor, so no ``OFFSET`` ever walks past the rows before it.

The cursor is opaque to clients (they pass it back as they got it): base64url of the key as a
JSON array. Decoding checks every part against the type the list expects; a tampered or foreign
cursor is a 422 ``invalid_cursor``, never a 500.

    class ImportLogPage(Page[ImportLogEntry]): ...  # a name of its own in the OpenAPI schema

    @router.get("/{import_id}/rows", response_model=ImportLogPage)
    async def rows(..., cursor: CursorParam = None, page_size: PageSize = DEFAULT_PAGE_SIZE): ...
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, literal, tuple_

from automat.kit.errors import Unprocessable

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_CURSOR_LENGTH = 512
_BIGINT = 2**63 - 1
_MAX_TEXT = 200

PageSize = Annotated[
    int, Field(ge=1, le=MAX_PAGE_SIZE, description=f"items per page (at most {MAX_PAGE_SIZE})")
]
CursorParam = Annotated[
    str | None,
    Field(
        max_length=MAX_CURSOR_LENGTH,
        pattern=r"^[A-Za-z0-9_-]*$",
        description="the next_cursor of the previous page; leave it out for the first page",
    ),
]

KeyPart = int | str | uuid.UUID | datetime
KeyTypes = tuple[type[int] | type[str] | type[uuid.UUID] | type[datetime], ...]


class InvalidCursor(Unprocessable):
    """This cursor does not belong to this list: start again from the first page."""

    code = "invalid_cursor"


class Page(BaseModel, Generic[T]):
    """A page of a list: its items, the cursor of the next page (None: the last) and the total."""

    items: list[T]
    next_cursor: str | None = Field(description="pass it as `cursor` for the next page; null on the last")
    total: int = Field(description="how many items the whole list (with its filters) has")


# A list too long to count every time (the media library's millions) is counted up to this many
# matches: reading past them would cost as much as the whole list, and "10,000+" says enough.
COUNT_CAP = 10_000


class CappedPage(Page[T], Generic[T]):
    """A page whose total is exact up to ``COUNT_CAP``; beyond it ``total`` is ``COUNT_CAP`` and
    ``total_is_estimate`` true ("10,000+")."""

    total_is_estimate: bool = Field(
        default=False, description=f"true: there are more than `total` ({COUNT_CAP:,}) items"
    )


def capped(count: int, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(total, is_estimate) of a count made with ``LIMIT cap + 1``."""
    return (cap, True) if count > cap else (count, False)


def _plain(part: KeyPart) -> int | str:
    if isinstance(part, bool):
        raise TypeError("a cursor key is never a bool")
    if isinstance(part, int | str):
        return part
    if isinstance(part, uuid.UUID):
        return str(part)
    return part.isoformat()


def encode_cursor(key: Sequence[KeyPart]) -> str:
    """The opaque cursor of a row's sort key."""
    raw = json.dumps([_plain(p) for p in key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _typed(value: object, kind: type) -> KeyPart:
    if kind is int and type(value) is int and -_BIGINT <= value <= _BIGINT:
        return value
    if kind is str and isinstance(value, str) and len(value) <= _MAX_TEXT and "\x00" not in value:
        return value
    if kind is uuid.UUID and isinstance(value, str):
        return uuid.UUID(value)
    if kind is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    raise ValueError(f"not a {kind.__name__}")


def decode_cursor(cursor: str | None, types: KeyTypes) -> tuple[KeyPart, ...] | None:
    """The sort key a cursor carries, each part of the type the list expects (None: first page)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError("wrong shape")
        return tuple(_typed(v, t) for v, t in zip(values, types, strict=True))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise InvalidCursor() from None


def page_of(
    rows: Sequence[R], page_size: int, key: Callable[[R], Sequence[KeyPart]]
) -> tuple[list[R], str | None]:
    """The page (the first ``page_size`` of ``page_size + 1`` fetched rows) and the next cursor."""
    page = list(rows[:page_size])
    more = len(rows) > page_size
    return page, encode_cursor(key(page[-1])) if more and page else None


def after_key(columns: Sequence[Any], key: Sequence[KeyPart], *, descending: bool) -> ColumnElement[bool]:
    """Rows after a cursor's key in ``columns`` order (all ascending or all descending): one row
    comparison, so an index on the same columns reads it as one range (never ``OFFSET``)."""
    bound = tuple_(*(literal(part, column.type) for part, column in zip(key, columns, strict=True)))
    row = tuple_(*columns)
    return row < bound if descending else row > bound

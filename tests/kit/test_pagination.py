"""The one page shape: opaque cursors that carry a keyset tuple and refuse anything else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from automat.kit.pagination import InvalidCursor, Page, decode_cursor, encode_cursor, page_of


def test_a_cursor_round_trips_its_key_and_is_url_safe() -> None:
    key = (datetime(2026, 12, 2, 3, 4, 5, tzinfo=UTC), uuid.UUID(int=7), 42, "Kugel/Lager ä")
    cursor = encode_cursor(key)
    assert all(c.isalnum() or c in "-_" for c in cursor)
    assert decode_cursor(cursor, (datetime, uuid.UUID, int, str)) == key
    assert decode_cursor(None, (int,)) is None
    assert decode_cursor("", (int,)) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        encode_cursor(("x",)),  # the wrong type for this list
        encode_cursor((1, 2)),  # the wrong length
        encode_cursor((2**64,)),  # beyond bigint
        "eyJyb3ciOiAxfQ",  # {"row": 1}: not a list
        "bnVsbA",  # null
    ],
)
def test_anything_else_is_invalid_cursor(cursor: str) -> None:
    with pytest.raises(InvalidCursor) as caught:
        decode_cursor(cursor, (int,))
    assert (caught.value.status_code, caught.value.code) == (422, "invalid_cursor")


def test_page_of_cuts_the_extra_row_into_the_next_cursor() -> None:
    rows = list(range(1, 12))  # 11 fetched for a page of 10
    page, cursor = page_of(rows, 10, key=lambda r: (r,))
    assert page == list(range(1, 11))
    assert cursor is not None and decode_cursor(cursor, (int,)) == (10,)
    assert page_of(rows[:10], 10, key=lambda r: (r,)) == (list(range(1, 11)), None)
    assert page_of([], 10, key=lambda r: (r,)) == ([], None)


def test_page_is_a_generic_model() -> None:
    page = Page[int](items=[1, 2], next_cursor=None, total=2)
    assert page.model_dump() == {"items": [1, 2], "next_cursor": None, "total": 2}

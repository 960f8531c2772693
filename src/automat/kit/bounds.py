"""Bounds for every integer a client sends: a Python ``int`` has none, PostgreSQL's ``bigint`` stops
at 2**63-1 and asyncpg refuses to send more, so an unbounded parameter turns ``?offset=2**63`` into
a 500. Query, path and body fields use these types (or a ``Field``/``Query`` with both ``ge`` and
``le``); ``tests/core/test_hostile_input.py`` walks the OpenAPI schema and fails on any integer
input without a maximum.

    offset: Offset = 0                                   # a query parameter
    entry_id: BigintId                                   # a path parameter
    before: Annotated[BigintId | None, Query(description=...)] = None
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

BIGINT_MAX = 2**63 - 1
MAX_OFFSET = 1_000_000
"""Offset paging past a million rows is a table scan; nobody pages that far by hand."""

BigintId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
"""The key of a row with a ``bigint`` identity (audit log entries)."""

Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="rows to skip")]
"""How many rows of a list to skip."""

"""The NUL character (U+0000) is refused in every text a client sends.

PostgreSQL stores no NUL in ``text`` or ``jsonb`` and asyncpg fails the whole statement on one,
so a NUL that reaches a query is a 500. It is refused at the edge instead, in one place: query
and path parameters and JSON bodies (nested keys and values included) by
``automat.core.middleware.RefuseNulMiddleware``, text fields of multipart uploads by
``automat.kit.upload``. Both raise or answer :class:`NulCharacter` (422 ``nul_character``) naming
each place it was found, in the shape of validation errors: ``{"loc": [...], "type", "msg"}``.
"""

from __future__ import annotations

from typing import Any

from automat.kit.errors import Unprocessable

NUL = "\x00"
MAX_REPORTED = 20
MESSAGE = "Text may not contain the NUL character (\\u0000)."

Loc = tuple[str | int, ...]


class NulCharacter(Unprocessable):
    """Text may not contain the NUL character (\\u0000)."""

    code = "nul_character"

    def __init__(self, locations: list[Loc]) -> None:
        super().__init__(MESSAGE, details=details(locations))


def details(locations: list[Loc]) -> list[dict[str, Any]]:
    return [
        {"loc": [str(part) for part in loc], "type": "nul_character", "msg": MESSAGE}
        for loc in locations[:MAX_REPORTED]
    ]


def nul_locations(value: Any, loc: Loc) -> list[Loc]:
    """Where in ``value`` (a parsed JSON document, a string, or a list of name/value pairs) a NUL
    occurs, as locations below ``loc``; dictionary keys count as text too. Iterative, so a deeply
    nested document cannot exhaust the stack."""
    found: list[Loc] = []
    stack: list[tuple[Any, Loc]] = [(value, loc)]
    while stack and len(found) < MAX_REPORTED:
        item, where = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                found.append(where)
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                if isinstance(key, str) and NUL in key:
                    found.append((*where, key))
                stack.append((child, (*where, key)))
        elif isinstance(item, list | tuple):
            stack.extend((child, (*where, index)) for index, child in reversed(list(enumerate(item))))
    return found

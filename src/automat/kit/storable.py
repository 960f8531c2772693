"""Input PostgreSQL cannot store is refused at the edge, with a 422 naming where it was.

PostgreSQL keeps no NUL character (U+0000) in ``text`` or ``jsonb``, no unpaired UTF-16
surrogate (``"\\ud800"`` is valid JSON, but no character), and no ``NaN`` or infinity in
``jsonb`` (JSON has neither; Python's parser reads ``NaN``, ``Infinity`` and ``1e400`` as such).
Any of them reaching a query failed the whole statement: a 500. They are refused in one place
instead: query and path parameters and JSON bodies (keys and values at any depth) by
``automat.core.middleware.RefuseUnstorableMiddleware``, the text fields of multipart uploads by
``automat.kit.upload``. Each kind has its stable code (``nul_character``, ``invalid_unicode``,
``non_finite_number``); ``details`` name the places in the shape of validation errors:
``{"loc": [...], "type": <code>, "msg": ...}``.
"""

from __future__ import annotations

import math
from typing import Any

from automat.kit.errors import Unprocessable

NUL = "\x00"
MAX_REPORTED = 20

Loc = tuple[str | int, ...]


class Unstorable(Unprocessable):
    """The request holds a value that cannot be stored."""

    def __init__(self, locations: list[Loc]) -> None:
        message = self.__class__.__doc__ or self.code
        details = [
            {"loc": [_shown(part) for part in loc], "type": self.code, "msg": message}
            for loc in locations[:MAX_REPORTED]
        ]
        super().__init__(message, details=details)


class NulCharacter(Unstorable):
    """Text may not contain the NUL character (\\u0000)."""

    code = "nul_character"


class InvalidUnicode(Unstorable):
    """Text must be valid Unicode: an unpaired surrogate (\\ud800-\\udfff) is not a character."""

    code = "invalid_unicode"


class NonFiniteNumber(Unstorable):
    """Numbers must be finite: NaN, Infinity and numbers beyond ±1.7e308 are not accepted."""

    code = "non_finite_number"


def _shown(part: str | int) -> str:
    """A location part as it can be sent back (an unpaired surrogate as its escape)."""
    return str(part).encode("utf-8", "backslashreplace").decode("utf-8")


KINDS: tuple[type[Unstorable], ...] = (NulCharacter, InvalidUnicode, NonFiniteNumber)


def _text_problem(text: str) -> type[Unstorable] | None:
    if NUL in text:
        return NulCharacter
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return InvalidUnicode
    return None


def unstorable(value: Any, loc: Loc) -> Unstorable | None:
    """The refusal for ``value`` (a parsed JSON document or a string) below ``loc``, or None.

    Dictionary keys are text too. When several kinds occur, the first kind found is reported
    with every place it occurs (up to ``MAX_REPORTED``). Iterative, so a deeply nested document
    cannot exhaust the stack.
    """
    found: dict[type[Unstorable], list[Loc]] = {}
    stack: list[tuple[Any, Loc]] = [(value, loc)]
    while stack:
        item, where = stack.pop()
        problem: type[Unstorable] | None = None
        if isinstance(item, str):
            problem = _text_problem(item)
        elif isinstance(item, float):
            problem = None if math.isfinite(item) else NonFiniteNumber
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                key_problem = _text_problem(key) if isinstance(key, str) else None
                if key_problem is not None:
                    found.setdefault(key_problem, []).append((*where, key))
                stack.append((child, (*where, key)))
        elif isinstance(item, list):
            stack.extend((child, (*where, index)) for index, child in reversed(list(enumerate(item))))
        if problem is not None:
            found.setdefault(problem, []).append(where)
    for kind in KINDS:
        if kind in found:
            return kind(found[kind])
    return None

"""Spreadsheet safety: text a spreadsheet program would run as a formula leaves us escaped.

Imports store such text as it was typed (cells are read as values, never evaluated); every export
to CSV/Excel passes cell text through ``escape_for_spreadsheet`` so ``=HYPERLINK(...)`` written
by someone else is shown, not executed, in the reader's spreadsheet (CSV/formula injection).
"""

from __future__ import annotations

from typing import TypeVar

# Leading characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula;
# tab and carriage return because some programs strip them and read what follows.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def escape_for_spreadsheet(value: T) -> T | str:
    """``'=1+1`` for ``=1+1``; anything that is not formula-like text is returned unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl

from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


def xlsx(rows: Sequence[Sequence[Any]], *, text_cells: Sequence[tuple[int, int]] = ()) -> bytes:
    """A workbook with ``rows`` on its first sheet; ``text_cells`` (1-based row, column) are stored
    as text even when they start with '=' (openpyxl would write a formula otherwise)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for r, c in text_cells:
        sheet.cell(row=r, column=c).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The capped child that reads an uploaded workbook (``python -m automat.products.excel_child``).

Started by ``excel.check_upload`` / ``excel.upload_parts`` through ``kit.capped``: it caps its
own memory, reads ``{"op", "path", "override", "limits"}`` on stdin and answers with JSON (a
parse in parts of rows, one JSON line each).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from automat.kit.capped import child_main
from automat.kit.xlsx_guard import SheetLimits
from automat.products import excel


def handle(request: dict[str, Any]) -> dict[str, Any] | Iterator[dict[str, Any]]:
    path = Path(request["path"])
    limits = SheetLimits(**request["limits"])
    override: dict[str, str] = request.get("override") or {}
    if request["op"] == "columns":
        header = excel.read_header(path, limits, override)
        return {"columns": header.columns.describe(header.cells), "header_row": header.row}
    # In parts, each sent as soon as it is read (excel.upload_parts).
    return map(excel.part_answer, excel.workbook_parts(path, limits, override))


if __name__ == "__main__":
    child_main(handle)

"""The capped child that reads an uploaded workbook (``python -m automat.products.excel_child``).

Started by ``excel.check_upload`` / ``excel.parse_upload`` through ``kit.capped``: it caps its
own memory, reads ``{"op", "path", "override", "limits"}`` on stdin and answers with JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from automat.kit.capped import child_main
from automat.kit.xlsx_guard import SheetLimits
from automat.products import excel


def handle(request: dict[str, Any]) -> dict[str, Any]:
    path = Path(request["path"])
    limits = SheetLimits(**request["limits"])
    override: dict[str, str] = request.get("override") or {}
    if request["op"] == "columns":
        header = excel.read_header(path, limits, override)
        return {"columns": header.columns.describe(header.cells), "header_row": header.row}
    sheet = excel.parse_workbook(path, limits, override)
    return {
        "columns": sheet.columns,
        # Not dataclasses.asdict: its deep copy costs more than the parse itself.
        "rows": [
            {"row": r.row, "values": r.values, "attributes": r.attributes, "cad_file": r.cad_file}
            for r in sheet.rows
        ],
        "skipped": sheet.skipped,
        "fields_present": list(sheet.fields_present),
        "header_row": sheet.header_row,
    }


if __name__ == "__main__":
    child_main(handle)

"""A workbook's real size is known before any reader builds it: bombs are refused cheaply."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from automat.kit.xlsx_guard import BadWorkbook, SheetLimits, WorkbookTooLarge, check_workbook, column_number
from tests.products.conftest import xlsx
from tests.support.workbooks import (
    HEADER_ROW,
    SHEET_HEAD,
    dimension_bomb,
    inflate_bomb,
    lying_sizes,
    workbook,
)

LIMITS = SheetLimits(
    max_rows=500_000,
    max_columns=500,
    max_cells=20_000_000,
    max_inflated_bytes=512 * 1_048_576,
    names={"max_rows": "excel_max_rows", "max_inflated_bytes": "excel_max_inflated_mb"},
)


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    return path


def test_column_numbers() -> None:
    assert [column_number(c) for c in ("A", "Z", "AA", "az", "ALL", "XFD")] == [1, 26, 27, 52, 1000, 16384]


def test_a_real_workbook_passes_with_its_extent(tmp_path: Path) -> None:
    data = xlsx([["pim_id", "name", "category"], *[[f"P-{i}", f"Bearing {i}", "ball"] for i in range(250)]])
    shape = check_workbook(write(tmp_path, data), LIMITS)
    assert (shape.rows, shape.columns) == (251, 3)
    assert shape.sheet_part == "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("declare", [True, False], ids=["declared", "undeclared"])
def test_the_dimension_bomb_is_refused_naming_the_row_limit(tmp_path: Path, declare: bool) -> None:
    data = dimension_bomb(declare=declare)
    assert len(data) < 2_000  # the 1.6 KB file of the attack
    with pytest.raises(WorkbookTooLarge) as refused:
        check_workbook(write(tmp_path, data), LIMITS)
    assert refused.value.status_code == 422
    assert refused.value.code == "workbook_too_large"
    assert refused.value.details["limit"] == "excel_max_rows"
    assert "1,000,000" in refused.value.message and "excel_max_rows" in refused.value.message


def test_too_many_columns_or_cells(tmp_path: Path) -> None:
    wide = workbook(SHEET_HEAD + "<sheetData>" + HEADER_ROW + '<row r="2"><c r="XFD2"><v>1</v></c></row>'
                    "</sheetData></worksheet>")  # fmt: skip
    with pytest.raises(WorkbookTooLarge) as refused:
        check_workbook(write(tmp_path, wide), LIMITS)
    assert refused.value.details == {"limit": "max_columns", "found": 16384, "maximum": 500}
    square = workbook(SHEET_HEAD + "<sheetData>" + HEADER_ROW + '<row r="400000"><c r="JZ400000"><v>1</v>'
                      "</c></row></sheetData></worksheet>")  # fmt: skip
    with pytest.raises(WorkbookTooLarge) as refused:
        check_workbook(write(tmp_path, square), LIMITS)
    assert refused.value.details["limit"] == "max_cells"
    assert refused.value.details["found"] == 286 * 400_000


def test_cells_without_references_are_counted_too(tmp_path: Path) -> None:
    # `r` is optional in OOXML: position then follows from the order of rows and cells.
    cells = "<c><v>1</v></c>" * 600
    sheet = SHEET_HEAD + "<sheetData>" + HEADER_ROW + f"<row>{cells}</row></sheetData></worksheet>"
    with pytest.raises(WorkbookTooLarge) as refused:
        check_workbook(write(tmp_path, workbook(sheet)), LIMITS)
    assert refused.value.details["found"] == 600


def test_the_inflate_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    path = write(tmp_path, inflate_bomb(1024))
    assert path.stat().st_size < 4 * 1_048_576
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(WorkbookTooLarge) as refused:
        check_workbook(path, LIMITS)
    assert time.monotonic() - started < 5
    assert refused.value.details["limit"] == "excel_max_inflated_mb"
    assert "512 MB" in refused.value.message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB


def test_a_zip_that_lies_about_its_sizes_is_not_believed(tmp_path: Path) -> None:
    # It claims 1,000 bytes per part; reading it inflates no more than that before the lie shows.
    path = write(tmp_path, lying_sizes(inflate_bomb(64)))
    with pytest.raises(BadWorkbook):
        check_workbook(path, LIMITS)


@pytest.mark.parametrize(
    "data",
    [b"", b"name,pim_id\n1,2\n", b"PK\x03\x04" + b"\x00" * 100],
    ids=["empty", "csv", "zip-garbage"],
)
def test_not_a_workbook(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(BadWorkbook):
        check_workbook(write(tmp_path, data), LIMITS)

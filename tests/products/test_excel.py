"""Reading product lists: header mapping, row validation, values never evaluated."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from automat.kit.errors import Unprocessable
from automat.kit.spreadsheet import escape_for_spreadsheet
from automat.kit.xlsx_guard import WorkbookTooLarge
from automat.products import excel
from automat.settings.registry import SETTINGS
from tests.products.conftest import xlsx
from tests.support.workbooks import dimension_bomb

LIMITS = excel.read_limits({key: SETTINGS[key].default for key in excel.LIMIT_SETTINGS.values()}).sheet


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 170", "'+49 170"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("Deep groove ball bearing", "Deep groove ball bearing"),
        ("a=b", "a=b"),
        ("", ""),
        (42, 42),
        (-1.5, -1.5),
        (None, None),
    ],
)
def test_escape_for_spreadsheet(value: object, expected: object) -> None:
    assert escape_for_spreadsheet(value) == expected


def test_german_and_english_headers_map_case_insensitively() -> None:
    header = ["ARTIKELNUMMER", "Benennung", "Kategorie", "Lagertyp", "STEP-Datei", "Farbe"]
    columns = excel.resolve_columns(header)
    assert columns.fields == {"pim_id": 0, "name": 1, "category_key": 2, "lagertyp": 3, "cad_file": 4}
    assert columns.attributes == {5: "Farbe"}
    english = excel.resolve_columns(["Material number", "name", "category", "Bearing Type", "CAD"])
    assert set(english.fields) == set(excel.FIELDS)
    assert excel.resolve_columns(["pim_id", "PIM-ID".lower() + "x", "Bezeichnung"]).fields["pim_id"] == 0


def test_override_wins_and_is_validated() -> None:
    override = excel.parse_override({"Nr.": "pim_id", "Text": "name", "Artikelnummer": "ignore"})
    columns = excel.resolve_columns(["Artikelnummer", "Nr.", "Text"], override)
    assert columns.fields == {"pim_id": 1, "name": 2}
    assert columns.attributes == {}
    with pytest.raises(Unprocessable) as bad:
        excel.parse_override({"Nr.": "price"})
    assert bad.value.code == "invalid_mapping"
    with pytest.raises(Unprocessable) as not_object:
        excel.parse_override(["pim_id"])
    assert not_object.value.code == "invalid_mapping"


def test_missing_and_ambiguous_columns_are_refused() -> None:
    with pytest.raises(Unprocessable) as missing:
        excel.resolve_columns(["Artikelnummer", "Farbe"])
    assert missing.value.code == "missing_columns"
    assert missing.value.details["missing"] == ["name"]
    with pytest.raises(Unprocessable) as twice:
        excel.resolve_columns(["pim_id", "Artikelnummer", "name"])
    assert twice.value.code == "ambiguous_columns"


def test_rows_are_read_as_values_and_invalid_rows_skipped_with_reason(tmp_path: Path) -> None:
    data = xlsx(
        [
            ["PIM-ID", "Name", "Kategorie", "Gewicht kg"],
            [6205, '=HYPERLINK("http://evil")', "ball", 0.12],
            ["6206", "=1+1", "ball", None],  # a real formula: its (absent) value is read, not computed
            [None, "No id", "ball", 1],
            [],
            ["6205", "Duplicate", "ball", 1],
            ["-6207", "+minus text", "@cat", 2],
        ],
        text_cells=[(2, 2)],
    )
    sheet = excel.parse_workbook(write(tmp_path, data), LIMITS)
    assert [(r.row, r.values) for r in sheet.rows] == [
        (2, {"pim_id": "6205", "name": '=HYPERLINK("http://evil")', "category_key": "ball"}),
        (7, {"pim_id": "-6207", "name": "+minus text", "category_key": "@cat"}),
    ]
    assert sheet.rows[0].attributes == {"Gewicht kg": 0.12}
    assert [(s["row"], s["reason"]) for s in sheet.skipped] == [
        (
            3,
            "name is a formula without a stored value (cell B3): open the workbook in Excel, copy the "
            "column and paste it as values (Paste Special → Values), then import again",
        ),
        (4, "missing pim_id"),
        (6, "duplicate pim_id (first in row 2)"),
    ]


def test_the_header_is_found_below_a_title_line_and_a_blank_line(tmp_path: Path) -> None:
    """As PIM and ERP exports write them: a title, a blank line, then the header (row 3)."""
    data = xlsx(
        [
            ["Produktexport Wälzlager, Stand 01.12.2026"],
            [],
            ["Artikelnummer", "Bezeichnung", "STEP-Datei"],
            ["6205", "Rillenkugellager", "6205.stp"],
            ["6206", None, None],
        ]
    )
    path = write(tmp_path, data)
    sheet = excel.parse_workbook(path, LIMITS)
    assert sheet.header_row == 3
    assert [(r.row, r.values["pim_id"], r.cad_file) for r in sheet.rows] == [(4, "6205", "6205.stp")]
    assert sheet.skipped == [{"row": 5, "status": "skipped", "pim_id": "6206", "reason": "missing name"}]
    columns, header_row = excel.check_upload(path, {}, limits())
    assert (columns["Artikelnummer"], header_row) == ("pim_id", 3)


def test_no_header_in_the_first_20_rows_names_the_first_row_with_content(tmp_path: Path) -> None:
    data = xlsx([["Export"], *[[f"line {i}"] for i in range(25)], ["pim_id", "name"], ["1", "x"]])
    with pytest.raises(Unprocessable) as missing:
        excel.read_header(write(tmp_path, data), LIMITS)
    assert missing.value.code == "missing_columns"
    assert missing.value.details["row"] == 1
    assert "in the first 20 rows (the first with content, row 1, has: Export)" in missing.value.message


def test_a_formula_without_a_stored_value_is_named_as_such(tmp_path: Path) -> None:
    """openpyxl writes formulas without their results, as many generating programs do."""
    data = xlsx(
        [
            ["Title line"],
            [],
            [None, "pim_id", "name"],
            [None, '="P-"&1', "Bearing"],
            [None, "P-2", '=UPPER("b")'],
            [None, "P-3", None],
        ]
    )
    sheet = excel.parse_workbook(write(tmp_path, data), LIMITS)
    assert [(s["row"], s["reason"].split(":")[0]) for s in sheet.skipped] == [
        (4, "pim_id is a formula without a stored value (cell B4)"),
        (5, "name is a formula without a stored value (cell C5)"),
        (6, "missing name"),
    ]
    assert "paste it as values" in sheet.skipped[0]["reason"]


@pytest.mark.parametrize(
    "data",
    [b"", b"name,pim_id\n1,2\n", b"PK\x03\x04" + b"\x00" * 100, xlsx([["a"]])[:200]],
    ids=["empty", "csv", "zip-garbage", "truncated"],
)
def test_unreadable_files_are_bad_excel(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(excel.BadExcel) as bad:
        excel.read_header(write(tmp_path, data), LIMITS)
    assert bad.value.code == "bad_excel"
    assert bad.value.status_code == 422


def test_an_empty_sheet_is_bad_excel(tmp_path: Path) -> None:
    with pytest.raises(excel.BadExcel):
        excel.read_header(write(tmp_path, xlsx([])), LIMITS)


# -- read in a capped child process ------------------------------------------------------------


def limits(**overrides: Any) -> excel.ReadLimits:
    values = {key: SETTINGS[key].default for key in excel.LIMIT_SETTINGS.values()}
    values.update(overrides)
    return excel.read_limits(values)


def test_the_child_reads_what_the_process_would(tmp_path: Path) -> None:
    data = xlsx([["PIM-ID", "Name", "Farbe"], ["6205", "Ball bearing", "rot"], [None, "No id", None]])
    path = write(tmp_path, data)
    assert excel.check_upload(path, {}, limits()) == (
        {"PIM-ID": "pim_id", "Name": "name", "Farbe": "attributes.Farbe"},
        1,
    )
    assert excel.parse_upload(path, {}, limits()) == excel.parse_workbook(path, LIMITS)


def test_the_child_sends_a_long_list_in_parts_with_the_skipped_rows_last(tmp_path: Path) -> None:
    count = 2 * excel.ROWS_PER_PART + 10
    rows = [[f"P-{n}", f"Bearing {n}" if n % 1000 else None] for n in range(count)]
    path = write(tmp_path, xlsx([["pim_id", "name"], *rows]))
    parts = list(excel.upload_parts(path, {}, limits()))
    assert [len(p.rows) for p in parts] == [excel.ROWS_PER_PART, excel.ROWS_PER_PART, 10 - 5]
    assert [len(p.skipped) for p in parts] == [0, 0, 5]  # a reason may change at the end: sent last
    assert all(p.columns == parts[0].columns and p.header_row == 1 for p in parts)
    assert excel.whole(parts) == excel.parse_workbook(path, LIMITS)


def test_the_childs_refusals_arrive_with_their_code(tmp_path: Path) -> None:
    with pytest.raises(Unprocessable) as refused:
        excel.check_upload(write(tmp_path, xlsx([["Artikel", "Farbe"], ["1", "rot"]])), {}, limits())
    assert refused.value.code == "missing_columns"
    assert refused.value.details["missing"] == ["pim_id", "name"]
    with pytest.raises(excel.BadExcel):
        excel.check_upload(write(tmp_path, b"PK\x03\x04 not really"), {}, limits())


def test_the_dimension_bomb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    with pytest.raises(WorkbookTooLarge) as refused:
        excel.check_upload(write(tmp_path, dimension_bomb()), {}, limits())
    assert refused.value.details["limit"] == "excel_max_rows"


def test_the_memory_cap_holds_when_the_guard_is_set_wide_open(tmp_path: Path) -> None:
    # With the sheet limits out of the way, the reader tries to build 10^9 cells (32 GB):
    # the child dies at its cap and the caller gets a 422 naming the memory setting.
    wide_open = limits(
        excel_max_rows=1_048_576, excel_max_columns=16_384, excel_max_cells=200_000_000,
        excel_parse_memory_mb=512,
    )  # fmt: skip
    wide_open = excel.ReadLimits(
        sheet=excel.SheetLimits(**{**asdict(wide_open.sheet), "max_cells": 10**12}), process=wide_open.process
    )
    with pytest.raises(WorkbookTooLarge) as refused:
        excel.check_upload(write(tmp_path, dimension_bomb()), {}, wide_open)
    assert refused.value.details["limit"] == "excel_parse_memory_mb"
    assert "512 MB" in refused.value.message


def test_a_reader_that_takes_too_long_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(WorkbookTooLarge) as refused:
        excel.check_upload(
            write(tmp_path, xlsx([["pim_id", "name"]])), {}, limits(excel_parse_timeout_s=0.001)
        )
    assert refused.value.details["limit"] == "excel_parse_timeout_s"

"""Reading product lists: header mapping, row validation, values never evaluated."""

from __future__ import annotations

from pathlib import Path

import pytest

from automat.kit.errors import Unprocessable
from automat.kit.spreadsheet import escape_for_spreadsheet
from automat.products import excel
from tests.products.conftest import xlsx


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
    sheet = excel.parse_workbook(write(tmp_path, data))
    assert [(r.row, r.values) for r in sheet.rows] == [
        (2, {"pim_id": "6205", "name": '=HYPERLINK("http://evil")', "category_key": "ball"}),
        (7, {"pim_id": "-6207", "name": "+minus text", "category_key": "@cat"}),
    ]
    assert sheet.rows[0].attributes == {"Gewicht kg": 0.12}
    assert [(s["row"], s["reason"]) for s in sheet.skipped] == [
        (3, "missing name"),
        (4, "missing pim_id"),
        (6, "duplicate pim_id (first in row 2)"),
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"name,pim_id\n1,2\n", b"PK\x03\x04" + b"\x00" * 100, xlsx([["a"]])[:200]],
    ids=["empty", "csv", "zip-garbage", "truncated"],
)
def test_unreadable_files_are_bad_excel(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(excel.BadExcel) as bad:
        excel.read_header(write(tmp_path, data))
    assert bad.value.code == "bad_excel"
    assert bad.value.status_code == 422


def test_an_empty_sheet_is_bad_excel(tmp_path: Path) -> None:
    with pytest.raises(excel.BadExcel):
        excel.read_header(write(tmp_path, xlsx([])))

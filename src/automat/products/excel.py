"""Reading an Excel product list: the header row, the column mapping, and one record per row.

No database here. Untrusted workbooks are never read in the API or a worker process itself:
``check_upload`` (the request: header and mapping, 422 before anything is stored) and
``parse_upload`` (the ``parse_excel`` task) run ``read_header`` / ``parse_workbook`` in a child
process (``automat.products.excel_child``) with a memory cap and a timeout, after
``kit.xlsx_guard`` has refused workbooks over the installation's limits without building them.

Cells are read as the values stored in the file (python-calamine), never evaluated: a formula
cell gives its cached result (or nothing), and text such as ``=HYPERLINK(...)`` stays text. Rows
are streamed from the reader, never copied into one list.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from automat.kit.capped import CapLimits, CappedFailure, stream_module
from automat.kit.errors import Unprocessable
from automat.kit.xlsx_guard import (
    BadWorkbook,
    SheetLimits,
    WorkbookTooLarge,
    check_workbook,
    column_number,
    first_sheet_part,
)

FIELDS = ("pim_id", "name", "category_key", "lagertyp", "cad_file")
REQUIRED = ("pim_id", "name")
IGNORE = "ignore"
CHILD_MODULE = "automat.products.excel_child"

# Header names per field, compared after ``normalize`` (case, spaces, '-', '_' do not matter).
DEFAULT_HEADERS: dict[str, tuple[str, ...]] = {
    "pim_id": (
        "pim_id", "PIM-ID", "PIM", "pim id", "Artikelnummer", "Artikel-Nr", "Artikelnr",
        "Materialnummer", "Material number", "Material no", "Article number", "Item number",
        "SKU", "product id",
    ),
    "name": ("name", "Bezeichnung", "Benennung", "Produktname", "Product name", "Description", "Title"),
    "category_key": ("category_key", "category", "Kategorie", "Produktkategorie", "Product category"),
    "lagertyp": ("lagertyp", "bearing type", "bearing_type", "Lagerart"),
    "cad_file": ("cad_file", "CAD", "CAD file", "CAD-Datei", "STEP", "STEP file", "STEP-Datei"),
}  # fmt: skip

MAX_LENGTHS = {"pim_id": 100, "name": 500, "category_key": 100, "lagertyp": 100, "cad_file": 255}


BadExcel = BadWorkbook  # 422 bad_excel: the one error for "this is no readable workbook"


def normalize(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch.isalnum())


_DEFAULTS = {normalize(h): f for f, headers in DEFAULT_HEADERS.items() for h in headers}


def text_of(value: Any) -> str:
    """A cell as text: whole numbers without '.0' (Excel stores 6205 as 6205.0), dates ISO."""
    if value.__class__ is str:  # most cells, and every empty one (""): the fast path
        return str(value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    return str(value).strip()


def json_of(value: Any) -> Any:
    """A cell for the free ``attributes`` JSON: numbers stay numbers, the rest becomes text."""
    if value.__class__ is str:
        return str(value).strip()
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() else value
    return text_of(value)


# -- the workbook -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadLimits:
    """Everything reading one workbook may cost (from the ``excel_*`` settings)."""

    sheet: SheetLimits
    process: CapLimits


LIMIT_SETTINGS = {
    "max_rows": "excel_max_rows",
    "max_columns": "excel_max_columns",
    "max_cells": "excel_max_cells",
    "max_inflated_bytes": "excel_max_inflated_mb",
    "memory_mb": "excel_parse_memory_mb",
    "timeout_s": "excel_parse_timeout_s",
}


def read_limits(values: Mapping[str, Any]) -> ReadLimits:
    """The limits from the settings' values (``values[setting key]``)."""
    key = LIMIT_SETTINGS
    return ReadLimits(
        sheet=SheetLimits(
            max_rows=int(values[key["max_rows"]]),
            max_columns=int(values[key["max_columns"]]),
            max_cells=int(values[key["max_cells"]]),
            max_inflated_bytes=int(values[key["max_inflated_bytes"]]) * 1_048_576,
            names={k: v for k, v in key.items() if k.startswith("max_")},
        ),
        process=CapLimits(timeout_s=float(values[key["timeout_s"]]), memory_mb=int(values[key["memory_mb"]])),
    )


@dataclass
class _Sheet:
    rows: Iterator[list[Any]]  # row i is spreadsheet row i + 1
    first_column: int  # the spreadsheet column (0-based) of each row's first cell


def _rows(path: Path, limits: SheetLimits) -> _Sheet:
    """The first sheet's rows, streamed. Checked against ``limits`` before the reader sees the file."""
    check_workbook(path, limits)
    from python_calamine import CalamineWorkbook  # only ever imported where workbooks are read

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise BadExcel("The workbook has no sheets.")
        sheet = workbook.get_sheet_by_index(0)
        start = sheet.start
        return _Sheet(rows=iter(sheet.iter_rows()), first_column=start[1] if start else 0)
    except BadExcel:
        raise
    except Exception as exc:  # calamine raises its own errors and a few OSError/ValueError kinds
        raise BadExcel(f"The workbook cannot be read: {exc}") from exc


HEADER_SEARCH_ROWS = 20  # PIM and ERP exports put a title, a date or a blank line above the header


@dataclass(frozen=True)
class Header:
    row: int  # spreadsheet row number (1-based)
    cells: list[str]
    columns: Columns


def _header(rows: Iterator[list[Any]], override: dict[str, str] | None) -> Header:
    """The header row: the first of the first ``HEADER_SEARCH_ROWS`` rows whose cells name a column
    for every required field (``rows`` moves past it). Rows above it (a title line, a blank line)
    are not data. Without one, 422 ``missing_columns`` names the first row with content."""
    first: tuple[int, list[str]] | None = None
    for index, row in enumerate(rows):
        if index >= HEADER_SEARCH_ROWS:
            break
        cells = [text_of(v) for v in row]
        if not any(cells):
            continue
        if first is None:
            first = (index, cells)
        try:
            return Header(row=index + 1, cells=cells, columns=resolve_columns(cells, override))
        except Unprocessable as exc:
            if exc.code != "missing_columns":
                raise
    if first is None:
        raise BadExcel("The first sheet is empty: it needs a header row and product rows.")
    index, cells = first
    resolve_columns(cells, override, row=index + 1)  # raises missing_columns about that row
    raise AssertionError("unreachable: the first row would have been the header")


def read_header(path: Path, limits: SheetLimits, override: dict[str, str] | None = None) -> Header:
    """The header row of the first sheet and its columns; ``BadExcel`` (422) when the file cannot
    be read, ``missing_columns`` when no row of the first 20 names the required columns."""
    return _header(_rows(path, limits).rows, override)


# -- the column mapping -------------------------------------------------------------------------


def parse_override(raw: Any) -> dict[str, str]:
    """Validate the request's mapping: a JSON object header -> field name (or "ignore")."""
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise Unprocessable(
            'The mapping must be a JSON object of header -> field, e.g. {"Nr.": "pim_id"}.',
            code="invalid_mapping",
        )
    unknown = sorted({v for v in raw.values() if v not in (*FIELDS, IGNORE)})
    if unknown:
        raise Unprocessable(
            f"Unknown field(s) in the mapping: {', '.join(unknown)}. Use one of {', '.join(FIELDS)} or "
            f"'{IGNORE}'.",
            code="invalid_mapping",
            details={"unknown": unknown},
        )
    return {normalize(k): v for k, v in raw.items()}


@dataclass(frozen=True)
class Columns:
    """Column index -> field, and the other named columns (kept as attributes)."""

    fields: dict[str, int]
    attributes: dict[int, str]

    def describe(self, header: Sequence[str]) -> dict[str, str]:
        out = {header[i]: f for f, i in self.fields.items()}
        out.update({name: f"attributes.{name}" for name in self.attributes.values()})
        return out


def resolve_columns(
    header: Sequence[str], override: dict[str, str] | None = None, *, row: int | None = None
) -> Columns:
    """Map header cells to fields: the override first, then the default names; 422 if pim_id or
    name has no column (``row``: the row named in that message), or if two columns claim the same
    field."""
    override = override or {}
    fields: dict[str, int] = {}
    attributes: dict[int, str] = {}
    for index, cell in enumerate(header):
        if not cell:
            continue
        key = normalize(cell)
        target = override.get(key) or _DEFAULTS.get(key)
        if target == IGNORE:
            continue
        if target is None:
            attributes[index] = cell
            continue
        if target in fields:
            raise Unprocessable(
                f"Two columns map to {target}: {header[fields[target]]!r} and {cell!r}. "
                "Send a mapping that names one of them.",
                code="ambiguous_columns",
                details={"field": target, "columns": [header[fields[target]], cell]},
            )
        fields[target] = index
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        where = (
            f"in the first {HEADER_SEARCH_ROWS} rows (the first with content, row {row}, has: "
            if row is not None
            else "in the header row ("
        )
        raise Unprocessable(
            f"No column for {', '.join(missing)} {where}{', '.join(c for c in header if c)}). "
            "Rename the column or send a mapping.",
            code="missing_columns",
            details={"missing": missing, "header": [c for c in header if c], "row": row},
        )
    return Columns(fields=fields, attributes=attributes)


# -- rows ---------------------------------------------------------------------------------------


@dataclass
class ProductRow:
    row: int  # spreadsheet row number (the header is usually row 1)
    values: dict[str, str | None]  # mapped fields present in the sheet (empty cell -> None)
    attributes: dict[str, Any]
    cad_file: str | None


@dataclass
class ParsedSheet:
    columns: dict[str, str]
    rows: list[ProductRow] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {"row", "status", "pim_id", "reason"}
    fields_present: tuple[str, ...] = ()
    header_row: int = 1  # the spreadsheet row the header was found in


def _skip(sheet: ParsedSheet, row: int, pim_id: str | None, reason: str) -> None:
    sheet.skipped.append({"row": row, "status": "skipped", "pim_id": pim_id, "reason": reason})


def parse_workbook(path: Path, limits: SheetLimits, override: dict[str, str] | None = None) -> ParsedSheet:
    """Every data row either becomes a ``ProductRow`` or a skipped log entry with its reason."""
    return whole(workbook_parts(path, limits, override))


ROWS_PER_PART = 2_000


def workbook_parts(
    path: Path,
    limits: SheetLimits,
    override: dict[str, str] | None = None,
    *,
    rows_per_part: int = ROWS_PER_PART,
) -> Iterator[ParsedSheet]:
    """``parse_workbook`` in parts of ``rows_per_part`` product rows, each as soon as it is read (the
    import writes one while the next is read). Every part has the header's columns; the last one
    has the rest of the rows and every skipped row (a reason may still change at the end)."""
    source = _rows(path, limits)
    rows = source.rows
    header = _header(rows, override)
    columns = header.columns
    sheet = ParsedSheet(
        columns=columns.describe(header.cells),
        fields_present=tuple(f for f in FIELDS if f in columns.fields and f != "cad_file"),
        header_row=header.row,
    )
    first_row: dict[str, int] = {}
    field_columns = list(columns.fields.items())
    attribute_columns = list(columns.attributes.items())
    blank: dict[int, tuple[int, str]] = {}  # row -> (index into skipped, field) of a required cell left empty
    for number, raw in enumerate(rows, start=header.row + 1):
        width = len(raw)
        cells = {f: text_of(raw[i]) if i < width else "" for f, i in field_columns}
        attributes = {name: json_of(raw[i]) for i, name in attribute_columns if i < width and raw[i] != ""}
        if not any(cells.values()) and not attributes:
            continue  # blank rows are not products
        pim_id = cells.get("pim_id") or None
        if pim_id is None:
            blank[number] = (len(sheet.skipped), "pim_id")
            _skip(sheet, number, None, "missing pim_id")
            continue
        if not cells.get("name"):
            blank[number] = (len(sheet.skipped), "name")
            _skip(sheet, number, pim_id, "missing name")
            continue
        too_long = [f for f, v in cells.items() if len(v) > MAX_LENGTHS[f]]
        if too_long:
            f = too_long[0]
            _skip(sheet, number, pim_id[:100], f"{f} longer than {MAX_LENGTHS[f]} characters")
            continue
        if pim_id in first_row:
            _skip(sheet, number, pim_id, f"duplicate pim_id (first in row {first_row[pim_id]})")
            continue
        first_row[pim_id] = number
        sheet.rows.append(
            ProductRow(
                row=number,
                values={f: (cells[f] or None) for f in sheet.fields_present},
                attributes=attributes,
                cad_file=cells.get("cad_file") or None,
            )
        )
        if len(sheet.rows) == rows_per_part:
            yield replace(sheet, skipped=[])
            sheet.rows = []
    if blank:
        _explain_formulas(path, sheet, blank, {f: source.first_column + i for f, i in columns.fields.items()})
    yield sheet


def whole(parts: Iterable[ParsedSheet]) -> ParsedSheet:
    """The parts of a sheet (``workbook_parts``) as one."""
    sheet: ParsedSheet | None = None
    for part in parts:
        if sheet is None:
            sheet = replace(part, rows=list(part.rows), skipped=list(part.skipped))
        else:
            sheet.rows += part.rows
            sheet.skipped += part.skipped
    if sheet is None:
        raise ValueError("a sheet has at least one part")
    return sheet


def _explain_formulas(
    path: Path, sheet: ParsedSheet, blank: dict[int, tuple[int, str]], column_of: dict[str, int]
) -> None:
    """A required cell that looked empty may be a formula the file keeps no result of (a workbook
    written by a program that does not calculate): say so, and that pasting values helps. Only
    read when some row was skipped for an empty required cell."""
    wanted = {(row, column_of[f]) for row, (_, f) in blank.items()}
    for row, column in formula_cells_without_value(path, wanted):
        index, field_name = blank[row]
        cell = f"{column_letters(column)}{row}"
        sheet.skipped[index]["reason"] = (
            f"{field_name} is a formula without a stored value (cell {cell}): open the workbook in Excel, "
            "copy the column and paste it as values (Paste Special → Values), then import again"
        )


def column_letters(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def formula_cells_without_value(path: Path, wanted: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Which of the cells ``wanted`` ((1-based row, 0-based column)) of the first sheet hold a formula
    and no stored result, read from the sheet's XML in one streamed pass (after a byte scan that
    finds no formula at all in the usual sheet of values: ~100x faster than parsing it)."""
    with zipfile.ZipFile(path) as archive:
        part = first_sheet_part(archive)
        with archive.open(part) as xml:
            if not _has_formula(xml):
                return []
        with archive.open(part) as xml:
            return _formulas_without_value(xml, wanted)


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CHUNK = 1 << 20


def _has_formula(xml: IO[bytes]) -> bool:
    """Whether the sheet's XML has a formula element anywhere (a tag cut by a chunk border is found
    in the overlap kept from the previous chunk)."""
    tail = b""
    while chunk := xml.read(_CHUNK):
        if _FORMULA_TAG.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def _formulas_without_value(xml: IO[bytes], wanted: set[tuple[int, int]]) -> list[tuple[int, int]]:
    last = max(row for row, _ in wanted)
    found: list[tuple[int, int]] = []
    for _, element in ElementTree.iterparse(xml, events=("end",)):  # noqa: S314 (checked, capped child)
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "c":
            ref = _CELL_REF.match(element.get("r") or "")
            if ref is not None:
                at = (int(ref.group(2)), column_number(ref.group(1)) - 1)
                if at in wanted and _formula_without_value(element):
                    found.append(at)
            element.clear()
        elif tag == "row":
            element.clear()
            if int(element.get("r") or 0) >= last:
                break
    return found


_CELL_REF = re.compile(r"^([A-Za-z]+)(\d+)$")


def _formula_without_value(cell: ElementTree.Element) -> bool:
    formula = value = None
    for child in cell:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "f":
            formula = child
        elif tag in ("v", "is"):
            value = child
    return formula is not None and (value is None or not "".join(value.itertext()).strip())


# -- in a capped child process --------------------------------------------------------------------


def _too_costly(setting: str, maximum: float, what: str) -> WorkbookTooLarge:
    return WorkbookTooLarge(
        f"The workbook is too large to import: reading it {what} (setting {setting}). Split the list "
        "into smaller workbooks.",
        details={"limit": setting, "maximum": maximum},
    )


def _child_parts(request: dict[str, Any], limits: ReadLimits) -> Iterator[dict[str, Any]]:
    """The child's answer to ``request``, part by part; its failures as 422s."""
    request = {**request, "limits": asdict(limits.sheet)}
    try:
        yield from stream_module(CHILD_MODULE, request, limits.process)
    except CappedFailure as failure:
        process = limits.process
        if failure.kind == "memory":
            raise _too_costly(
                "excel_parse_memory_mb", process.memory_mb, f"needs more than {process.memory_mb:,} MB"
            ) from None
        if failure.kind == "timeout":
            raise _too_costly(
                "excel_parse_timeout_s", process.timeout_s, f"takes longer than {process.timeout_s:g} s"
            ) from None
        raise BadExcel(f"The workbook cannot be read: the reader failed ({failure.detail}).") from None


def check_upload(path: Path, override: dict[str, str], limits: ReadLimits) -> tuple[dict[str, str], int]:
    """The request's check, in a child: (header → field description, the header's row number), or
    422 (``bad_excel``, ``workbook_too_large``, ``missing_columns`` …)."""
    *_, answer = _child_parts({"op": "columns", "path": str(path), "override": override}, limits)
    return dict(answer["columns"]), int(answer["header_row"])


def part_answer(part: ParsedSheet) -> dict[str, Any]:
    """A part as the child sends it (not ``dataclasses.asdict``: its deep copy costs more than the
    parse itself)."""
    return {
        "columns": part.columns,
        "rows": [
            {"row": r.row, "values": r.values, "attributes": r.attributes, "cad_file": r.cad_file}
            for r in part.rows
        ],
        "skipped": part.skipped,
        "fields_present": list(part.fields_present),
        "header_row": part.header_row,
    }


def upload_parts(path: Path, override: dict[str, str], limits: ReadLimits) -> Iterator[ParsedSheet]:
    """``workbook_parts`` in a child: each part as it arrives (or the same errors, when they happen)."""
    for answer in _child_parts({"op": "parse", "path": str(path), "override": override}, limits):
        yield ParsedSheet(
            columns=answer["columns"],
            rows=[ProductRow(**row) for row in answer["rows"]],
            skipped=answer["skipped"],
            fields_present=tuple(answer["fields_present"]),
            header_row=int(answer["header_row"]),
        )


def parse_upload(path: Path, override: dict[str, str], limits: ReadLimits) -> ParsedSheet:
    """``parse_workbook`` in a child; the same ``ParsedSheet`` (or the same errors)."""
    return whole(upload_parts(path, override, limits))

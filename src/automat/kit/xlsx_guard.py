"""How big an ``.xlsx`` workbook really is, found out before a spreadsheet reader is let near it.

An ``.xlsx`` is a zip of XML parts. Two cheap files can cost a reader gigabytes:

- a *dimension bomb*: one cell at ``ALL1000000`` next to a header row makes a reader that keeps
  the sheet as a rectangle allocate 1,000 x 1,000,000 cells (32 GB for python-calamine);
- an *inflate bomb*: 1 MB of zip that inflates to 1 GiB of XML.

``check_workbook`` refuses both with ``WorkbookTooLarge`` (422 ``workbook_too_large``, naming the
limit) by reading only what the zip says about itself and streaming the first sheet's XML once,
in bounded chunks, counting the bytes it inflates and the extent of the cells it declares and
contains. It never builds the sheet. Run it (and the reader after it) in a capped child process
(``kit.capped``): the memory cap is the backstop for anything this check does not foresee.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from automat.kit.errors import Unprocessable

ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20
MAX_PART_BYTES = 16 << 20  # workbook.xml and its relations: a few KB in real files
MAX_ZIP_MEMBERS = 10_000

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_DIMENSION = re.compile(_PREFIX + rb'dimension\b[^>]*?\bref="([^"]*)"')
_ROW_REF = re.compile(_PREFIX + rb'row\b[^>]*?\br="(\d+)"')
_CELL_REF = re.compile(_PREFIX + rb'c\b[^>]*?\br="([A-Za-z]+)(\d+)"')
_ROW = re.compile(_PREFIX + rb"row\b([^>]*)>")
_CELL = re.compile(_PREFIX + rb"c\b([^>]*)>")
_ANY_ROW_OR_CELL = re.compile(_PREFIX + rb"(row|c)\b([^>]*)>")
_R_ATTR = re.compile(rb'\br="([A-Za-z]*)(\d*)"')
_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,9})$")
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")


@functools.lru_cache(maxsize=8)
def _usual(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    tag = re.escape(b"<" + prefix)
    return re.compile(tag + rb'c r="([A-Za-z]+)(\d+)"'), re.compile(tag + rb'row r="(\d+)"')


class BadWorkbook(Unprocessable):
    """The file is not a readable Excel workbook."""

    code = "bad_excel"


class WorkbookTooLarge(Unprocessable):
    """The workbook is over one of the installation's limits."""

    code = "workbook_too_large"


@dataclass(frozen=True)
class SheetLimits:
    """What a workbook may cost. ``names`` maps a limit to the setting that sets it (for messages)."""

    max_rows: int
    max_columns: int
    max_cells: int
    max_inflated_bytes: int
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SheetShape:
    sheet_part: str
    rows: int  # the last row with a cell (1-based), 0 for an empty sheet
    columns: int  # the last column with a cell (1-based)
    inflated_bytes: int  # the whole workbook as the zip declares it


def column_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``ALL`` → 1000."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ord(ch) - 64)
    return number


def _too_large(limits: SheetLimits, limit: str, found: int, maximum: int, what: str) -> WorkbookTooLarge:
    setting = limits.names.get(limit)
    where = f" (setting {setting})" if setting else ""
    shown = f"{maximum / 1_048_576:,.0f} MB" if limit == "max_inflated_bytes" else f"{maximum:,}"
    return WorkbookTooLarge(
        f"The workbook is too large to import: {what}; the limit is {shown}{where}. "
        "Split the list into smaller workbooks, or remove empty formatted cells far below or beside "
        "the data.",
        details={"limit": setting or limit, "found": found, "maximum": maximum},
    )


def _check_extent(limits: SheetLimits, rows: int, columns: int, *, declared: bool) -> None:
    verb = "declares" if declared else "has cells up to"
    if rows > limits.max_rows:
        raise _too_large(limits, "max_rows", rows, limits.max_rows, f"its first sheet {verb} row {rows:,}")
    if columns > limits.max_columns:
        raise _too_large(
            limits, "max_columns", columns, limits.max_columns, f"its first sheet {verb} column {columns:,}"
        )
    if rows * columns > limits.max_cells:
        raise _too_large(
            limits, "max_cells", rows * columns, limits.max_cells,
            f"its first sheet {verb} {columns:,} columns x {rows:,} rows = {rows * columns:,} cells",
        )  # fmt: skip


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise BadWorkbook(f"The workbook's {name} is implausibly large ({info.file_size:,} bytes).")
    with archive.open(info) as handle:
        return handle.read(MAX_PART_BYTES + 1)[:MAX_PART_BYTES]


def first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The zip member of the workbook's first sheet (the one readers take as sheet 0)."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise BadWorkbook("The file is a zip archive but not an Excel workbook (.xlsx).")
    workbook = ElementTree.fromstring(_read_part(archive, "xl/workbook.xml"))  # noqa: S314 (size-capped, child)
    sheet = next((el for el in workbook.iter() if el.tag.endswith("}sheet") or el.tag == "sheet"), None)
    if sheet is None:
        raise BadWorkbook("The workbook has no sheets.")
    rel_id = sheet.get(f"{{{_DOC_REL_NS}}}id")
    if rel_id and "xl/_rels/workbook.xml.rels" in names:
        rels = ElementTree.fromstring(_read_part(archive, "xl/_rels/workbook.xml.rels"))  # noqa: S314
        for rel in rels.iter(f"{{{_RELS_NS}}}Relationship"):
            if rel.get("Id") == rel_id and rel.get("Target"):
                target = str(rel.get("Target"))
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                if part in names:
                    return part
    if "xl/worksheets/sheet1.xml" in names:
        return "xl/worksheets/sheet1.xml"
    raise BadWorkbook("The workbook's first sheet cannot be found in the file.")


class _Extent:
    """The extent of the cells seen so far, from the XML of a sheet read in chunks."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.declared: tuple[int, int] | None = None
        self._prefix: bytes | None = None  # the sheet's namespace prefix ("" or e.g. "x:")

    def feed(self, xml: bytes) -> None:
        """``xml`` holds whole tags only. Cells usually say where they are, first
        (``<c r="C7" …``): those are read in bulk; any other shape is matched more generally, and
        a part whose cells or rows do not all say where they are is walked tag by tag."""
        if self._prefix is None:  # the first chunk: the root and <dimension> come before the cells
            root = _ROOT.search(xml)
            self._prefix = (root.group(1) or b"") if root else b""
            if match := _DIMENSION.search(xml):
                self.declared = _parse_dimension(match.group(1).decode(errors="replace"))
        if self._feed_usual(xml, self._prefix):
            return
        cells = _CELL_REF.findall(xml)
        rows = _ROW_REF.findall(xml)
        if len(cells) == len(_CELL.findall(xml)) and len(rows) == len(_ROW.findall(xml)):
            self._take(cells, rows)
            return
        self._walk(xml)

    def _feed_usual(self, xml: bytes, prefix: bytes) -> bool:
        """What Excel and most writers produce: ``r`` first in every row and cell. Counting the
        tags with plain byte searches tells whether every one of them was matched."""
        cells, rows = _usual(prefix)
        cell_refs, row_refs = cells.findall(xml), rows.findall(xml)
        c, r = b"<" + prefix + b"c", b"<" + prefix + b"row"
        all_cells = xml.count(c + b" ") + xml.count(c + b">") + xml.count(c + b"/")
        all_rows = xml.count(r + b" ") + xml.count(r + b">") + xml.count(r + b"/")
        if len(cell_refs) != all_cells or len(row_refs) != all_rows:
            return False
        self._take(cell_refs, row_refs)
        return True

    def _take(self, cells: list[tuple[bytes, bytes]], rows: list[bytes]) -> None:
        if cells:
            letters = max({c for c, _ in cells}, key=lambda c: (len(c), c.upper()))
            self.columns = max(self.columns, column_number(letters.decode()))
            self.rows = max(self.rows, max(map(int, {r for _, r in cells})))
        if rows:
            self.rows = max(self.rows, max(map(int, set(rows))))

    def _walk(self, xml: bytes) -> None:
        row, column = self.rows, 0
        for match in _ANY_ROW_OR_CELL.finditer(xml):
            ref = _R_ATTR.search(match.group(2))
            if match.group(1) == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                column = 0
            else:
                column = column_number(ref.group(1).decode()) if ref and ref.group(1) else column + 1
                if ref and ref.group(2):
                    row = max(row, int(ref.group(2)))
                self.columns = max(self.columns, column)
            self.rows = max(self.rows, row)


def _parse_dimension(ref: str) -> tuple[int, int] | None:
    last = ref.split(":")[-1].strip()
    match = _REF.match(last)
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1))


def _scan_sheet(handle: IO[bytes], limits: SheetLimits, budget: int) -> tuple[_Extent, int]:
    """Stream the sheet once; stop at the first limit it crosses. Returns the extent and bytes read."""
    extent, tail, inflated = _Extent(), b"", 0
    while chunk := handle.read(CHUNK):
        inflated += len(chunk)
        if inflated > budget:
            raise _too_large(
                limits, "max_inflated_bytes", inflated, limits.max_inflated_bytes,
                f"its first sheet inflates to more than {budget / 1_048_576:,.0f} MB of XML",
            )  # fmt: skip
        buffer = tail + chunk
        cut = buffer.rfind(b"<")  # the chunk ends inside the last tag at the latest: keep it back
        whole, tail = (buffer[:cut], buffer[cut:]) if cut >= 0 else (buffer, b"")
        if len(tail) > CHUNK:  # what follows the last '<' is a long text, not a tag cut in two
            whole, tail = buffer, b""
        extent.feed(whole)
        if extent.declared is not None:
            _check_extent(limits, *extent.declared, declared=True)
        _check_extent(limits, extent.rows, extent.columns, declared=False)
    extent.feed(tail)
    _check_extent(limits, extent.rows, extent.columns, declared=False)
    return extent, inflated


def check_workbook(path: Path, limits: SheetLimits) -> SheetShape:
    """Refuse a file that is no workbook (``BadWorkbook``) or over ``limits`` (``WorkbookTooLarge``)."""
    with path.open("rb") as raw:
        if raw.read(4) != ZIP_MAGIC:
            raise BadWorkbook("The file is not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise BadWorkbook(
                    f"The workbook has {len(members):,} parts; real workbooks have a few dozen."
                )
            declared = sum(m.file_size for m in members)
            if declared > limits.max_inflated_bytes:
                raise _too_large(
                    limits, "max_inflated_bytes", declared, limits.max_inflated_bytes,
                    f"it inflates to {declared / 1_048_576:,.0f} MB",
                )  # fmt: skip
            part = first_sheet_part(archive)
            with archive.open(part) as handle:
                extent, _ = _scan_sheet(handle, limits, limits.max_inflated_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, KeyError, EOFError) as exc:
        raise BadWorkbook(f"The workbook cannot be read: {exc}") from exc
    return SheetShape(sheet_part=part, rows=extent.rows, columns=extent.columns, inflated_bytes=declared)

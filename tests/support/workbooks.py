"""Hostile workbooks, built by hand: an .xlsx is a zip of a few XML parts."""

from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Products" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>pim_id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
)


def _package(z: zipfile.ZipFile) -> None:
    """The parts every workbook has besides its sheet."""
    z.writestr("[Content_Types].xml", _CONTENT_TYPES)
    z.writestr("_rels/.rels", _ROOT_RELS)
    z.writestr("xl/workbook.xml", _WORKBOOK)
    z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)


def workbook(sheet_xml: str | bytes) -> bytes:
    """A minimal valid .xlsx whose first sheet is ``sheet_xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        _package(z)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def dimension_bomb(*, declare: bool = True) -> bytes:
    """1.6 KB: a header row and one cell at ALL1000000 (1,000 columns x 1,000,000 rows)."""
    dimension = '<dimension ref="A1:ALL1000000"/>' if declare else ""
    return workbook(
        SHEET_HEAD + dimension + "<sheetData>" + HEADER_ROW
        + '<row r="1000000"><c r="ALL1000000"><v>1</v></c></row></sheetData></worksheet>'
    )  # fmt: skip


def inflate_bomb(inflated_mb: int = 1024) -> bytes:
    """About 1 MB of zip whose sheet inflates to ``inflated_mb`` MB: one huge text cell."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        _package(z)
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                (
                    SHEET_HEAD + "<sheetData>" + HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>'
                ).encode()
            )
            block = b"A" * 1_048_576
            for _ in range(inflated_mb):
                sheet.write(block)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


def lying_sizes(data: bytes, declared: int = 1000) -> bytes:
    """``data`` with every member's declared uncompressed size rewritten to ``declared`` bytes, in
    the local headers and the central directory: a zip that claims to be small."""
    out = bytearray(data)
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) >= 0:
        out[pos + 22 : pos + 26] = declared.to_bytes(4, "little")
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:
        out[pos + 24 : pos + 28] = declared.to_bytes(4, "little")
        pos += 4
    return bytes(out)

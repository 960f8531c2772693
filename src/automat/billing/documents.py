"""An invoice as a PDF (reportlab: one clean page for the usual invoice, more when the lines need
them) and as CSV (UTF-8 with a BOM, cell text that a spreadsheet would run as a formula escaped)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from automat.billing.schemas import InvoiceRead
from automat.kit.spreadsheet import escape_for_spreadsheet

CSV_COLUMNS = (
    "invoice",
    "position",
    "order",
    "product",
    "pim_id",
    "output_type",
    "delivered_at",
    "unit_price",
    "quantity",
    "amount",
    "currency",
)


def _amount(value: Decimal, currency: str) -> str:
    return f"{value:,.2f} {currency}"


def title_of(invoice: InvoiceRead) -> str:
    kind = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    return f"{kind} {invoice.number}" if invoice.number else f"{kind} (draft)"


def pdf(invoice: InvoiceRead, *, credits_number: str | None = None) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title_of(invoice),
        author="Automat",
    )
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8, leading=10)
    story: list[Any] = [Paragraph(escape(title_of(invoice)), styles["Title"])]
    billed = "<br/>".join(
        escape(line)
        for line in [invoice.customer.get("name", ""), *invoice.customer.get("address", "").splitlines()]
        if line.strip()
    )
    facts = []
    if invoice.issued_at:
        facts.append(f"Date: {invoice.issued_at.date().isoformat()}")
    if invoice.period_start and invoice.period_end:
        facts.append(
            f"Period: {invoice.period_start.isoformat()} to {invoice.period_end.isoformat()} (exclusive)"
        )
    if credits_number:
        facts.append(f"Cancels invoice {escape(credits_number)}")
    story += [
        Paragraph(f"<b>Billed to</b><br/>{billed}", styles["Normal"]),
        Spacer(1, 4 * mm),
        Paragraph("<br/>".join(facts), styles["Normal"]),
        Spacer(1, 6 * mm),
    ]
    rows: list[list[Any]] = [["#", "Order", "Product", "Output type", "Unit price", "Qty", "Amount"]]
    for line in invoice.lines:
        product = f"{line.product_name}" + (f" ({line.pim_id})" if line.pim_id else "")
        rows.append(
            [
                str(line.position),
                line.order_number,
                Paragraph(escape(product), small),
                Paragraph(escape(line.output_type_name), small),
                _amount(line.unit_price, invoice.currency),
                str(line.quantity),
                _amount(line.amount, invoice.currency),
            ]
        )
    rows += [
        ["", "", "", "", "", "Net", _amount(invoice.net_total, invoice.currency)],
        ["", "", "", "", "", f"Tax {invoice.tax_rate}%", _amount(invoice.tax_total, invoice.currency)],
        ["", "", "", "", "", "Total", _amount(invoice.gross_total, invoice.currency)],
    ]
    table = Table(
        rows, colWidths=[8 * mm, 28 * mm, 52 * mm, 30 * mm, 24 * mm, 14 * mm, 26 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEABOVE", (0, -3), (-1, -3), 0.6, colors.black),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("ALIGN", (4, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    if invoice.note:
        story += [Spacer(1, 6 * mm), Paragraph(escape(invoice.note), styles["Normal"])]
    doc.build(story)
    return out.getvalue()


def csv_bytes(invoice: InvoiceRead) -> bytes:
    """One row per line; numbers stay numbers, text is escaped against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in invoice.lines:
        writer.writerow(
            [
                escape_for_spreadsheet(invoice.number or "draft"),
                line.position,
                escape_for_spreadsheet(line.order_number),
                escape_for_spreadsheet(line.product_name),
                escape_for_spreadsheet(line.pim_id or ""),
                escape_for_spreadsheet(line.output_type_name),
                line.delivered_at.isoformat() if line.delivered_at else "",
                line.unit_price,
                line.quantity,
                line.amount,
                invoice.currency,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def filename(invoice: InvoiceRead, extension: str) -> str:
    stem = invoice.number or f"draft-{str(invoice.id)[:8]}"
    return f"{stem}.{extension}"

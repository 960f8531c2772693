"""Invoices of what was delivered: drafting, prices by day, issuing, numbering, credit notes,
PDF and CSV, and who may do what."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from automat.core.db import BYPASS, SyncDatabase
from automat.models.output import OutputKind, OutputType
from automat.models.tenant import Tenant
from automat.models.user import Role
from tests.billing.conftest import make_finished_line, make_order
from tests.support.factories import MadeTenant, make_output_type, make_tenant
from tests.support.fixtures import Party
from tests.support.uvicorn_thread import serve_in_thread

AsRole = Callable[[MadeTenant | None, Role], Party]
NOV = datetime(2026, 11, 1, tzinfo=UTC)


def _set_config(db: SyncDatabase, tenant: MadeTenant, **values: object) -> None:
    with db.session(BYPASS) as session:
        row = session.get(Tenant, tenant.id)
        assert row is not None
        row.tenant_config = {**row.tenant_config, **values}


def _set_price(db: SyncDatabase, tenant: MadeTenant, output_type_id: object, price: str) -> None:
    with db.session(tenant.id) as session:
        row = session.get(OutputType, output_type_id)
        assert row is not None
        row.price = Decimal(price)


@pytest.fixture
def billed(app_db: SyncDatabase) -> MadeTenant:
    return make_tenant(
        app_db, invoice_prefix="ACME", tax_rate_percent=19.0, billing_address="Werkstr. 1\n97421 Schweinfurt"
    )


@pytest.fixture
def ta(as_role: AsRole, billed: MadeTenant) -> Party:
    return as_role(billed, Role.TENANT_ADMIN)


def test_a_month_invoice_charges_delivered_lines_at_the_price_of_their_day(
    client: TestClient, app_db: SyncDatabase, billed: MadeTenant, ta: Party, as_role: AsRole, tmp_path: Path
) -> None:
    still = make_output_type(app_db, tenant=billed, kind=OutputKind.STILL, name="Packshot")
    _set_price(app_db, billed, still, "10.00")
    order_id, number = make_order(app_db, billed)
    early = make_finished_line(
        app_db,
        billed,
        order_id=order_id,
        output_type_id=still,
        finished_at=NOV + timedelta(days=9),
        media=tmp_path,
        product_name='=HYPERLINK("x")',
    )
    late = make_finished_line(
        app_db,
        billed,
        order_id=order_id,
        output_type_id=still,
        finished_at=NOV + timedelta(days=19),
        media=tmp_path,
    )
    # not charged: failed, cancelled, no media, another month
    make_finished_line(
        app_db,
        billed,
        order_id=order_id,
        output_type_id=still,
        finished_at=NOV + timedelta(days=3),
        status="failed",
    )
    make_finished_line(
        app_db,
        billed,
        order_id=order_id,
        output_type_id=still,
        finished_at=NOV + timedelta(days=4),
        status="cancelled",
        media=tmp_path,
    )
    make_finished_line(
        app_db, billed, order_id=order_id, output_type_id=still, finished_at=NOV + timedelta(days=5)
    )
    make_finished_line(
        app_db,
        billed,
        order_id=order_id,
        output_type_id=still,
        finished_at=NOV - timedelta(days=2),
        media=tmp_path,
    )

    added = client.post(
        "/api/price-list",
        json={"output_type_id": str(still), "unit_price": "12.50", "valid_from": "2026-11-15"},
        headers=ta.headers,
    )
    assert added.status_code == 201, added.text
    assert added.json()["currency"] == "EUR" and added.json()["valid_to"] is None
    again = client.post(
        "/api/price-list",
        json={"output_type_id": str(still), "unit_price": "13", "valid_from": "2026-11-15"},
        headers=ta.headers,
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_price"

    drafted = client.post("/api/invoices", json={"month": "2026-11"}, headers=ta.headers)
    assert drafted.status_code == 201, drafted.text
    invoice = drafted.json()
    assert invoice["status"] == "draft" and invoice["number"] is None
    assert [(line["order_line_id"], line["unit_price"]) for line in invoice["lines"]] == [
        (str(early), "10.00"),
        (str(late), "12.50"),
    ]
    assert invoice["lines"][1]["order_number"] == number
    assert (invoice["net_total"], invoice["tax_rate"], invoice["tax_total"], invoice["gross_total"]) == (
        "22.50",
        "19.00",
        "4.28",
        "26.78",
    )
    assert invoice["customer"] == {"name": billed.slug.title(), "address": "Werkstr. 1\n97421 Schweinfurt"}

    # the same lines are not drafted twice
    twice = client.post("/api/invoices", json={"month": "2026-11"}, headers=ta.headers)
    assert twice.status_code == 422 and twice.json()["error"]["code"] == "nothing_to_invoice"

    issued = client.post(f"/api/invoices/{invoice['id']}/issue", headers=ta.headers)
    assert issued.status_code == 200, issued.text
    assert issued.json()["number"] == f"ACME-{datetime.now(UTC).year}-00001"
    assert (
        client.post(f"/api/invoices/{invoice['id']}/issue", headers=ta.headers).json()["error"]["code"]
        == "invoice_not_draft"
    )
    assert (
        client.delete(f"/api/invoices/{invoice['id']}", headers=ta.headers).json()["error"]["code"]
        == "invoice_issued"
    )

    # a later price change and a rename leave the issued invoice as it was
    client.post(
        "/api/price-list",
        json={"output_type_id": str(still), "unit_price": "99.00", "valid_from": "2026-11-01"},
        headers=ta.headers,
    )
    with app_db.session(billed.id) as session:
        row = session.get(OutputType, still)
        assert row is not None
        row.name = "Renamed"
    kept = client.get(f"/api/invoices/{invoice['id']}", headers=ta.headers).json()
    assert [line["unit_price"] for line in kept["lines"]] == ["10.00", "12.50"]
    assert {line["output_type_name"] for line in kept["lines"]} == {"Packshot"}
    assert kept["gross_total"] == "26.78"

    # PDF: the text a reader sees
    pdf = client.get(f"/api/invoices/{invoice['id']}/pdf", headers=ta.headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{kept["number"]}.pdf"'
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        f"Invoice {kept['number']}",
        billed.slug.title(),
        "97421 Schweinfurt",
        "Packshot",
        "22.50 EUR",
        "Tax 19.00%",
        "4.28 EUR",
        "26.78 EUR",
    ):
        assert expected in text, (expected, text)

    # CSV: numbers stay numbers, formula-like text is escaped
    got = client.get(f"/api/invoices/{invoice['id']}/csv", headers=ta.headers)
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["invoice", "position", "order", "product"]
    assert rows[1][3] == '\'=HYPERLINK("x")' and rows[1][9] == "10.00"

    # a project manager reads, but does not manage; a client has no access
    pm = as_role(billed, Role.PROJECT_MANAGER)
    assert client.get("/api/invoices", headers=pm.headers).json()["total"] == 1
    assert client.post("/api/invoices", json={"month": "2026-10"}, headers=pm.headers).status_code == 403
    client_user = as_role(billed, Role.CLIENT)
    assert client.get("/api/invoices", headers=client_user.headers).status_code == 403
    assert client.get(f"/api/invoices/{invoice['id']}/pdf", headers=client_user.headers).status_code == 403


def test_a_credit_note_cancels_an_invoice_and_frees_its_lines(
    client: TestClient, app_db: SyncDatabase, billed: MadeTenant, ta: Party, tmp_path: Path
) -> None:
    still = make_output_type(app_db, tenant=billed, kind=OutputKind.STILL)
    _set_price(app_db, billed, still, "40.00")
    order_id, _ = make_order(app_db, billed)
    make_finished_line(
        app_db,
        billed,
        order_id=order_id,
        output_type_id=still,
        finished_at=NOV + timedelta(days=1),
        media=tmp_path,
    )
    invoice = client.post("/api/invoices", json={"month": "2026-11"}, headers=ta.headers).json()
    issued = client.post(f"/api/invoices/{invoice['id']}/issue", headers=ta.headers).json()
    assert client.post(f"/api/invoices/{invoice['id']}/pay", headers=ta.headers).json()["status"] == "paid"

    credit = client.post(
        f"/api/invoices/{invoice['id']}/credit", json={"note": "Wrong angle"}, headers=ta.headers
    )
    assert credit.status_code == 201, credit.text
    note = credit.json()
    assert (
        note["kind"] == "credit_note" and note["status"] == "issued" and note["credits_id"] == invoice["id"]
    )
    assert note["number"].endswith("-00002") and note["gross_total"] == "-47.60"
    assert [line["amount"] for line in note["lines"]] == ["-40.00"]
    assert (
        client.get(f"/api/invoices/{invoice['id']}", headers=ta.headers).json()["credited_by"] == note["id"]
    )
    assert (
        client.post(f"/api/invoices/{invoice['id']}/credit", headers=ta.headers).json()["error"]["code"]
        == "invoice_credited"
    )
    text = (
        PdfReader(io.BytesIO(client.get(f"/api/invoices/{note['id']}/pdf", headers=ta.headers).content))
        .pages[0]
        .extract_text()
    )
    assert f"Credit note {note['number']}" in text and f"Cancels invoice {issued['number']}" in text

    # the credited line can be invoiced again
    redraft = client.post("/api/invoices", json={"month": "2026-11"}, headers=ta.headers)
    assert redraft.status_code == 201 and redraft.json()["net_total"] == "40.00"


def test_per_order_billing_and_the_mode_guard(
    client: TestClient, app_db: SyncDatabase, billed: MadeTenant, ta: Party, tmp_path: Path
) -> None:
    _set_config(app_db, billed, billing_mode="per_order")
    still = make_output_type(app_db, tenant=billed, kind=OutputKind.STILL)
    _set_price(app_db, billed, still, "5.00")
    done, _ = make_order(app_db, billed)
    make_finished_line(app_db, billed, order_id=done, output_type_id=still, finished_at=NOV, media=tmp_path)
    make_finished_line(app_db, billed, order_id=done, output_type_id=still, finished_at=NOV, status="failed")
    running, _ = make_order(app_db, billed, status="processing")

    month = client.post("/api/invoices", json={"month": "2026-11"}, headers=ta.headers)
    assert month.status_code == 422 and month.json()["error"]["code"] == "billing_mode_mismatch"
    busy = client.post("/api/invoices", json={"order_id": str(running)}, headers=ta.headers)
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "order_not_completed"
    drafted = client.post("/api/invoices", json={"order_id": str(done)}, headers=ta.headers)
    assert (
        drafted.status_code == 201
        and drafted.json()["net_total"] == "5.00"
        and len(drafted.json()["lines"]) == 1
    )
    # deleting the draft frees its line
    assert client.delete(f"/api/invoices/{drafted.json()['id']}", headers=ta.headers).status_code == 204
    assert client.post("/api/invoices", json={"order_id": str(done)}, headers=ta.headers).status_code == 201


def test_numbers_are_gapless_and_unique_under_parallel_issuing(
    app_db: SyncDatabase, billed: MadeTenant, ta: Party, tmp_path: Path
) -> None:
    """20 drafts issued by 20 concurrent requests against a real server: 1..20, no gap, no twin."""
    _set_config(app_db, billed, billing_mode="per_order")
    still = make_output_type(app_db, tenant=billed, kind=OutputKind.STILL)
    order_ids = []
    for _ in range(20):
        order_id, _ = make_order(app_db, billed)
        make_finished_line(
            app_db, billed, order_id=order_id, output_type_id=still, finished_at=NOV, media=tmp_path
        )
        order_ids.append(order_id)

    from automat.app import create_app

    async def issue_all(url: str) -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=url, headers=ta.headers, timeout=60) as http:
            drafts = [
                (await http.post("/api/invoices", json={"order_id": str(o)})).json()["id"] for o in order_ids
            ]
            return await asyncio.gather(*(http.post(f"/api/invoices/{d}/issue") for d in drafts))

    with serve_in_thread(create_app()) as url:
        answers = asyncio.run(issue_all(url))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    year = datetime.now(UTC).year
    numbers = sorted(a.json()["number"] for a in answers)
    assert numbers == [f"ACME-{year}-{seq:05d}" for seq in range(1, 21)]


def test_prices_are_tenant_scoped_and_only_future_ones_can_go(
    client: TestClient, app_db: SyncDatabase, billed: MadeTenant, ta: Party, as_role: AsRole
) -> None:
    still = make_output_type(app_db, tenant=billed, kind=OutputKind.STILL)
    other = make_tenant(app_db)
    foreign = make_output_type(app_db, tenant=other, kind=OutputKind.STILL)
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    unknown = client.post(
        "/api/price-list",
        json={"output_type_id": str(foreign), "unit_price": "1", "valid_from": tomorrow},
        headers=ta.headers,
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_output_type"
    past = client.post(
        "/api/price-list",
        json={"output_type_id": str(still), "unit_price": "7", "valid_from": "2026-01-01"},
        headers=ta.headers,
    ).json()
    future = client.post(
        "/api/price-list",
        json={"output_type_id": str(still), "unit_price": "8", "valid_from": tomorrow},
        headers=ta.headers,
    ).json()
    listed = client.get("/api/price-list", headers=ta.headers).json()
    assert [(p["valid_from"], p["valid_to"]) for p in listed] == [("2026-01-01", tomorrow), (tomorrow, None)]
    assert (
        client.delete(f"/api/price-list/{past['id']}", headers=ta.headers).json()["error"]["code"]
        == "price_in_effect"
    )
    other_ta = as_role(other, Role.TENANT_ADMIN)
    assert client.delete(f"/api/price-list/{future['id']}", headers=other_ta.headers).status_code == 404
    assert client.get("/api/price-list", headers=other_ta.headers).json() == []
    assert client.delete(f"/api/price-list/{future['id']}", headers=ta.headers).status_code == 204
    assert date.fromisoformat(past["valid_from"]) < datetime.now(UTC).date()

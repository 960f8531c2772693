"""/api/price-list and /api/invoices: tenant admins manage (``manage_invoices``), project
managers read (``view_invoices``), clients have no access."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from automat.billing import documents, repository, service
from automat.billing.schemas import (
    InvoiceCreate,
    InvoiceKindName,
    InvoicePage,
    InvoiceRead,
    InvoiceStatusName,
    InvoiceSummary,
    PriceCreate,
    PriceRead,
)
from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize, decode_cursor, page_of

prices_router = APIRouter(prefix="/api/price-list", tags=["billing"])
invoices_router = APIRouter(prefix="/api/invoices", tags=["billing"])

ManageInvoices = Annotated[Actor, require(Permission.MANAGE_INVOICES)]
ViewInvoices = Annotated[Actor, require(Permission.VIEW_INVOICES)]
TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to act on")]


class CreditRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=2000)


# -- price list -----------------------------------------------------------------------------------


@prices_router.get("", response_model=list[PriceRead])
async def list_prices(
    session: SessionDep,
    actor: ViewInvoices,
    output_type_id: uuid.UUID | None = None,
    tenant_id: TenantQuery = None,
) -> list[PriceRead]:
    """Every price of the tenant's price list by output type and start day, with the day each
    ends (the next one's start). Before an output type's first entry its own ``price`` applies."""
    return await service.list_prices(session, actor=actor, tenant_id=tenant_id, output_type_id=output_type_id)


@prices_router.post("", response_model=PriceRead, status_code=status.HTTP_201_CREATED)
async def add_price(
    body: PriceCreate, session: SessionDep, actor: ManageInvoices, tenant_id: TenantQuery = None
) -> PriceRead:
    """A price of an output type from a day on, in the tenant's currency; deliveries from that
    day are charged at it. 422 ``unknown_output_type``; 409 ``duplicate_price``."""
    return await service.add_price(session, actor=actor, tenant_id=tenant_id, data=body)


@prices_router.delete("/{price_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_price(price_id: uuid.UUID, session: SessionDep, actor: ManageInvoices) -> Response:
    """Only a price that has not started yet; 409 ``price_in_effect`` otherwise."""
    await service.delete_price(session, actor=actor, entry_id=price_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- invoices -------------------------------------------------------------------------------------


@invoices_router.get("", response_model=InvoicePage)
async def list_invoices(
    session: SessionDep,
    actor: ViewInvoices,
    status_filter: Annotated[InvoiceStatusName | None, Query(alias="status")] = None,
    kind: InvoiceKindName | None = None,
    order_id: uuid.UUID | None = None,
    tenant_id: TenantQuery = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
) -> InvoicePage:
    """The tenant's invoices and credit notes, newest first (global admins: every tenant's, or
    the one they name)."""
    scope = actor.scope_tenant(tenant_id)
    after = decode_cursor(cursor, (datetime, uuid.UUID))
    rows, total = await repository.page(
        session,
        scope,
        after=(after[0], after[1]) if after else None,  # type: ignore[arg-type]
        limit=page_size + 1,
        status=status_filter,
        kind=kind,
        order_id=order_id,
    )
    items, next_cursor = page_of(rows, page_size, lambda row: (row.created_at, row.id))
    return InvoicePage(
        items=[InvoiceSummary.model_validate(row) for row in items], next_cursor=next_cursor, total=total
    )


@invoices_router.post("", response_model=InvoiceRead, status_code=status.HTTP_201_CREATED)
async def draft_invoice(
    body: InvoiceCreate, session: SessionDep, actor: ManageInvoices, tenant_id: TenantQuery = None
) -> InvoiceRead:
    """Draft the invoice of a month (`month`, tenants billed monthly) or of a completed order
    (`order_id`, tenants billed per order): every delivered line not charged yet, at the price of
    its delivery day. 422 ``billing_mode_mismatch``, ``nothing_to_invoice``; 409
    ``order_not_completed``, ``lines_already_claimed``."""
    invoice = await service.draft(session, actor=actor, tenant_id=tenant_id, data=body)
    return await service.read(session, invoice)


@invoices_router.get("/{invoice_id}", response_model=InvoiceRead)
async def get_invoice(invoice_id: uuid.UUID, session: SessionDep, actor: ViewInvoices) -> InvoiceRead:
    return await service.read(session, await service.get(session, actor=actor, invoice_id=invoice_id))


@invoices_router.delete("/{invoice_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_invoice(invoice_id: uuid.UUID, session: SessionDep, actor: ManageInvoices) -> Response:
    """Delete a draft (its lines may be drafted again); 409 ``invoice_issued`` once issued."""
    await service.delete_draft(session, actor=actor, invoice_id=invoice_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@invoices_router.post("/{invoice_id}/issue", response_model=InvoiceRead)
async def issue_invoice(invoice_id: uuid.UUID, session: SessionDep, actor: ManageInvoices) -> InvoiceRead:
    """Number the draft (`<invoice_prefix>-<year>-<seq>`, gapless per tenant) and freeze it.
    409 ``invoice_not_draft``."""
    return await service.read(session, await service.issue(session, actor=actor, invoice_id=invoice_id))


@invoices_router.post("/{invoice_id}/pay", response_model=InvoiceRead)
async def pay_invoice(invoice_id: uuid.UUID, session: SessionDep, actor: ManageInvoices) -> InvoiceRead:
    """Record the payment of an issued invoice. 409 ``invoice_not_issued``, ``invoice_credited``."""
    return await service.read(session, await service.mark_paid(session, actor=actor, invoice_id=invoice_id))


@invoices_router.post("/{invoice_id}/void", response_model=InvoiceRead)
async def void_invoice(invoice_id: uuid.UUID, session: SessionDep, actor: ManageInvoices) -> InvoiceRead:
    """Void an issued, unpaid invoice (it keeps its number; its lines may be billed again).
    409 ``invoice_not_issued``, ``invoice_credited``."""
    return await service.read(session, await service.void(session, actor=actor, invoice_id=invoice_id))


@invoices_router.post("/{invoice_id}/credit", response_model=InvoiceRead, status_code=status.HTTP_201_CREATED)
async def credit_invoice(
    invoice_id: uuid.UUID, session: SessionDep, actor: ManageInvoices, body: CreditRequest | None = None
) -> InvoiceRead:
    """Cancel an issued or paid invoice by a credit note (issued at once, with its own number,
    referencing it). 409 ``invoice_not_issued``, ``invoice_credited``."""
    note = await service.credit(session, actor=actor, invoice_id=invoice_id, note=body.note if body else None)
    return await service.read(session, note)


async def _document(
    session: SessionDep, actor: Actor, invoice_id: uuid.UUID
) -> tuple[InvoiceRead, str | None]:
    invoice = await service.read(session, await service.get(session, actor=actor, invoice_id=invoice_id))
    credits = None
    if invoice.credits_id is not None:
        credited = await service.get(session, actor=actor, invoice_id=invoice.credits_id)
        credits = credited.number
    return invoice, credits


@invoices_router.get(
    "/{invoice_id}/pdf", response_class=Response, responses={200: {"content": {"application/pdf": {}}}}
)
async def invoice_pdf(invoice_id: uuid.UUID, session: SessionDep, actor: ViewInvoices) -> Response:
    """The invoice or credit note as a PDF."""
    invoice, credits = await _document(session, actor, invoice_id)
    return Response(
        documents.pdf(invoice, credits_number=credits),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{documents.filename(invoice, "pdf")}"'},
    )


@invoices_router.get(
    "/{invoice_id}/csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
async def invoice_csv(invoice_id: uuid.UUID, session: SessionDep, actor: ViewInvoices) -> Response:
    """The invoice's lines as CSV (UTF-8 with BOM; formula-like text escaped)."""
    invoice, _ = await _document(session, actor, invoice_id)
    return Response(
        documents.csv_bytes(invoice),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{documents.filename(invoice, "csv")}"'},
    )

"""Billing: price list, drafting, issuing, paying, voiding and crediting invoices.

What is charged is what was delivered: a completed order line with media, once. The unit price
is the price list's on the delivery day; names, prices, the tax rate and the customer are copied
onto the invoice when it is drafted, so issuing freezes it and a later price change or rename
leaves it as it was. Numbers are given on issue, ``<invoice_prefix>-<year>-<seq>``, from a
counter incremented in the issuing transaction (gapless, unique per tenant).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.billing import repository
from automat.billing.schemas import (
    InvoiceCreate,
    InvoiceLineRead,
    InvoiceRead,
    InvoiceSummary,
    PriceCreate,
    PriceRead,
)
from automat.core.deps import Actor
from automat.kit.errors import Conflict, NotFound, Unprocessable
from automat.kit.repository import save, save_unique
from automat.models.billing import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, PriceListEntry
from automat.models.order import OrderStatus
from automat.models.tenant import Tenant
from automat.tenants.schemas import TenantConfig

CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


async def _tenant(session: AsyncSession, tenant_id: uuid.UUID) -> tuple[Tenant, TenantConfig]:
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound("Tenant not found.")
    return tenant, TenantConfig.model_validate(tenant.tenant_config or {})


# -- price list -----------------------------------------------------------------------------------


def _price_reads(rows: list[tuple[PriceListEntry, str]]) -> list[PriceRead]:
    """Each entry with the day the next entry of its output type starts (its ``valid_to``)."""
    reads = []
    for index, (entry, name) in enumerate(rows):
        following = rows[index + 1][0] if index + 1 < len(rows) else None
        valid_to = (
            following.valid_from if following and following.output_type_id == entry.output_type_id else None
        )
        reads.append(
            PriceRead(
                id=entry.id,
                output_type_id=entry.output_type_id,
                output_type_name=name,
                unit_price=entry.unit_price,
                currency=entry.currency,
                valid_from=entry.valid_from,
                valid_to=valid_to,
                created_at=entry.created_at,
            )
        )
    return reads


async def list_prices(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, output_type_id: uuid.UUID | None
) -> list[PriceRead]:
    scope = actor.require_tenant(tenant_id)
    return _price_reads(list(await repository.prices(session, scope, output_type_id)))


async def add_price(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, data: PriceCreate
) -> PriceRead:
    """422 ``unknown_output_type``; 409 ``duplicate_price`` (that output type has a price from that day)."""
    scope = actor.require_tenant(tenant_id)
    output_type = await repository.output_type(session, scope, data.output_type_id)
    if output_type is None:
        raise Unprocessable("There is no such output type in this tenant.", code="unknown_output_type")
    _, config = await _tenant(session, scope)
    entry = await save_unique(
        session,
        PriceListEntry(
            tenant_id=scope,
            output_type_id=output_type.id,
            unit_price=_money(data.unit_price),
            currency=config.currency,
            valid_from=data.valid_from,
            created_by=actor.user_id,
        ),
        constraint="uq_price_list_entries_from",
        conflict=Conflict(
            f"{output_type.name!r} already has a price from {data.valid_from.isoformat()}.",
            code="duplicate_price",
        ),
    )
    await audit.record(
        session,
        actor=actor,
        action="price.added",
        tenant_id=scope,
        target_type="output_type",
        target_id=output_type.id,
        detail={
            "unit_price": str(entry.unit_price),
            "currency": entry.currency,
            "valid_from": str(entry.valid_from),
        },
    )
    reads = _price_reads(list(await repository.prices(session, scope, output_type.id)))
    return next(read for read in reads if read.id == entry.id)


async def delete_price(session: AsyncSession, *, actor: Actor, entry_id: uuid.UUID) -> None:
    """Only a price that has not started yet may go (409 ``price_in_effect``): what was delivered
    under a price keeps it for the invoices still to be drafted."""
    scope = None if actor.is_global_admin else actor.tenant_id
    entry = await session.get(PriceListEntry, entry_id)
    if entry is None or (scope is not None and entry.tenant_id != scope):
        raise NotFound("Price not found.")
    if entry.valid_from <= datetime.now(UTC).date():
        raise Conflict(
            "This price is already in effect; add a new price from a later day instead.",
            code="price_in_effect",
        )
    await session.delete(entry)
    await audit.record(
        session,
        actor=actor,
        action="price.deleted",
        tenant_id=entry.tenant_id,
        target_type="output_type",
        target_id=entry.output_type_id,
        detail={"valid_from": str(entry.valid_from)},
    )


# -- reading --------------------------------------------------------------------------------------


async def read(session: AsyncSession, invoice: Invoice) -> InvoiceRead:
    summary = InvoiceSummary.model_validate(invoice).model_dump()
    return InvoiceRead(
        **summary,
        customer={str(k): str(v) for k, v in (invoice.customer or {}).items()},
        note=invoice.note,
        credited_by=await repository.credit_note_of(session, invoice.id),
        lines=[InvoiceLineRead.model_validate(line) for line in await repository.lines(session, invoice.id)],
    )


async def get(session: AsyncSession, *, actor: Actor, invoice_id: uuid.UUID, lock: bool = False) -> Invoice:
    scope = None if actor.is_global_admin else actor.tenant_id
    invoice = await repository.get(session, scope, invoice_id, lock=lock)
    if invoice is None:
        raise NotFound("Invoice not found.")
    return invoice


# -- drafting -------------------------------------------------------------------------------------


def _totals(amounts: list[Decimal], tax_rate: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    net = _money(sum(amounts, Decimal("0")))
    tax = _money(net * tax_rate / 100)
    return net, tax, net + tax


async def draft(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, data: InvoiceCreate
) -> Invoice:
    """A draft of the delivered, not yet charged lines of a month or of a completed order.

    422 ``billing_mode_mismatch`` (the request does not fit the tenant's billing mode),
    ``nothing_to_invoice``; 404 for an unknown order; 409 ``order_not_completed``,
    ``lines_already_claimed`` (another draft took them meanwhile: try again).
    """
    scope = actor.require_tenant(tenant_id)
    tenant, config = await _tenant(session, scope)
    per_order = data.order_id is not None
    if per_order != (config.billing_mode == "per_order"):
        raise Unprocessable(
            f"This tenant is billed {'per order' if config.billing_mode == 'per_order' else 'monthly'}: "
            f"draft {'an order' if config.billing_mode == 'per_order' else 'a month'}'s invoice instead.",
            code="billing_mode_mismatch",
            details={"billing_mode": config.billing_mode},
        )
    period: tuple[date, date] | None = None
    if data.order_id is not None:
        order = await repository.order(session, scope, data.order_id)
        if order is None:
            raise NotFound("Order not found.")
        if order.status != OrderStatus.COMPLETED:
            raise Conflict(
                f"Order {order.number} is {order.status}; only a completed order is invoiced.",
                code="order_not_completed",
            )
        rows = await repository.billable_lines(session, scope, order_id=order.id)
    else:
        assert data.month is not None
        period = repository.month_bounds(data.month)
        start, end = (datetime.combine(day, time(), tzinfo=UTC) for day in period)
        rows = await repository.billable_lines(session, scope, start=start, end=end)
    if not rows:
        raise Unprocessable(
            "There is nothing to invoice: no delivered line that is not on an invoice yet.",
            code="nothing_to_invoice",
        )
    tax_rate = _money(Decimal(str(config.tax_rate_percent)))
    amounts = [_money(Decimal(row["unit_price"])) for row in rows]
    net, tax, gross = _totals(amounts, tax_rate)
    invoice = Invoice(
        tenant_id=scope,
        kind=InvoiceKind.INVOICE,
        status=InvoiceStatus.DRAFT,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        order_id=data.order_id,
        currency=config.currency,
        tax_rate=tax_rate,
        net_total=net,
        tax_total=tax,
        gross_total=gross,
        customer={"name": tenant.name, "address": config.billing_address},
        created_by=actor.user_id,
        note=data.note,
    )
    try:
        async with session.begin_nested():
            await save(session, invoice)
            for position, (row, amount) in enumerate(zip(rows, amounts, strict=True), start=1):
                session.add(
                    InvoiceLine(
                        tenant_id=scope,
                        invoice_id=invoice.id,
                        position=position,
                        order_line_id=row["order_line_id"],
                        charging=True,
                        order_number=row["order_number"],
                        product_name=row["product_name"],
                        pim_id=row["pim_id"],
                        output_type_name=row["output_type_name"],
                        delivered_at=row["delivered_at"],
                        unit_price=amount,
                        quantity=1,
                        amount=amount,
                    )
                )
            await session.flush()
    except IntegrityError as exc:
        if "uq_invoice_lines_charged_once" in str(exc.orig):
            raise Conflict(
                "Another invoice took some of these lines just now; draft again.",
                code="lines_already_claimed",
            ) from None
        raise
    await audit.record(
        session,
        actor=actor,
        action="invoice.drafted",
        tenant_id=scope,
        target_type="invoice",
        target_id=invoice.id,
        detail={
            "lines": len(rows),
            "net": str(net),
            "month": data.month,
            "order_id": str(data.order_id or ""),
        },
    )
    return invoice


async def delete_draft(session: AsyncSession, *, actor: Actor, invoice_id: uuid.UUID) -> None:
    invoice = await get(session, actor=actor, invoice_id=invoice_id, lock=True)
    if invoice.status != InvoiceStatus.DRAFT:
        raise Conflict(
            "Only a draft may be deleted; an issued invoice is cancelled by a credit note.",
            code="invoice_issued",
        )
    await session.delete(invoice)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="invoice.deleted",
        tenant_id=invoice.tenant_id,
        target_type="invoice",
        target_id=invoice.id,
    )


# -- issuing and after ----------------------------------------------------------------------------


async def _number(session: AsyncSession, tenant_id: uuid.UUID, at: datetime) -> str:
    _, config = await _tenant(session, tenant_id)
    seq = await repository.next_number(session, tenant_id, at.year)
    return f"{config.invoice_prefix}-{at.year}-{seq:05d}"


async def issue(session: AsyncSession, *, actor: Actor, invoice_id: uuid.UUID) -> Invoice:
    """Give the draft its number and freeze it. 409 ``invoice_not_draft``."""
    invoice = await get(session, actor=actor, invoice_id=invoice_id, lock=True)
    if invoice.status != InvoiceStatus.DRAFT:
        raise Conflict(f"Invoice {invoice.number} is {invoice.status} already.", code="invoice_not_draft")
    now = datetime.now(UTC)
    invoice.number = await _number(session, invoice.tenant_id, now)
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = now
    invoice.issued_by = actor.user_id
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="invoice.issued",
        tenant_id=invoice.tenant_id,
        target_type="invoice",
        target_id=invoice.id,
        detail={"number": invoice.number, "gross": str(invoice.gross_total)},
    )
    return invoice


async def mark_paid(session: AsyncSession, *, actor: Actor, invoice_id: uuid.UUID) -> Invoice:
    """409 ``invoice_not_issued`` unless it is an issued invoice (not a credit note)."""
    invoice = await get(session, actor=actor, invoice_id=invoice_id, lock=True)
    if invoice.status != InvoiceStatus.ISSUED or invoice.kind != InvoiceKind.INVOICE:
        raise Conflict(
            f"Only an issued invoice can be paid; this one is {invoice.status}.", code="invoice_not_issued"
        )
    if await repository.credit_note_of(session, invoice.id) is not None:
        raise Conflict("This invoice was cancelled by a credit note.", code="invoice_credited")
    invoice.status = InvoiceStatus.PAID
    invoice.paid_at = datetime.now(UTC)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="invoice.paid",
        tenant_id=invoice.tenant_id,
        target_type="invoice",
        target_id=invoice.id,
        detail={"number": invoice.number},
    )
    return invoice


async def void(session: AsyncSession, *, actor: Actor, invoice_id: uuid.UUID) -> Invoice:
    """An issued invoice that was never sent or paid is void: it keeps its number (no gap) and its
    lines may be billed again. 409 ``invoice_not_issued`` otherwise."""
    invoice = await get(session, actor=actor, invoice_id=invoice_id, lock=True)
    if invoice.status != InvoiceStatus.ISSUED or invoice.kind != InvoiceKind.INVOICE:
        raise Conflict(
            f"Only an issued, unpaid invoice can be voided; this one is {invoice.status}.",
            code="invoice_not_issued",
        )
    if await repository.credit_note_of(session, invoice.id) is not None:
        raise Conflict("This invoice was cancelled by a credit note already.", code="invoice_credited")
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = datetime.now(UTC)
    await repository.release_lines(session, invoice.id)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="invoice.voided",
        tenant_id=invoice.tenant_id,
        target_type="invoice",
        target_id=invoice.id,
        detail={"number": invoice.number},
    )
    return invoice


async def credit(session: AsyncSession, *, actor: Actor, invoice_id: uuid.UUID, note: str | None) -> Invoice:
    """The credit note that cancels an issued or paid invoice in full: the same lines negated,
    issued at once with its own number and a reference to the invoice; the invoice's order lines
    may then be billed again. 409 ``invoice_not_issued``, ``invoice_credited``."""
    invoice = await get(session, actor=actor, invoice_id=invoice_id, lock=True)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in (
        InvoiceStatus.ISSUED,
        InvoiceStatus.PAID,
    ):
        raise Conflict("Only an issued or paid invoice can be credited.", code="invoice_not_issued")
    if await repository.credit_note_of(session, invoice.id) is not None:
        raise Conflict(f"Invoice {invoice.number} has a credit note already.", code="invoice_credited")
    now = datetime.now(UTC)
    lines = list(await repository.lines(session, invoice.id))
    note_row = Invoice(
        tenant_id=invoice.tenant_id,
        kind=InvoiceKind.CREDIT_NOTE,
        status=InvoiceStatus.ISSUED,
        number=await _number(session, invoice.tenant_id, now),
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        order_id=invoice.order_id,
        credits_id=invoice.id,
        currency=invoice.currency,
        tax_rate=invoice.tax_rate,
        net_total=-invoice.net_total,
        tax_total=-invoice.tax_total,
        gross_total=-invoice.gross_total,
        customer=dict(invoice.customer or {}),
        created_by=actor.user_id,
        issued_at=now,
        issued_by=actor.user_id,
        note=note or f"Cancels invoice {invoice.number}.",
    )
    await repository.release_lines(session, invoice.id)
    await save(session, note_row)
    for line in lines:
        session.add(
            InvoiceLine(
                tenant_id=invoice.tenant_id,
                invoice_id=note_row.id,
                position=line.position,
                order_line_id=line.order_line_id,
                charging=False,
                order_number=line.order_number,
                product_name=line.product_name,
                pim_id=line.pim_id,
                output_type_name=line.output_type_name,
                delivered_at=line.delivered_at,
                unit_price=line.unit_price,
                quantity=-line.quantity,
                amount=-line.amount,
            )
        )
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="invoice.credited",
        tenant_id=invoice.tenant_id,
        target_type="invoice",
        target_id=invoice.id,
        detail={"number": invoice.number, "credit_note": note_row.number},
    )
    return note_row


def customer_lines(customer: dict[str, Any]) -> list[str]:
    name = str(customer.get("name") or "")
    address = str(customer.get("address") or "")
    return [part for part in [name, *address.splitlines()] if part.strip()]

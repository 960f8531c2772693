from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from automat.kit.pagination import Page

Price = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), max_digits=12, decimal_places=2)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM (UTC)")]


class PriceCreate(BaseModel):
    """A price of an output type from ``valid_from`` on, in the tenant's currency."""

    model_config = ConfigDict(extra="forbid")

    output_type_id: uuid.UUID
    unit_price: Price
    valid_from: date = Field(description="the first day (UTC) the price applies to deliveries")


class PriceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    output_type_id: uuid.UUID
    output_type_name: str
    unit_price: Decimal
    currency: str
    valid_from: date
    valid_to: date | None = Field(description="the day the next price starts (exclusive); null: open")
    created_at: datetime


class InvoiceCreate(BaseModel):
    """Draft the invoice of a month (tenants billed monthly) or of one completed order (per order)."""

    model_config = ConfigDict(extra="forbid")

    month: Month | None = None
    order_id: uuid.UUID | None = None
    note: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def one_subject(self) -> InvoiceCreate:
        if (self.month is None) == (self.order_id is None):
            raise ValueError("give either month or order_id")
        return self


class InvoiceLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    position: int
    order_line_id: uuid.UUID | None
    order_number: str
    product_name: str
    pim_id: str | None
    output_type_name: str
    delivered_at: datetime | None
    unit_price: Decimal
    quantity: int
    amount: Decimal


InvoiceStatusName = Literal["draft", "issued", "paid", "void"]
InvoiceKindName = Literal["invoice", "credit_note"]


class InvoiceSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: InvoiceKindName
    status: InvoiceStatusName
    number: str | None
    period_start: date | None
    period_end: date | None
    order_id: uuid.UUID | None
    credits_id: uuid.UUID | None
    currency: str
    tax_rate: Decimal
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    created_at: datetime
    issued_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None


class InvoiceRead(InvoiceSummary):
    customer: dict[str, str]
    note: str | None
    credited_by: uuid.UUID | None = Field(default=None, description="the credit note that cancels it")
    lines: list[InvoiceLineRead]


class InvoicePage(Page[InvoiceSummary]):
    """A page of a tenant's invoices and credit notes, newest first."""

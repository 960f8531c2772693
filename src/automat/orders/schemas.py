from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from automat.kit.pagination import Page

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class LineSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    output_type_id: uuid.UUID


class LinesAdd(BaseModel):
    """Lines to add: explicit pairs and/or every picked product x every picked output type."""

    model_config = ConfigDict(extra="forbid")

    lines: list[LineSpec] = Field(default_factory=list, max_length=100_000)
    product_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100_000)
    output_type_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)

    def pairs(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        seen: dict[tuple[uuid.UUID, uuid.UUID], None] = {}
        for line in self.lines:
            seen[(line.product_id, line.output_type_id)] = None
        for product_id in self.product_ids:
            for output_type_id in self.output_type_ids:
                seen[(product_id, output_type_id)] = None
        return list(seen)


class OrderCreate(LinesAdd):
    title: Title | None = None
    notes: Annotated[str, StringConstraints(max_length=10_000)] | None = None
    tenant_id: uuid.UUID | None = None  # global admins name the tenant


class OrderUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    notes: Annotated[str, StringConstraints(max_length=10_000)] | None = None


class DraftEdit(LinesAdd):
    """A draft as the wizard leaves it: its title, notes and every line it should have. Lines
    already on the order are kept as they are (status, media); the others are removed or added."""

    title: Title | None = None
    notes: Annotated[str, StringConstraints(max_length=10_000)] | None = None


class PickableProduct(BaseModel):
    """A product as the order wizard lists it, with what its CAD file lets it do."""

    id: uuid.UUID
    pim_id: str
    name: str
    cad_file_id: uuid.UUID | None
    cad_status: str | None = Field(description="the linked CAD file's status; null: no CAD file")


class ProductPicks(BaseModel):
    """Every product matching a search (``select all``), at most ``max_order_size`` of them."""

    total: int
    max_order_size: int
    items: list[PickableProduct]


class OrderTerms(BaseModel):
    """What the tenant's orders are bound to: their size and the currency prices are in."""

    max_order_size: int
    currency: str


class RenderAgain(BaseModel):
    """Which completed lines of a draft the next submit renders again (``line_ids`` omitted: all of
    them); ``render_again: false`` keeps their media again."""

    model_config = ConfigDict(extra="forbid")

    line_ids: list[uuid.UUID] | None = Field(default=None, max_length=100_000)
    render_again: bool = True


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    notify_client: bool = True


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    number: str
    title: str | None
    notes: str | None
    status: str
    created_by: uuid.UUID | None
    created_by_name: str | None = None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None
    rejection_reason: str | None
    rejected_at: datetime | None
    rejected_by: uuid.UUID | None
    submission_count: int
    line_count: int = 0
    line_status_counts: dict[str, int] = Field(default_factory=dict)
    allowed_transitions: list[str] = Field(default_factory=list)
    outcome: Literal["completed", "completed_with_failures", "cancelled"] | None = Field(
        default=None,
        description="how a finished order ended, from its lines (null until it is completed or cancelled)",
    )


class MediaSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    role: str
    file_name: str
    content_type: str
    file_size: int
    width: int | None
    height: int | None
    duration_s: float | None
    download_url: str = ""


class LineProgress(BaseModel):
    """A running render's latest progress (``rendering/progress.py``): the phase, frame i of N
    (turntables), sample n of N (Cycles' passes over the current image) and the time left,
    estimated as elapsed / fraction - elapsed over the phase (None until a fraction is known)."""

    job_id: str
    phase: str
    message: str
    fraction: float | None = None
    frame: int | None = None
    frames: int | None = None
    sample: int | None = None
    samples: int | None = None
    phase_started_at: datetime
    updated_at: datetime
    elapsed_s: float
    eta_s: float | None = None


class LineQueue(BaseModel):
    """Where a queued line stands in its tenant's queue and why it waits (``orders/waiting.py``)."""

    position: int
    queued: int
    reason: Literal["no_worker", "blocklisted", "slots_full", "cad_processing", "queue"]
    message: str


class OrderLineRead(BaseModel):
    id: uuid.UUID
    product_id: uuid.UUID
    product_pim_id: str
    product_name: str
    output_type_id: uuid.UUID
    output_type_name: str
    kind: str
    cad_status: str | None
    render_status: str
    started_at: datetime | None
    finished_at: datetime | None
    job_document: dict[str, Any]
    media: list[MediaSummary] = Field(default_factory=list)
    progress: LineProgress | None = None
    queue: LineQueue | None = None
    render_again: bool = Field(
        default=False, description="a completed line of a draft that the next submit renders again"
    )
    submission: int | None = Field(
        default=None, description="the submission whose render the line shows (older: kept from it)"
    )


class OrderDetail(OrderRead):
    history: list[dict[str, Any]]
    lines: list[OrderLineRead]


class OrderPage(Page[OrderRead]):
    """A page of orders, newest first."""


class KanbanColumn(BaseModel):
    status: str
    count: int
    orders: list[OrderRead]


class KanbanBoard(BaseModel):
    view: Literal["kanban"] = "kanban"
    columns: list[KanbanColumn]


class CancelResult(BaseModel):
    cancelled: int
    order: OrderRead

"""What the analytics endpoints answer. Durations are seconds; percentiles are ``percentile_cont``
(interpolated) over the finished jobs of the range; null where no job had the measure."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel

from automat.kit.pagination import Page

GroupBy = Literal["day", "week"]
Device = Literal["gpu", "cpu"]


class Range(BaseModel):
    date_from: date
    date_to: date
    group_by: GroupBy
    tenant_id: uuid.UUID | None = None


class Percentiles(BaseModel):
    p50: float | None = None
    p90: float | None = None
    p95: float | None = None


class RenderFigures(BaseModel):
    count: int
    completed: int
    failed: int
    gpu: int  # jobs that rendered on a GPU (device label not "CPU …")
    cpu: int  # CPU, including the fallback when no GPU was found
    gpu_share: float | None  # gpu / (gpu + cpu); jobs without a device (exports) are left out
    render_s: Percentiles
    wait_s: Percentiles  # submitted -> render started
    e2e_s: Percentiles  # submitted -> finished


class RenderPeriod(RenderFigures):
    period: date  # the day, or the Monday of the week


class OutputTypeFigures(RenderFigures):
    output_type_id: uuid.UUID
    name: str
    kind: str


class ErrorCount(BaseModel):
    message: str  # ids masked as <id>, numbers as N
    example: str  # one real message of that kind
    count: int


class StepFailures(BaseModel):
    step: str
    count: int
    top_errors: list[ErrorCount]


class RenderAnalytics(BaseModel):
    range: Range
    totals: RenderFigures
    series: list[RenderPeriod]
    by_output_type: list[OutputTypeFigures]
    failures_by_step: list[StepFailures]


class FailedLine(BaseModel):
    line_id: uuid.UUID
    order_id: uuid.UUID
    order_number: str | None
    product_name: str | None
    output_type_name: str | None
    failed_step: str
    error: str | None
    finished_at: str


class FailedLinePage(Page[FailedLine]):
    """The failed order lines behind a bar of "failures by step"."""


class Bucket(BaseModel):
    label: str  # "1", "2-10", "1001+"
    low: int
    high: int | None  # inclusive; null: no upper end
    count: int


class CadPeriod(BaseModel):
    period: date
    count: int
    failed: int
    conversion_p50: float | None
    conversion_p95: float | None


class ReasonCount(BaseModel):
    reason: str
    count: int


class CadAnalytics(BaseModel):
    range: Range
    count: int
    ready: int
    failed: int
    conversion_s: Percentiles
    processing_s: Percentiles
    series: list[CadPeriod]
    failure_reasons: list[ReasonCount]  # error codes (cad.failures)
    parts: list[Bucket]
    triangles: list[Bucket]


class StatusCount(BaseModel):
    status: str
    count: int


class OrderPeriod(BaseModel):
    period: date
    created: int
    statuses: list[StatusCount]  # the orders created in the period, by their status now


class LinesPerOrder(BaseModel):
    average: float | None
    p50: float | None
    p95: float | None
    max: int | None
    buckets: list[Bucket]


class OrderAnalytics(BaseModel):
    range: Range
    created: int
    submitted: int  # submitted at least once
    rejected: int  # rejected at least once
    rejection_rate: float | None  # rejected / submitted
    statuses: list[StatusCount]
    series: list[OrderPeriod]
    lines_per_order: LinesPerOrder
    rejection_reasons: list[ReasonCount]

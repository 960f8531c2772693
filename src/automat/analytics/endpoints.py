"""/api/analytics: render, CAD and order figures over a date range (``view_analytics``: every role
but clients). Tenants see their own numbers (RLS); global admins see every tenant's, or one's with
``tenant_id``."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from automat.analytics import service
from automat.analytics.schemas import (
    CadAnalytics,
    Device,
    FailedLinePage,
    GroupBy,
    OrderAnalytics,
    RenderAnalytics,
)
from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize
from automat.models.output import OutputKind

router = APIRouter(prefix="/api/analytics", tags=["analytics"])

ViewAnalytics = Annotated[Actor, require(Permission.VIEW_ANALYTICS)]
DateFrom = Annotated[
    date | None, Query(alias="from", description="first day (UTC), default 29 days before `to`")
]
DateTo = Annotated[date | None, Query(alias="to", description="last day (UTC, included), default today")]
GroupByQuery = Annotated[GroupBy, Query(description="one row per day or per week (Monday)")]
TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: only this tenant's figures")]
OutputTypeQuery = Annotated[uuid.UUID | None, Query(description="only this output type's renders")]
KindQuery = Annotated[OutputKind | None, Query(description="only renders of this output kind")]
DeviceQuery = Annotated[Device | None, Query(description="only renders on a GPU, or on the CPU")]


@router.get("/renders", response_model=RenderAnalytics)
async def render_analytics(
    session: SessionDep,
    actor: ViewAnalytics,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    group_by: GroupByQuery = "day",
    tenant_id: TenantQuery = None,
    output_type_id: OutputTypeQuery = None,
    kind: KindQuery = None,
    device: DeviceQuery = None,
) -> RenderAnalytics:
    """Finished render jobs of the range: count, p50/p90/p95 of render time, queue wait (submitted
    → render started) and end-to-end time (of completed jobs), GPU vs CPU share, per day or week
    and per output type, and failures by step with their most frequent messages. 422
    ``invalid_range`` unless from < to and the range is at most a year."""
    f = service.filters(
        actor, date_from=date_from, date_to=date_to, group_by=group_by, tenant_id=tenant_id,
        output_type_id=output_type_id, kind=kind.value if kind else None, device=device,
    )  # fmt: skip
    return await service.renders(session, f)


@router.get("/renders/failures", response_model=FailedLinePage)
async def failed_render_lines(
    session: SessionDep,
    actor: ViewAnalytics,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    step: Annotated[str | None, Query(max_length=64, description="only failures of this step")] = None,
    tenant_id: TenantQuery = None,
    output_type_id: OutputTypeQuery = None,
    kind: KindQuery = None,
    device: DeviceQuery = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
) -> FailedLinePage:
    """The failed order lines behind a bar of "failures by step", newest first, with their order."""
    f = service.filters(
        actor, date_from=date_from, date_to=date_to, group_by="day", tenant_id=tenant_id,
        output_type_id=output_type_id, kind=kind.value if kind else None, device=device,
    )  # fmt: skip
    return await service.failed_lines(session, f, step=step, cursor=cursor, page_size=page_size)


@router.get("/cad", response_model=CadAnalytics)
async def cad_analytics(
    session: SessionDep,
    actor: ViewAnalytics,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    group_by: GroupByQuery = "day",
    tenant_id: TenantQuery = None,
) -> CadAnalytics:
    """CAD files whose processing ended in the range: conversion (STEP → GLB) and whole processing
    time p50/p90/p95, failure reasons (error codes), parts and triangles as histogram buckets."""
    f = service.filters(actor, date_from=date_from, date_to=date_to, group_by=group_by, tenant_id=tenant_id)
    return await service.cad(session, f)


@router.get("/orders", response_model=OrderAnalytics)
async def order_analytics(
    session: SessionDep,
    actor: ViewAnalytics,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    group_by: GroupByQuery = "day",
    tenant_id: TenantQuery = None,
) -> OrderAnalytics:
    """Orders created in the range by their status now, per day or week; lines per order; the share
    of submitted orders that were rejected (at least once) and the rejection reasons."""
    f = service.filters(actor, date_from=date_from, date_to=date_to, group_by=group_by, tenant_id=tenant_id)
    return await service.orders(session, f)

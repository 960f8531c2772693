"""The range checks and the answers of the analytics endpoints (figures from ``repository``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from automat.analytics import repository
from automat.analytics.repository import Filters
from automat.analytics.schemas import (
    CadAnalytics,
    FailedLine,
    FailedLinePage,
    OrderAnalytics,
    Range,
    RenderAnalytics,
)
from automat.core.deps import Actor
from automat.kit.errors import Unprocessable
from automat.kit.pagination import decode_cursor, page_of
from automat.kit.time import utcnow

MAX_RANGE_DAYS = 366  # "at most a year", a leap year included
DEFAULT_RANGE_DAYS = 30
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


class InvalidRange(Unprocessable):
    """The date range is not one the analytics can show."""

    code = "invalid_range"


def filters(
    actor: Actor,
    *,
    date_from: date | None,
    date_to: date | None,
    group_by: str,
    tenant_id: uuid.UUID | None = None,
    output_type_id: uuid.UUID | None = None,
    kind: str | None = None,
    device: str | None = None,
) -> Filters:
    """The query's filters: ``to`` defaults to today (UTC), ``from`` to 29 days before it (30 days
    in all); both days are included. 422 ``invalid_range`` unless from < to and at most a year."""
    for value in (date_from, date_to):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise InvalidRange(
                f"Dates must lie between {EARLIEST} and {LATEST}.",
                details={"from": str(date_from), "to": str(date_to)},
            )
    end = date_to or utcnow().date()
    start = date_from or max(EARLIEST, end - timedelta(days=DEFAULT_RANGE_DAYS - 1))
    if start >= end:
        raise InvalidRange(
            "The start of the range must be before its end.", details={"from": str(start), "to": str(end)}
        )
    if (end - start).days > MAX_RANGE_DAYS:
        raise InvalidRange(
            "The range may span at most one year.",
            details={"from": str(start), "to": str(end), "max_days": MAX_RANGE_DAYS},
        )
    return Filters(
        date_from=start,
        date_to=end,
        group_by=group_by,
        tenant_id=actor.scope_tenant(tenant_id),
        output_type_id=output_type_id,
        kind=kind,
        device=device,
    )


def _range(f: Filters) -> Range:
    return Range(date_from=f.date_from, date_to=f.date_to, group_by=f.group_by, tenant_id=f.tenant_id)


async def renders(session: AsyncSession, f: Filters) -> RenderAnalytics:
    await repository.sort_in_memory(session)
    summary = await repository.render_summary(session, f)
    failures = await repository.render_failures(session, f)
    return RenderAnalytics.model_validate({"range": _range(f), **summary, "failures_by_step": failures})


async def failed_lines(
    session: AsyncSession, f: Filters, *, step: str | None, cursor: str | None, page_size: int
) -> FailedLinePage:
    after = decode_cursor(cursor, (datetime, int))
    rows, total = await repository.failed_lines(session, f, step=step, after=after, limit=page_size + 1)
    page, next_cursor = page_of(rows, page_size, lambda r: (r.finished_at, r.id))
    items = [
        FailedLine(
            line_id=r.line_id,
            order_id=r.order_id,
            order_number=r.order_number,
            product_name=r.product_name,
            output_type_name=r.output_type_name,
            failed_step=r.failed_step or "unknown",
            error=r.error,
            finished_at=r.finished_at.isoformat(),
        )
        for r in page
    ]
    return FailedLinePage(items=items, next_cursor=next_cursor, total=total)


async def cad(session: AsyncSession, f: Filters) -> CadAnalytics:
    await repository.sort_in_memory(session)
    summary: dict[str, Any] = await repository.cad_summary(session, f)
    return CadAnalytics.model_validate({"range": _range(f), **summary})


async def orders(session: AsyncSession, f: Filters) -> OrderAnalytics:
    await repository.sort_in_memory(session)
    summary = await repository.order_summary(session, f)
    return OrderAnalytics.model_validate({"range": _range(f), **summary})

"""/api/orders: drafts and lines (clients: their own orders only), the Kanban board, submit,
reject (PM+), resubmit, render again (a resubmitted draft's completed lines), cancel renders (PM+)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize
from automat.models.order import Order, OrderStatus
from automat.orders import service
from automat.orders import waiting as line_queue
from automat.orders.schemas import (
    CancelResult,
    DraftEdit,
    KanbanBoard,
    KanbanColumn,
    LinesAdd,
    MediaSummary,
    OrderCreate,
    OrderDetail,
    OrderLineRead,
    OrderPage,
    OrderRead,
    OrderTerms,
    OrderUpdate,
    PickableProduct,
    ProductPicks,
    RejectBody,
    RenderAgain,
)

router = APIRouter(prefix="/api/orders", tags=["orders"])

RejectOrders = Annotated[Actor, require(Permission.REJECT_ORDERS)]
TriggerRenders = Annotated[Actor, require(Permission.TRIGGER_RENDERS)]
TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to look at")]


async def _reads(session: SessionDep, orders: list[Order]) -> list[OrderRead]:
    extras = await service.summaries(session, orders)
    return [OrderRead.model_validate(o).model_copy(update=x) for o, x in zip(orders, extras, strict=True)]


async def _detail(session: SessionDep, order: Order) -> OrderDetail:
    await session.flush()
    await session.refresh(order)  # server-side values (updated_at) after a change
    (summary,) = await _reads(session, [order])
    lines = []
    rows = await service.detail(session, order)
    waiting = await line_queue.order_waiting(session, order.tenant_id, [line for line, _ in rows])
    for line, extra in rows:
        media = [
            MediaSummary.model_validate(a).model_copy(
                update={"download_url": f"/api/media/assets/{a.id}/download"}
            )
            for a in extra.pop("media")
        ]
        lines.append(
            OrderLineRead(
                id=line.id,
                product_id=line.product_id,
                output_type_id=line.output_type_id,
                render_status=line.render_status,
                started_at=line.started_at,
                finished_at=line.finished_at,
                job_document=line.job_document,
                media=media,
                progress=line_queue.current_progress(line),
                queue=waiting.get(line.id),
                **extra,
            )
        )
    return OrderDetail(**summary.model_dump(), history=order.history, lines=lines)


@router.get("", response_model=OrderPage | KanbanBoard)
async def list_orders(
    session: SessionDep,
    actor: Authenticated,
    view: Literal["list", "kanban"] = "list",
    status_: Annotated[list[OrderStatus] | None, Query(alias="status")] = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    tenant_id: TenantQuery = None,
) -> OrderPage | KanbanBoard:
    """Newest first by (created_at, id), a page at a time; ``view=kanban`` groups by status with
    the count of each (``page_size`` orders per column)."""
    if view == "kanban":
        columns = await service.kanban(session, actor=actor, tenant_id=tenant_id, per_column=page_size)
        return KanbanBoard(
            columns=[
                KanbanColumn(status=s, count=n, orders=await _reads(session, orders))
                for s, n, orders in columns
            ]
        )
    orders, next_cursor, total = await service.list_orders(
        session,
        actor=actor,
        tenant_id=tenant_id,
        statuses=[s.value for s in status_] if status_ else None,
        cursor=cursor,
        page_size=page_size,
    )
    return OrderPage(items=await _reads(session, orders), next_cursor=next_cursor, total=total)


@router.get("/terms", response_model=OrderTerms)
async def order_terms(session: SessionDep, actor: Authenticated, tenant_id: TenantQuery = None) -> OrderTerms:
    """The tenant's order size limit and the currency output type prices are in."""
    config = await service.terms(session, actor=actor, tenant_id=tenant_id)
    return OrderTerms(max_order_size=config.max_order_size, currency=config.currency)


@router.get("/pickable-products", response_model=ProductPicks)
async def pickable_products(
    session: SessionDep,
    actor: Authenticated,
    q: Annotated[str | None, Query(max_length=200, description="the product search's words")] = None,
    tenant_id: TenantQuery = None,
) -> ProductPicks:
    """Every product the search ``q`` finds, with its CAD file's status ("select all" in the
    wizard); 422 ``too_many_products`` when more match than ``max_order_size``."""
    total, limit, found = await service.pickable_products(session, actor=actor, tenant_id=tenant_id, q=q)
    return ProductPicks(
        total=total,
        max_order_size=limit,
        items=[
            PickableProduct(
                id=p.id, pim_id=p.pim_id, name=p.name, cad_file_id=p.cad_file_id, cad_status=cad_status
            )
            for p, cad_status in found
        ],
    )


@router.post("", response_model=OrderDetail, status_code=status.HTTP_201_CREATED)
async def create_order(body: OrderCreate, session: SessionDep, actor: Authenticated) -> OrderDetail:
    """A draft order; ``product_ids`` x ``output_type_ids`` and/or explicit ``lines`` become its lines."""
    return await _detail(session, await service.create(session, actor=actor, data=body))


@router.get("/{order_id}", response_model=OrderDetail)
async def get_order(order_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> OrderDetail:
    """The order with every line, its job document (steps, timings, device) and its media."""
    return await _detail(session, await service.get(session, actor=actor, order_id=order_id))


@router.patch("/{order_id}", response_model=OrderDetail)
async def update_order(
    order_id: uuid.UUID, body: OrderUpdate, session: SessionDep, actor: Authenticated
) -> OrderDetail:
    return await _detail(session, await service.update(session, actor=actor, order_id=order_id, data=body))


@router.put("/{order_id}", response_model=OrderDetail)
async def edit_draft(
    order_id: uuid.UUID, body: DraftEdit, session: SessionDep, actor: Authenticated
) -> OrderDetail:
    """Replace a draft's title, notes and lines (the wizard's "Save"). Lines it keeps stay as they
    are, with their status and media; 409 ``order_not_editable`` unless the order is a draft."""
    return await _detail(
        session, await service.edit_draft(session, actor=actor, order_id=order_id, data=body)
    )


@router.delete("/{order_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_order(order_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> Response:
    await service.delete(session, actor=actor, order_id=order_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{order_id}/lines", response_model=OrderDetail)
async def add_lines(
    order_id: uuid.UUID, body: LinesAdd, session: SessionDep, actor: Authenticated
) -> OrderDetail:
    """Add lines to a draft (pairs already on the order are skipped)."""
    await service.add_lines(session, actor=actor, order_id=order_id, data=body)
    return await _detail(session, await service.get(session, actor=actor, order_id=order_id))


@router.delete("/{order_id}/lines/{line_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_line(
    order_id: uuid.UUID, line_id: uuid.UUID, session: SessionDep, actor: Authenticated
) -> Response:
    await service.remove_line(session, actor=actor, order_id=order_id, line_id=line_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{order_id}/submit", response_model=OrderDetail)
async def submit(order_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> OrderDetail:
    """Draft → submitted; every line is queued for rendering once this request commits."""
    return await _detail(session, await service.submit(session, actor=actor, order_id=order_id))


@router.post("/{order_id}/reject", response_model=OrderDetail)
async def reject(
    order_id: uuid.UUID, body: RejectBody, session: SessionDep, actor: RejectOrders
) -> OrderDetail:
    """Submitted/processing → rejected with a reason; pending renders are cancelled."""
    order = await service.reject(
        session, actor=actor, order_id=order_id, reason=body.reason, notify_client=body.notify_client
    )
    return await _detail(session, order)


@router.post("/{order_id}/resubmit", response_model=OrderDetail)
async def resubmit(order_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> OrderDetail:
    """Rejected → draft, to be edited and submitted again (the history keeps every round). Lines
    keep how they ended: the next submit renders the failed, cancelled and new ones, not the
    completed ones (their media stay) unless marked with ``render-again``."""
    return await _detail(session, await service.resubmit(session, actor=actor, order_id=order_id))


@router.post("/{order_id}/render-again", response_model=OrderDetail)
async def render_again(
    order_id: uuid.UUID, body: RenderAgain, session: SessionDep, actor: Authenticated
) -> OrderDetail:
    """Mark completed lines of a draft (kept with their media through a rejection) to render again
    at the next submit, or (``render_again: false``) to keep them; no ``line_ids``: every completed
    line. 409 ``order_not_editable`` unless a draft, 422 ``line_not_completed`` for other lines."""
    return await _detail(
        session, await service.render_again(session, actor=actor, order_id=order_id, data=body)
    )


@router.post("/{order_id}/cancel-renders", response_model=CancelResult)
async def cancel_renders(order_id: uuid.UUID, session: SessionDep, actor: TriggerRenders) -> CancelResult:
    """Cancel every line that has not finished: queued ones never start, running ones are killed.
    The history names who cancelled; an order whose lines are then all finished is settled."""
    order, cancelled = await service.cancel_renders(session, actor=actor, order_id=order_id)
    await session.flush()
    await session.refresh(order)
    (summary,) = await _reads(session, [order])
    return CancelResult(cancelled=cancelled, order=summary)

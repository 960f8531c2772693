"""Orders for the API: drafts and their lines, submit, reject, resubmit, cancel renders.

Clients see and change only the orders they created (others answer 404); project managers and
above see every order of the tenant. Status changes go through ``automat.orders.state``; the
Celery canvas of a submitted order is sent only after the request's transaction commits.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core.deps import Actor
from automat.core.redis import sync_client
from automat.core.storage import default_storage
from automat.kit.errors import Forbidden, NotFound, Unprocessable
from automat.kit.pagination import decode_cursor, page_of
from automat.kit.time import utcnow
from automat.kit.transaction import on_commit
from automat.models.order import LineStatus, Order, OrderLine, OrderStatus
from automat.models.product import Product
from automat.models.user import Role
from automat.notifications.service import notify
from automat.orders import control, lines, repository, state
from automat.orders.dispatch import dispatch_lines
from automat.orders.schemas import DraftEdit, LinesAdd, OrderCreate, OrderUpdate, RenderAgain
from automat.orders.state import Transition
from automat.pipeline import executor
from automat.products import service as product_service
from automat.tenants import repository as tenants
from automat.tenants.schemas import TenantConfig
from automat.users import repository as users

Pair = tuple[uuid.UUID, uuid.UUID]  # (product id, output type id): one line


class OrderTooLarge(Unprocessable):
    """The order has more lines than the tenant allows."""

    code = "order_too_large"


def _own_only(actor: Actor) -> uuid.UUID | None:
    """Clients are confined to their own orders."""
    return None if actor.at_least(Role.PROJECT_MANAGER) else actor.user_id


async def _config(session: AsyncSession, tenant_id: uuid.UUID) -> TenantConfig:
    tenant = await tenants.get(session, tenant_id)
    if tenant is None:
        raise NotFound("Tenant not found.")
    return TenantConfig(**tenant.tenant_config)


async def get(session: AsyncSession, *, actor: Actor, order_id: uuid.UUID, for_update: bool = False) -> Order:
    order = await repository.get(
        session,
        order_id,
        tenant_id=actor.scope_tenant(None),
        created_by=_own_only(actor),
        for_update=for_update,
    )
    if order is None:
        raise NotFound("Order not found.", code="order_not_found")
    return order


async def list_orders(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    statuses: list[str] | None,
    cursor: str | None,
    page_size: int,
) -> tuple[list[Order], str | None, int]:
    """A page of orders newest first (clients: their own), its next cursor and the total."""
    after = decode_cursor(cursor, (datetime, uuid.UUID))
    scope, own = actor.scope_tenant(tenant_id), _own_only(actor)
    rows = await repository.list_orders(
        session, tenant_id=scope, created_by=own, statuses=statuses, limit=page_size + 1, after=after
    )
    items, next_cursor = page_of(rows, page_size, key=lambda o: (o.created_at, o.id))
    total = await repository.count_orders(session, tenant_id=scope, created_by=own, statuses=statuses)
    return items, next_cursor, total


async def kanban(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, per_column: int
) -> list[tuple[str, int, list[Order]]]:
    """Orders grouped by status (the board's columns, in flow order) with the count of each."""
    scope, own = actor.scope_tenant(tenant_id), _own_only(actor)
    counts = await repository.count_by_status(session, tenant_id=scope, created_by=own)
    columns = []
    for status in OrderStatus:
        orders = await repository.list_orders(
            session, tenant_id=scope, created_by=own, statuses=[status.value], limit=per_column
        )
        columns.append((status.value, counts.get(status.value, 0), orders))
    return columns


# -- drafts ------------------------------------------------------------------------------------


async def _check_size(session: AsyncSession, order: Order, adding: int) -> None:
    limit = (await _config(session, order.tenant_id)).max_order_size
    total = await repository.count_lines(session, order.id) + adding
    if total > limit:
        raise OrderTooLarge(
            f"An order may have at most {limit} lines; this one would have {total}.",
            details={"max_order_size": limit, "lines": total},
        )


async def _check_references(session: AsyncSession, order: Order, pairs: list[Pair]) -> None:
    """422 ``unknown_line_reference`` unless every product and output type is the order's tenant's
    (and the output types active)."""
    products = await repository.existing_products(session, order.tenant_id, {p for p, _ in pairs})
    types = await repository.active_output_types(session, order.tenant_id, {o for _, o in pairs})
    unknown_products = sorted({str(p) for p, _ in pairs if p not in products})
    unknown_types = sorted({str(o) for _, o in pairs if o not in types})
    if unknown_products or unknown_types:
        raise Unprocessable(
            "Some products or output types do not exist in this tenant (or are inactive).",
            code="unknown_line_reference",
            details={"products": unknown_products, "output_types": unknown_types},
        )


async def _insert_lines(session: AsyncSession, order: Order, pairs: list[Pair]) -> None:
    await repository.add_lines(
        session,
        [
            {"tenant_id": order.tenant_id, "order_id": order.id, "product_id": p, "output_type_id": o}
            for p, o in pairs
        ],
    )


async def _add_lines(session: AsyncSession, order: Order, data: LinesAdd) -> int:
    wanted = data.pairs()
    if not wanted:
        return 0
    existing = await repository.line_keys(session, order.id)
    new = [pair for pair in wanted if pair not in existing]
    await _check_references(session, order, new)
    await _check_size(session, order, len(new))
    await _insert_lines(session, order, new)
    return len(new)


async def create(session: AsyncSession, *, actor: Actor, data: OrderCreate) -> Order:
    tenant_id = actor.require_tenant(data.tenant_id)
    year = utcnow().year
    seq = await repository.next_number(session, tenant_id, year)
    order = Order(
        tenant_id=tenant_id,
        number=f"ORD-{year}-{seq:03d}",
        title=data.title,
        notes=data.notes,
        status=OrderStatus.DRAFT.value,
        created_by=actor.user_id,
        history=[],
    )
    session.add(order)
    await session.flush()
    added = await _add_lines(session, order, data)
    await audit.record(
        session, actor=actor, action="order.create", tenant_id=tenant_id, target_type="order",
        target_id=order.id, detail={"number": order.number, "lines": added},
    )  # fmt: skip
    return order


def _require_draft(order: Order) -> None:
    if order.status not in state.EDITABLE:
        raise state.IllegalTransition(
            f"Order {order.number} is {order.status}; only drafts can be changed.",
            code="order_not_editable",
            details={"status": order.status},
        )


async def update(session: AsyncSession, *, actor: Actor, order_id: uuid.UUID, data: OrderUpdate) -> Order:
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    _require_draft(order)
    for key, value in data.model_dump(exclude_unset=True).items():
        setattr(order, key, value)
    await session.flush()
    return order


async def edit_draft(session: AsyncSession, *, actor: Actor, order_id: uuid.UUID, data: DraftEdit) -> Order:
    """Make the draft what the wizard shows: its title, notes and exactly ``data``'s lines. Lines
    on the order already stay as they are (a line completed before a rejection keeps its status
    and media); lines not wanted any more are removed, new ones checked like a new order's."""
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    _require_draft(order)
    wanted = data.pairs()
    limit = (await _config(session, order.tenant_id)).max_order_size
    if len(wanted) > limit:
        raise OrderTooLarge(
            f"An order may have at most {limit} lines; this one would have {len(wanted)}.",
            details={"max_order_size": limit, "lines": len(wanted)},
        )
    existing = await repository.line_ids_by_key(session, order.id)
    keep = set(wanted)
    gone = [line_id for key, line_id in existing.items() if key not in keep]
    new = [pair for pair in wanted if pair not in existing]
    await _check_references(session, order, new)
    await repository.delete_lines(session, order.id, gone)
    await _insert_lines(session, order, new)
    order.title, order.notes = data.title, data.notes
    await session.flush()
    await audit.record(
        session, actor=actor, action="order.edit", tenant_id=order.tenant_id, target_type="order",
        target_id=order.id,
        detail={"number": order.number, "added": len(new), "removed": len(gone), "lines": len(wanted)},
    )  # fmt: skip
    return order


async def pickable_products(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, q: str | None
) -> tuple[int, int, list[tuple[Product, str | None]]]:
    """Every product matching ``q`` (the product search's matching) with its CAD file's status, for
    "select all" in the wizard; 422 ``too_many_products`` when more match than an order may hold."""
    tenant = actor.require_tenant(tenant_id)
    limit = (await _config(session, tenant)).max_order_size
    matches = await product_service.list_products(
        session, actor=actor, tenant_id=tenant, q=q, limit=limit, exact_total=True
    )
    found, total = matches.items, matches.total
    if total > limit:
        raise Unprocessable(
            f"{total} products match; an order may have at most {limit} lines. Narrow the search.",
            code="too_many_products",
            details={"matching": total, "max_order_size": limit},
        )
    statuses = await repository.cad_statuses(session, {p.cad_file_id for p in found if p.cad_file_id})
    return total, limit, [(p, statuses.get(p.cad_file_id) if p.cad_file_id else None) for p in found]


async def terms(session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None) -> TenantConfig:
    """The tenant's ordering terms (order size limit, currency) as the wizard needs them."""
    return await _config(session, actor.require_tenant(tenant_id))


async def delete(session: AsyncSession, *, actor: Actor, order_id: uuid.UUID) -> None:
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    _require_draft(order)
    await repository.delete_order(session, order)
    await audit.record(
        session, actor=actor, action="order.delete", tenant_id=order.tenant_id, target_type="order",
        target_id=order.id, detail={"number": order.number},
    )  # fmt: skip


async def add_lines(session: AsyncSession, *, actor: Actor, order_id: uuid.UUID, data: LinesAdd) -> int:
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    _require_draft(order)
    return await _add_lines(session, order, data)


async def remove_line(
    session: AsyncSession, *, actor: Actor, order_id: uuid.UUID, line_id: uuid.UUID
) -> None:
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    _require_draft(order)
    line = await repository.get_line(session, order.id, line_id)
    if line is None:
        raise NotFound("Order line not found.", code="order_line_not_found")
    await repository.delete_line(session, line)


# -- transitions -------------------------------------------------------------------------------


def _after_commit_cancel(session: AsyncSession, line_ids: list[uuid.UUID], task_ids: list[str]) -> None:
    """Revoke queued tasks and tell running ones to kill their render hosts, once committed."""

    def send() -> None:
        from automat.worker.celery_app import celery_app

        control.request_cancel(sync_client(), line_ids)
        if task_ids:
            celery_app.control.revoke(task_ids)

    on_commit(session, send)


def _remove_files_after_commit(session: AsyncSession, keys: list[str]) -> None:
    def remove() -> None:
        storage = default_storage()
        for key in keys:
            storage.path(key).unlink(missing_ok=True)

    if keys:
        on_commit(session, remove)


async def _name(session: AsyncSession, actor: Actor) -> str:
    """How the history and notifications name the actor: their full name, else their email."""
    return (await users.names(session, [actor.user_id])).get(actor.user_id) or actor.email


async def submit(session: AsyncSession, *, actor: Actor, order_id: uuid.UUID) -> Order:
    """Queue the draft's lines: every line but a completed one (kept with its media from an earlier
    submission unless marked ``render_again``). The history entry counts queued and kept lines."""
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    order_lines = await repository.lines_of(session, order.id, for_update=True)
    to_run = [ln for ln in order_lines if lines.runs_at_submit(ln)]
    name = await _name(session, actor)
    state.apply(
        order, Transition.SUBMIT, by=actor.user_id, by_name=name, queued=len(to_run),
        kept=len(order_lines) - len(to_run), again=sum(1 for ln in to_run if ln.render_again),
    )  # fmt: skip  # 409 unless a draft
    if not order_lines:
        raise Unprocessable("An order needs at least one line before it is submitted.", code="empty_order")
    await _check_size(session, order, 0)
    run_ids = [ln.id for ln in to_run]
    if run_ids:
        # Media of an earlier run of these lines do not belong to this one.
        _remove_files_after_commit(session, await repository.detach_media(session, run_ids))
        # Clear earlier cancel marks before the runs' first tasks are sent (both after commit).
        on_commit(session, lambda: control.clear_cancel(sync_client(), run_ids))
        render_tasks = await dispatch_lines(session, order.tenant_id, to_run)
        for line in to_run:
            lines.queue(line, submission=order.submission_count, render_task_id=render_tasks[line.id])
    await session.flush()
    kept = len(order_lines) - len(to_run)
    await audit.record(
        session, actor=actor, action="order.submit", tenant_id=order.tenant_id, target_type="order",
        target_id=order.id,
        detail={"number": order.number, "lines": len(order_lines), "queued": len(to_run), "kept": kept},
    )  # fmt: skip
    message = f"Order #{order.number} submitted by {name}: {len(to_run)} line(s) to render"
    await _notify_about(
        session,
        order,
        action="order.submitted",
        message=message + (f", {kept} kept from before" if kept else ""),
        audience=Role.PROJECT_MANAGER,
        actor=actor,
        lines=len(to_run),
        kept=kept,
    )
    if not to_run:  # every line kept its media: nothing to wait for
        await _settle(session, order, [ln.render_status for ln in order_lines], actor=actor, by_name=name)
    return order


async def render_again(
    session: AsyncSession, *, actor: Actor, order_id: uuid.UUID, data: RenderAgain
) -> Order:
    """Mark completed lines of a draft to be rendered again at the next submit (or, with
    ``render_again`` false, to keep their media again); no ``line_ids``: every completed line."""
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    _require_draft(order)
    order_lines = await repository.lines_of(session, order.id, for_update=True)
    if data.line_ids is None:
        chosen = [ln for ln in order_lines if ln.render_status == LineStatus.COMPLETED]
    else:
        by_id = {ln.id: ln for ln in order_lines}
        missing = sorted({str(i) for i in data.line_ids if i not in by_id})
        if missing:
            raise NotFound("Order line not found.", code="order_line_not_found", details={"lines": missing})
        chosen = [by_id[i] for i in dict.fromkeys(data.line_ids)]
        unfinished = [str(ln.id) for ln in chosen if ln.render_status != LineStatus.COMPLETED]
        if unfinished:
            raise Unprocessable(
                "Only completed lines can be rendered again; the others render at the next submit anyway.",
                code="line_not_completed",
                details={"lines": unfinished},
            )
    for line in chosen:
        line.render_again = data.render_again
    await session.flush()
    await audit.record(
        session, actor=actor, action="order.render_again", tenant_id=order.tenant_id, target_type="order",
        target_id=order.id,
        detail={"number": order.number, "lines": len(chosen), "render_again": data.render_again},
    )  # fmt: skip
    return order


async def _notify_about(
    session: AsyncSession,
    order: Order,
    *,
    action: str,
    message: str,
    actor: Actor,
    recipient_id: uuid.UUID | None = None,
    audience: Role | None = None,
    **detail: Any,
) -> None:
    """One notification about ``order`` per submission round (a retried request sends none twice).
    Nobody is told of their own action: none for a recipient who is the actor, and a role-wide one
    is not shown to its actor (``notifications.repository.visible_to``)."""
    if recipient_id is not None and recipient_id == actor.user_id:
        return
    await notify(
        session,
        tenant_id=order.tenant_id,
        action=action,
        message=message,
        recipient_id=recipient_id,
        audience=audience,
        target_type="order",
        target_id=str(order.id),
        detail={"number": order.number, **detail},
        dedupe_key=f"order:{order.id}:{action}:{order.submission_count}",
        actor_id=actor.user_id,
    )


async def _cancel_open_lines(session: AsyncSession, order: Order, reason: str) -> tuple[int, list[str]]:
    """Cancel the order's unfinished lines; returns how many, and every line's status after."""
    order_lines = await repository.lines_of(session, order.id, for_update=True)
    cancelled, task_ids = [], []
    for line in order_lines:
        if lines.is_terminal(line):
            continue
        task_id = lines.cancel(line, reason)
        cancelled.append(line.id)
        if task_id:
            task_ids.append(task_id)
    if cancelled:
        task_ids += await session.run_sync(lambda s: executor.end_runs(s, cancelled, reason))
        _after_commit_cancel(session, cancelled, task_ids)
    await session.flush()
    return len(cancelled), [ln.render_status for ln in order_lines]


async def _settle(
    session: AsyncSession, order: Order, statuses: list[str], *, actor: Actor, by_name: str
) -> None:
    """Finish a live order whose lines are all terminal because of ``actor`` (and say so once)."""
    settled = lines.settle(order, statuses, by=actor.user_id, by_name=by_name)
    if settled is not None and settled.notification is not None:
        await notify(session, **settled.notification)


async def reject(
    session: AsyncSession, *, actor: Actor, order_id: uuid.UUID, reason: str, notify_client: bool
) -> Order:
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    name = await _name(session, actor)
    state.apply(order, Transition.REJECT, by=actor.user_id, by_name=name, reason=reason)
    cancelled, _ = await _cancel_open_lines(session, order, f"order rejected: {reason}")
    state.annotate(order, cancelled=cancelled)
    await audit.record(
        session, actor=actor, action="order.reject", tenant_id=order.tenant_id, target_type="order",
        target_id=order.id, detail={"number": order.number, "reason": reason, "cancelled_lines": cancelled},
    )  # fmt: skip
    if notify_client and order.created_by is not None:
        await _notify_about(
            session,
            order,
            action="order.rejected",
            message=f"Your order #{order.number} was rejected. Reason: {reason}",
            recipient_id=order.created_by,
            actor=actor,
            reason=reason,
        )
    return order


async def resubmit(session: AsyncSession, *, actor: Actor, order_id: uuid.UUID) -> Order:
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    if order.created_by != actor.user_id and not actor.at_least(Role.PROJECT_MANAGER):
        raise Forbidden("Only the order's creator or a project manager can resubmit it.")
    state.apply(
        order,
        Transition.RESUBMIT,
        by=actor.user_id,
        by_name=await _name(session, actor),
        reason=order.rejection_reason,
    )
    # The lines stay as they ended: completed ones keep their media (and are not rendered again
    # unless asked), failed and cancelled ones keep their reason and run again at the next submit.
    await session.flush()
    await audit.record(
        session, actor=actor, action="order.resubmit", tenant_id=order.tenant_id, target_type="order",
        target_id=order.id, detail={"number": order.number},
    )  # fmt: skip
    return order


async def cancel_renders(session: AsyncSession, *, actor: Actor, order_id: uuid.UUID) -> tuple[Order, int]:
    order = await get(session, actor=actor, order_id=order_id, for_update=True)
    if order.status not in state.LIVE:
        raise state.IllegalTransition(
            f"Order {order.number} is {order.status}; only submitted or processing orders have renders "
            "to cancel.",
            details={"status": order.status, "allowed": state.allowed(order)},
        )
    name = await _name(session, actor)
    cancelled, statuses = await _cancel_open_lines(session, order, f"cancelled by {name}")
    if cancelled:
        state.record(order, "cancel_renders", by=actor.user_id, by_name=name, cancelled=cancelled)
    await _settle(session, order, statuses, actor=actor, by_name=name)
    await audit.record(
        session, actor=actor, action="order.cancel_renders", tenant_id=order.tenant_id, target_type="order",
        target_id=order.id, detail={"number": order.number, "cancelled_lines": cancelled},
    )  # fmt: skip
    return order, cancelled


# -- reading -----------------------------------------------------------------------------------


async def summaries(session: AsyncSession, orders: list[Order]) -> list[dict[str, Any]]:
    """What the lists show of each order: counts of lines per status and the creator's name."""
    counts = await repository.line_counts(session, [o.id for o in orders])
    names = await users.names(session, [o.created_by for o in orders])
    return [
        {
            "line_status_counts": counts.get(o.id, {}),
            "line_count": sum(counts.get(o.id, {}).values()),
            "created_by_name": names.get(o.created_by) if o.created_by else None,
            "allowed_transitions": state.allowed(o),
            "outcome": state.outcome(o.status, counts.get(o.id, {})),
        }
        for o in orders
    ]


async def detail(session: AsyncSession, order: Order) -> list[tuple[OrderLine, dict[str, Any]]]:
    rows = await repository.lines_with_details(session, order.id)
    media = await repository.media_of_lines(session, [row[0].id for row in rows])
    by_line: dict[uuid.UUID, list[Any]] = {}
    for asset in media:
        if asset.order_line_id is not None:
            by_line.setdefault(asset.order_line_id, []).append(asset)
    result = []
    for line, pim_id, product_name, type_name, kind, cad_status in rows:
        result.append(
            (
                line,
                {
                    "product_pim_id": pim_id,
                    "product_name": product_name,
                    "output_type_name": type_name,
                    "kind": kind,
                    "cad_status": cad_status,
                    "media": by_line.get(line.id, []),
                    "render_again": line.render_again,
                    "submission": lines.submission_of(line),
                },
            )
        )
    return result

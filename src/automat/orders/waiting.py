"""Why a queued order line waits, and where it stands: what the order page shows under "Queued".

- No render worker holds a live lease as a render-queue consumer (``rendering/queue.py``): no
  worker takes the queue. For a tenant with its own render queue (``dedicated_render_queue``),
  the consumers of that queue.
- Every online worker of the queue its next step goes to is blocklisted for that step
  (``workers/blocklist.py``): the node was handed back and waits for an admin to clear one.
- The tenant's render slots (``orders.control``, ``max_concurrent_renders``): all in use means
  the line waits for one of the tenant's own renders to end.
- A line whose product's CAD file is still being converted waits for that (its check step says so).
- Otherwise it waits for a free worker behind the renders ahead of it.

The position is the line's rank among the tenant's queued lines, oldest submission first (the
order in which their render tasks were sent); the queue of the broker itself is not inspected.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from automat.core.redis import sync_client
from automat.models.order import LineStatus, Order, OrderLine
from automat.models.tenant import Tenant
from automat.models.workflow import WorkflowRun, WorkflowRunNode
from automat.orders import control
from automat.pipeline.job_document import RenderJobDocument, StepStatus
from automat.pipeline.node_task import ALL_BLOCKLISTED
from automat.pipeline.steps import ProcessStep
from automat.rendering.queue import render_consumers
from automat.tenants.schemas import TenantConfig
from automat.worker.queues import RENDER_QUEUE, dedicated_queues

Reason = Literal["no_worker", "blocklisted", "slots_full", "cad_processing", "queue"]


@dataclass(frozen=True)
class Waiting:
    position: int  # 1: the next of the tenant's lines to render
    queued: int  # the tenant's queued lines in all
    reason: Reason
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "queued": self.queued,
            "reason": self.reason,
            "message": self.message,
        }


def reason_for(
    *,
    consumers: int,
    slots_in_use: int,
    slot_limit: int,
    cad_note: str | None,
    ahead: int,
    queue: str = RENDER_QUEUE,
    blocklist_note: str | None = None,
) -> tuple[Reason, str]:
    """Why a queued line waits, most fundamental cause first (``queue``: the tenant's render queue;
    ``blocklist_note``: the note of its node that no online worker may run)."""
    if consumers == 0 and queue != RENDER_QUEUE:
        return (
            "no_worker",
            f"No worker of your own render queue {queue} is running: the line waits until one starts.",
        )
    if consumers == 0:
        return "no_worker", "No render worker is running: the line waits until one starts."
    if blocklist_note:
        return "blocklisted", blocklist_note[:1].upper() + blocklist_note[1:]
    if cad_note:
        return "cad_processing", cad_note[:1].upper() + cad_note[1:]
    if slots_in_use >= slot_limit:
        return (
            "slots_full",
            f"All {slot_limit} of your render slots are in use: it starts when one of them finishes.",
        )
    if ahead:
        return "queue", f"Waiting for a free render worker; {ahead} of your lines before it."
    return "queue", "Next in line: waiting for a free render worker."


def _cad_note(line: OrderLine) -> str | None:
    if not line.job_document:
        return None
    doc = RenderJobDocument.from_json(line.job_document)
    check = doc.step(ProcessStep.CHECK_CAD)
    message = check.message or "" if check is not None else ""
    if check is None or check.status is not StepStatus.RUNNING or not message.startswith("waiting for"):
        return None
    return message


async def _positions(
    session: AsyncSession, tenant_id: uuid.UUID, ids: list[uuid.UUID]
) -> tuple[dict[uuid.UUID, int], int]:
    ranked = (
        select(
            OrderLine.id.label("id"),
            func.row_number()
            .over(order_by=(Order.submitted_at, OrderLine.created_at, OrderLine.id))
            .label("position"),
            func.count().over().label("queued"),
        )
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.tenant_id == tenant_id, OrderLine.render_status == LineStatus.QUEUED.value)
        .subquery()
    )
    rows = (await session.execute(select(ranked).where(ranked.c.id.in_(ids)))).all()
    queued = int(rows[0].queued) if rows else 0
    return {row.id: int(row.position) for row in rows}, queued


async def _blocklist_notes(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The lines whose queued node was handed back because every online worker of its queue is
    blocklisted for its step, with that node's note."""
    rows = (
        await session.execute(
            select(WorkflowRun.subject_id, WorkflowRunNode.error)
            .join(WorkflowRunNode, WorkflowRunNode.run_id == WorkflowRun.id)
            .where(
                WorkflowRun.subject_id.in_(ids),
                WorkflowRun.status == "running",
                WorkflowRunNode.status == "queued",
                WorkflowRunNode.error.startswith(ALL_BLOCKLISTED, autoescape=True),
            )
        )
    ).all()
    return {row.subject_id: str(row.error) for row in rows}


def _redis_counts(client: redis.Redis, tenant_id: uuid.UUID, queue: str) -> tuple[int, int]:
    return render_consumers(client, queue), control.slots_in_use(client, tenant_id)


async def waiting_lines(
    session: AsyncSession,
    client: redis.Redis,
    tenant_id: uuid.UUID,
    slot_limit: int,
    lines: list[OrderLine],
    *,
    queue: str = RENDER_QUEUE,
) -> dict[uuid.UUID, Waiting]:
    """For each queued line of ``lines`` (one tenant's): its place in the tenant's queue and why
    (``queue``: the render queue its lines go to)."""
    queued = [line for line in lines if line.render_status == LineStatus.QUEUED.value]
    if not queued:
        return {}
    positions, total = await _positions(session, tenant_id, [line.id for line in queued])
    blocked = await _blocklist_notes(session, [line.id for line in queued])
    try:
        consumers, in_use = await asyncio.to_thread(_redis_counts, client, tenant_id, queue)
    except redis.RedisError:
        return {}  # the page shows "Queued" without the why rather than fail
    result = {}
    for line in queued:
        position = positions.get(line.id, 1)
        reason, message = reason_for(
            consumers=consumers,
            slots_in_use=in_use,
            slot_limit=slot_limit,
            cad_note=_cad_note(line),
            ahead=position - 1,
            queue=queue,
            blocklist_note=blocked.get(line.id),
        )
        result[line.id] = Waiting(position, max(total, position), reason, message)
    return result


async def order_waiting(
    session: AsyncSession, tenant_id: uuid.UUID, lines: list[OrderLine]
) -> dict[uuid.UUID, dict[str, Any]]:
    """``waiting_lines`` for one order's lines, with the tenant's slot limit and the shared Redis."""
    if not any(line.render_status == LineStatus.QUEUED.value for line in lines):
        return {}
    tenant = (
        await session.execute(select(Tenant.slug, Tenant.tenant_config).where(Tenant.id == tenant_id))
    ).first()  # None where the role may not read its tenant's row: the defaults then
    stored = (tenant.tenant_config if tenant is not None else None) or {}
    config = TenantConfig(**stored)
    queue = (
        dedicated_queues(tenant.slug, stored).get(RENDER_QUEUE, RENDER_QUEUE)
        if tenant is not None
        else RENDER_QUEUE
    )
    found = await waiting_lines(
        session, sync_client(), tenant_id, config.max_concurrent_renders, lines, queue=queue
    )
    return {line_id: waiting.as_dict() for line_id, waiting in found.items()}


def current_progress(line: OrderLine) -> dict[str, Any] | None:
    """The line's stored render progress when it belongs to the line's current job and render."""
    progress = line.render_progress
    if not progress or line.render_status not in (LineStatus.RUNNING.value, LineStatus.COMPLETED.value):
        return None
    job_id = str((line.job_document or {}).get("job_id") or "").replace(":", "-")
    return progress if progress.get("job_id") == job_id else None

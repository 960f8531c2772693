"""An order's lines as one Celery canvas: per line a chain (check CAD → render or export →
deliver), the chains in a group.

Task ids are chosen here, before sending, so the line's job document names its render task from
the moment it is queued: a cancel can revoke it before it ever starts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from celery import chain, group
from celery.canvas import Signature

from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE, declare_task

CHECK_CAD_TASK = declare_task("automat.orders.tasks.check_cad", queue=STEP_QUEUE)
RENDER_TASK = declare_task("automat.orders.tasks.render_order_line", queue=RENDER_QUEUE)
DELIVER_TASK = declare_task("automat.orders.tasks.deliver_line", queue=STEP_QUEUE)


@dataclass(frozen=True)
class LineDispatch:
    line_id: uuid.UUID
    render_task_id: str


def line_chain(tenant_id: uuid.UUID, line_id: uuid.UUID) -> tuple[Signature, LineDispatch]:
    from automat.worker.celery_app import celery_app

    kwargs = {"tenant_id": str(tenant_id), "line_id": str(line_id)}
    render_id = str(uuid.uuid4())
    steps = chain(
        celery_app.signature(CHECK_CAD_TASK, kwargs=kwargs, immutable=True),
        celery_app.signature(RENDER_TASK, kwargs=kwargs, immutable=True).set(task_id=render_id),
        celery_app.signature(DELIVER_TASK, kwargs=kwargs, immutable=True),
    )
    return steps, LineDispatch(line_id=line_id, render_task_id=render_id)


def order_canvas(tenant_id: uuid.UUID, line_ids: list[uuid.UUID]) -> tuple[Signature, list[LineDispatch]]:
    chains, dispatches = [], []
    for line_id in line_ids:
        steps, dispatch = line_chain(tenant_id, line_id)
        chains.append(steps)
        dispatches.append(dispatch)
    return group(chains), dispatches

"""Order lines run as workflows: each line gets a run of its output type's workflow (the
built-in of its kind unless the output type names another), created by the executor in the
submit's transaction and queued once it commits.

The task names of the line's steps are declared here (``orders/steps.py`` names them as the steps'
handlers). Task ids are chosen by the executor when it creates a run, so the line's job document
names its render task from the moment it is queued: a cancel can revoke it before it starts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.kit.errors import Unprocessable
from automat.models.order import OrderLine
from automat.models.output import OutputType
from automat.models.workflow import Workflow, WorkflowRunNode, WorkflowVersion
from automat.orders.lines import KIND_OF_STEP
from automat.pipeline import executor
from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE, declare_task
from automat.workflows import repository as workflows
from automat.workflows.validation import line_run_problem

CHECK_CAD_TASK = declare_task("automat.orders.tasks.check_cad", queue=STEP_QUEUE)
RENDER_TASK = declare_task("automat.orders.tasks.render_order_line", queue=RENDER_QUEUE)
DELIVER_TASK = declare_task("automat.orders.tasks.deliver_line", queue=STEP_QUEUE)


async def workflow_of(session: AsyncSession, output_type: OutputType) -> tuple[Workflow, WorkflowVersion]:
    """The workflow (newest version) an output type's lines run."""
    workflow_id = output_type.workflow_id
    if workflow_id is None:
        builtin = await workflows.builtin_of_kind(session, output_type.kind)
        workflow_id = builtin.id if builtin is not None else None
    found = await workflows.latest(session, workflow_id) if workflow_id is not None else None
    if found is None:
        raise Unprocessable(
            f"Output type {output_type.name} names no workflow that can run.", code="workflow_missing"
        )
    problem = line_run_problem(found[1].config)
    if problem is not None:  # its workflow got a version order lines cannot run since it was assigned
        raise Unprocessable(
            f"Output type {output_type.name} runs the workflow {found[0].name!r}, which order lines "
            f"cannot run: {problem.text}.",
            code="workflow_not_runnable",
            details={"workflow": found[0].name, "reason": problem.reason, "output_type": output_type.name},
        )
    return found


async def dispatch_lines(
    session: AsyncSession, tenant_id: uuid.UUID, order_lines: Sequence[OrderLine]
) -> dict[uuid.UUID, str]:
    """Start a run per line (sent after commit); each line's render task id (to revoke on cancel)."""
    chosen: dict[uuid.UUID, tuple[Workflow, WorkflowVersion]] = {}
    for line in order_lines:
        if line.output_type_id not in chosen:
            output_type = await session.get(OutputType, line.output_type_id)
            assert output_type is not None
            chosen[line.output_type_id] = await workflow_of(session, output_type)

    def start(sync_session: Session) -> dict[uuid.UUID, str]:
        jobs = [(*chosen[line.output_type_id], line.id) for line in order_lines]
        run_ids = executor.dispatch_many(sync_session, jobs, tenant_id=tenant_id)
        render_task = dict(
            sync_session.execute(
                select(WorkflowRunNode.run_id, WorkflowRunNode.task_id)
                .where(WorkflowRunNode.run_id.in_(run_ids), WorkflowRunNode.step.in_(KIND_OF_STEP))
                .order_by(WorkflowRunNode.run_id, WorkflowRunNode.position.desc())
            ).all()
        )  # the last row per run wins: its first render node
        return {
            line.id: str(render_task.get(run_id, ""))
            for line, run_id in zip(order_lines, run_ids, strict=True)
        }

    return await session.run_sync(start)

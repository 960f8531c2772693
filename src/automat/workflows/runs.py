"""Workflow runs for the API: read a run with its nodes, retry a failed node, and the dry run
(which nodes a workflow would run on a subject, with what, without running them)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core.deps import Actor
from automat.kit.errors import Conflict, NotFound, Unprocessable
from automat.models.cad import CadFile, CadStatus
from automat.models.output import OutputType
from automat.models.product import Product
from automat.models.workflow import Workflow, WorkflowRun, WorkflowRunNode
from automat.pipeline import executor
from automat.pipeline.registry import Subject
from automat.pipeline.steps import ProcessStep
from automat.settings.registry import SETTINGS
from automat.settings.service import effective_value
from automat.workflows import repository
from automat.workflows.catalogue import steps
from automat.workflows.schemas import DryRunNode, DryRunRequest, DryRunResult, RunNodeRead, RunRead

RUNS_PER_SUBJECT = 20


class RunNotRetryable(Conflict):
    code = "run_not_retryable"


@dataclass(frozen=True)
class DryRunContext:
    """What a dry run tries a workflow on."""

    subject: Subject
    product: Product | None
    cad: CadFile | None
    output_type: OutputType | None


Resolution = tuple[dict[str, Any], str, bool]  # (resolved params, what it would do, would it fail)
Resolver = Callable[[AsyncSession, executor.PlannedNode, DryRunContext], Awaitable[Resolution]]
_RESOLVERS: dict[str, Resolver] = {}


def register_resolver(step: str, resolver: Resolver) -> None:
    """How a dry run resolves a step's params, for steps whose domain knows more than this module
    (the render steps: the output type's settings under the node's; ``orders/steps.py``)."""
    _RESOLVERS[step] = resolver


def _node_read(node: WorkflowRunNode) -> RunNodeRead:
    definition = steps().get(node.step, node.step_version)
    read = RunNodeRead.model_validate(node)
    read.label = definition.label if definition is not None else node.step
    if node.started_at and node.finished_at:
        read.duration_s = round((node.finished_at - node.started_at).total_seconds(), 3)
    return read


async def _run_read(session: AsyncSession, run: WorkflowRun) -> RunRead:
    nodes = await session.run_sync(lambda s: executor.run_nodes(s, run.id))
    read = RunRead.model_validate(run)
    read.nodes = [_node_read(n) for n in nodes]
    return read


async def get_run(session: AsyncSession, *, run_id: uuid.UUID) -> RunRead:
    """A run of the session's tenant (global admins: any), with its nodes in config order."""
    run = await session.get(WorkflowRun, run_id)
    if run is None:
        raise NotFound("Workflow run not found.")
    return await _run_read(session, run)


async def runs_of(session: AsyncSession, *, subject_id: uuid.UUID) -> list[RunRead]:
    """The subject's runs, newest first (the last ``RUNS_PER_SUBJECT``)."""
    rows: Sequence[WorkflowRun] = (
        await session.scalars(
            select(WorkflowRun)
            .where(WorkflowRun.subject_id == subject_id)
            .order_by(WorkflowRun.created_at.desc(), WorkflowRun.id.desc())
            .limit(RUNS_PER_SUBJECT)
        )
    ).all()
    return [await _run_read(session, r) for r in rows]


async def retry(session: AsyncSession, *, actor: Actor, run_id: uuid.UUID, node_id: str) -> RunRead:
    """Run a failed node again with its descendants. 409 ``run_not_retryable`` with the reason."""
    run = await session.get(WorkflowRun, run_id)
    if run is None:
        raise NotFound("Workflow run not found.")
    try:
        await session.run_sync(lambda s: executor.retry_node(s, run_id, node_id, by=actor.user_id))
    except executor.RunError as exc:
        raise RunNotRetryable(str(exc)) from None
    await audit.record(
        session, actor=actor, action="workflow_run.retry", tenant_id=run.tenant_id,
        target_type="workflow_run", target_id=run.id,
        detail={"node": node_id, "workflow": run.workflow_name, "version": run.version},
    )  # fmt: skip
    await session.refresh(run)
    return await _run_read(session, run)


# -- dry run ----------------------------------------------------------------------------------


def _levels(nodes: list[executor.PlannedNode]) -> dict[str, int]:
    """Each node's distance from the entry along its longest path (validated configs are DAGs)."""
    level: dict[str, int] = {}
    remaining = list(nodes)
    while remaining:
        progressed = False
        for node in list(remaining):
            if all(p in level for p in node.predecessors):
                level[node.node_id] = 1 + max((level[p] for p in node.predecessors), default=-1)
                remaining.remove(node)
                progressed = True
        if not progressed:  # not a DAG: cannot happen for a stored version
            break
    return level


async def _cad_note(session: AsyncSession, cad: CadFile | None, pim_id: str) -> tuple[str, bool]:
    if cad is None:
        return f"Product {pim_id} has no CAD file: the line would fail here.", True
    if cad.status == CadStatus.FAILED:
        return f"The CAD file {cad.original_name} failed ({cad.error}): the line would fail here.", True
    if cad.status != CadStatus.READY:
        return f"Would wait for {cad.original_name} to finish processing ({cad.status}).", False
    return f"{cad.original_name} is ready.", False


async def dry_run(
    session: AsyncSession, *, actor: Actor, workflow_id: uuid.UUID, data: DryRunRequest
) -> DryRunResult:
    workflow = await session.get(Workflow, workflow_id)
    if workflow is None or (
        workflow.tenant_id is not None and not actor.is_global_admin and workflow.tenant_id != actor.tenant_id
    ):
        raise NotFound("Workflow not found.")
    version = await repository.version(session, workflow.id, data.version or workflow.latest_version)
    if version is None:
        raise NotFound("Workflow version not found.")
    subject = Subject(workflow.subject)
    planned = executor.plan(version.config)
    levels = _levels(planned)
    problems: list[str] = []
    product: Product | None = None
    cad: CadFile | None = None
    output_type: OutputType | None = None
    if subject == Subject.ORDER_LINE:
        if data.product_id is None:
            raise Unprocessable(
                "A dry run of an order line workflow needs a product_id.", code="dry_run_subject"
            )
        product = await session.get(Product, data.product_id)
        if product is None:
            raise NotFound("Product not found.")
        cad = await session.get(CadFile, product.cad_file_id) if product.cad_file_id else None
        if data.output_type_id is not None:
            output_type = await session.get(OutputType, data.output_type_id)
            if output_type is None:
                raise NotFound("Output type not found.")
    elif subject == Subject.CAD_FILE:
        if data.cad_file_id is None:
            raise Unprocessable("A dry run of a CAD workflow needs a cad_file_id.", code="dry_run_subject")
        cad = await session.get(CadFile, data.cad_file_id)
        if cad is None:
            raise NotFound("CAD file not found.")
    else:
        raise Unprocessable(f"Dry runs of {subject} workflows are not supported.", code="dry_run_subject")

    out: list[DryRunNode] = []
    stopped: set[str] = set()
    for node in sorted(planned, key=lambda n: (levels.get(n.node_id, 0), n.position)):
        definition = steps().get(node.step, node.step_version)
        label = definition.label if definition is not None else node.step
        context = DryRunContext(subject=subject, product=product, cad=cad, output_type=output_type)
        resolver = _RESOLVERS.get(node.step, _resolve)
        resolved, note, fails = await resolver(session, node, context)
        if any(p in stopped for p in node.predecessors):
            note, fails = (
                f"Would be skipped: {', '.join(p for p in node.predecessors if p in stopped)} stops.",
                False,
            )
            stopped.add(node.node_id)
        elif fails:
            problems.append(f"{node.node_id}: {note}")
            stopped.add(node.node_id)
        out.append(
            DryRunNode(
                node_id=node.node_id, step=node.step, label=label,
                queue=definition.queue if definition is not None else "",
                level=levels.get(node.node_id, 0), after=list(node.predecessors), params=node.params,
                resolved_params=resolved, note=note, would_fail=fails,
            )
        )  # fmt: skip
    return DryRunResult(
        workflow_id=workflow.id, version=version.version, subject=subject, nodes=out, problems=problems
    )


async def _resolve(session: AsyncSession, node: executor.PlannedNode, context: DryRunContext) -> Resolution:
    """The steps this module knows: the CAD check, the conversion, delivery."""
    product, cad = context.product, context.cad
    if node.step == ProcessStep.CHECK_CAD.value and product is not None:
        note, fails = await _cad_note(session, cad, product.pim_id)
        return {}, note, fails
    if node.step == ProcessStep.OCC_GLB_EXPORT.value and cad is not None:
        tenant_id = cad.tenant_id
        definition = steps().get(node.step, node.step_version)
        overridable = definition.params.model_fields if definition is not None else {}
        resolved: dict[str, Any] = {  # the step's params are overrides of these tenant settings
            key: node.params.get(key) if node.params.get(key) is not None
            else await effective_value(session, tenant_id, key)
            for key in overridable
            if key in SETTINGS
        }  # fmt: skip
        return resolved, f"Would convert {cad.original_name}.", False
    if node.step == ProcessStep.DELIVER.value:
        return {}, "Would publish what its predecessors made as media assets.", False
    return dict(node.params), "Would run.", False

"""/api/workflows: the step registry, workflow definitions and their versions.

Project managers and above read; tenant admins and global admins write; clients get 403.
Built-ins are read-only (409 ``builtin_workflow``): copy one to change it.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize
from automat.models.workflow import Workflow
from automat.workflows import runs, service
from automat.workflows.catalogue import steps
from automat.workflows.schemas import (
    DryRunRequest,
    DryRunResult,
    RunRead,
    StepRead,
    ValidateRequest,
    ValidationResult,
    VersionCreate,
    VersionDiff,
    VersionPage,
    VersionRead,
    VersionSummary,
    WorkflowCopy,
    WorkflowCreate,
    WorkflowDetail,
    WorkflowPage,
    WorkflowRead,
    WorkflowUpdate,
)
from automat.workflows.validation import validate

router = APIRouter(prefix="/api/workflows", tags=["workflows"])

TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to act on")]


async def _detail(session: SessionDep, row: Workflow) -> WorkflowDetail:
    config = await service.latest_config(session, row)
    return WorkflowDetail(**WorkflowRead.model_validate(row).model_dump(), config=config)


@router.get("/steps", response_model=list[StepRead])
async def list_steps(actor: ViewWorkflows) -> list[StepRead]:
    """Every step a workflow node can be, with the JSON Schema of its parameters."""
    return service.step_catalogue()


@router.post("/validate", response_model=ValidationResult)
async def validate_workflow(body: ValidateRequest, actor: ViewWorkflows) -> ValidationResult:
    """Check a workflow without saving it: every problem, each naming its node or edge."""
    problems = validate(body.config, body.subject, steps())
    return ValidationResult(valid=not problems, problems=problems)


@router.get("", response_model=WorkflowPage)
async def list_workflows(
    session: SessionDep,
    actor: ViewWorkflows,
    tenant_id: TenantQuery = None,
    cursor: Annotated[CursorParam, Query()] = None,
    page_size: Annotated[PageSize, Query()] = DEFAULT_PAGE_SIZE,
) -> WorkflowPage:
    """The built-ins and the tenant's workflows, by name."""
    items, next_cursor, total = await service.list_workflows(
        session, actor=actor, tenant_id=tenant_id, cursor=cursor, page_size=page_size
    )
    return WorkflowPage(
        items=[WorkflowRead.model_validate(r) for r in items], next_cursor=next_cursor, total=total
    )


@router.post("", response_model=WorkflowDetail, status_code=status.HTTP_201_CREATED)
async def create_workflow(
    body: WorkflowCreate, session: SessionDep, actor: ManageWorkflows, tenant_id: TenantQuery = None
) -> WorkflowDetail:
    """Version 1 of a new workflow. 422 ``workflow_invalid`` (``details.problems``: every problem,
    each with ``code``, ``message`` and the ``node`` or ``edge`` index it is about); 409
    ``duplicate_workflow``."""
    row = await service.create_workflow(session, actor=actor, tenant_id=tenant_id, data=body)
    return await _detail(session, row)


@router.get("/{workflow_id}", response_model=WorkflowDetail)
async def get_workflow(workflow_id: uuid.UUID, session: SessionDep, actor: ViewWorkflows) -> WorkflowDetail:
    """The workflow with its latest version's config."""
    return await _detail(session, await service.get_workflow(session, actor=actor, workflow_id=workflow_id))


@router.patch("/{workflow_id}", response_model=WorkflowDetail)
async def update_workflow(
    workflow_id: uuid.UUID, body: WorkflowUpdate, session: SessionDep, actor: ManageWorkflows
) -> WorkflowDetail:
    """Rename or describe (not versioned). 409 ``builtin_workflow``, ``duplicate_workflow``."""
    row = await service.update_workflow(session, actor=actor, workflow_id=workflow_id, data=body)
    return await _detail(session, row)


@router.delete("/{workflow_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_workflow(workflow_id: uuid.UUID, session: SessionDep, actor: ManageWorkflows) -> None:
    """The workflow and all its versions. 409 ``builtin_workflow``."""
    await service.delete_workflow(session, actor=actor, workflow_id=workflow_id)


@router.post("/{workflow_id}/copy", response_model=WorkflowDetail, status_code=status.HTTP_201_CREATED)
async def copy_workflow(
    workflow_id: uuid.UUID,
    session: SessionDep,
    actor: ManageWorkflows,
    body: WorkflowCopy | None = None,
    tenant_id: TenantQuery = None,
) -> WorkflowDetail:
    """A copy in the tenant (a built-in, or one of the tenant's own) with the source's latest
    config as version 1. 409 ``duplicate_workflow``."""
    row = await service.copy_workflow(
        session, actor=actor, workflow_id=workflow_id, tenant_id=tenant_id, data=body or WorkflowCopy()
    )
    return await _detail(session, row)


@router.get("/{workflow_id}/versions", response_model=VersionPage)
async def list_versions(
    workflow_id: uuid.UUID,
    session: SessionDep,
    actor: ViewWorkflows,
    cursor: Annotated[CursorParam, Query()] = None,
    page_size: Annotated[PageSize, Query()] = DEFAULT_PAGE_SIZE,
) -> VersionPage:
    """The workflow's versions, newest first."""
    items, next_cursor, total = await service.list_versions(
        session, actor=actor, workflow_id=workflow_id, cursor=cursor, page_size=page_size
    )
    return VersionPage(
        items=[VersionSummary.model_validate(v) for v in items], next_cursor=next_cursor, total=total
    )


@router.post("/{workflow_id}/versions", response_model=VersionRead, status_code=status.HTTP_201_CREATED)
async def save_version(
    workflow_id: uuid.UUID, body: VersionCreate, session: SessionDep, actor: ManageWorkflows
) -> VersionRead:
    """Save the workflow: version N+1 (stored versions never change). 422 ``workflow_invalid``;
    409 ``builtin_workflow``."""
    row = await service.save_version(
        session, actor=actor, workflow_id=workflow_id, config=body.config, note=body.note
    )
    return VersionRead.model_validate(row, from_attributes=True)


@router.get("/{workflow_id}/versions/{version}", response_model=VersionRead)
async def get_version(
    workflow_id: uuid.UUID,
    version: Annotated[int, Path(ge=1, le=1_000_000)],
    session: SessionDep,
    actor: ViewWorkflows,
) -> VersionRead:
    row = await service.get_version(session, actor=actor, workflow_id=workflow_id, number=version)
    return VersionRead.model_validate(row, from_attributes=True)


@router.get("/{workflow_id}/diff", response_model=VersionDiff)
async def diff_versions(
    workflow_id: uuid.UUID,
    session: SessionDep,
    actor: ViewWorkflows,
    from_version: Annotated[int, Query(alias="from", ge=1, le=1_000_000)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=1_000_000)],
) -> VersionDiff:
    """Nodes, edges and parameters added, removed or changed from version ``from`` to ``to``."""
    return await service.diff_versions(
        session, actor=actor, workflow_id=workflow_id, old=from_version, new=to_version
    )


@router.post("/{workflow_id}/dry-run", response_model=DryRunResult)
async def dry_run(
    workflow_id: uuid.UUID, body: DryRunRequest, session: SessionDep, actor: ViewWorkflows
) -> DryRunResult:
    """Which nodes would run on a CAD file (CAD workflows) or a product (order line workflows,
    optionally with an output type), in which order, with which resolved params, and where a real
    run would stop — without running anything. 422 ``dry_run_subject`` when the subject is missing."""
    return await runs.dry_run(session, actor=actor, workflow_id=workflow_id, data=body)


runs_router = APIRouter(prefix="/api/workflow-runs", tags=["workflows"])

ManageWorkflows = Annotated[Actor, require(Permission.MANAGE_WORKFLOWS)]
TriggerRenders = Annotated[Actor, require(Permission.TRIGGER_RENDERS)]
ViewWorkflows = Annotated[Actor, require(Permission.VIEW_WORKFLOWS)]


@runs_router.get("", response_model=list[RunRead])
async def list_runs(
    subject_id: Annotated[uuid.UUID, Query(description="a CAD file, order line or import id")],
    session: SessionDep,
    actor: ViewWorkflows,
) -> list[RunRead]:
    """The subject's workflow runs, newest first, each with its nodes."""
    return await runs.runs_of(session, subject_id=subject_id)


@runs_router.get("/{run_id}", response_model=RunRead)
async def get_run(run_id: uuid.UUID, session: SessionDep, actor: ViewWorkflows) -> RunRead:
    """A run with each node's status, attempts, timings, outputs and error (to resync a live
    view; changes arrive as ``workflow_node`` events on /api/ws)."""
    return await runs.get_run(session, run_id=run_id)


@runs_router.post("/{run_id}/nodes/{node_id}/retry", response_model=RunRead)
async def retry_node(
    run_id: uuid.UUID,
    node_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")],
    session: SessionDep,
    actor: TriggerRenders,
) -> RunRead:
    """Run a failed node again with its descendants (what else completed stays). A failed line of
    a completed order reopens the order (processing; it completes again when the line ends). 409
    ``run_not_retryable`` with the reason (not failed, or its order was rejected or cancelled)."""
    return await runs.retry(session, actor=actor, run_id=run_id, node_id=node_id)

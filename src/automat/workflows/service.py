"""Workflows: list, read, create, save a new version, copy, diff, delete.

Built-ins (no tenant) are read by everyone who may read workflows and changed by no one through
the API: a tenant copies one and changes its copy. Every save is validated against the step
registry first (422 ``workflow_invalid`` with every problem) and adds an immutable version.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core.deps import Actor
from automat.kit.errors import Conflict, NotFound, Unprocessable
from automat.kit.pagination import decode_cursor, page_of
from automat.kit.repository import remove, save_unique
from automat.models.workflow import Workflow, WorkflowVersion
from automat.pipeline.registry import Subject
from automat.workflows import repository
from automat.workflows.catalogue import steps
from automat.workflows.diff import diff
from automat.workflows.schemas import (
    Problem,
    StepRead,
    VersionDiff,
    WorkflowConfig,
    WorkflowCopy,
    WorkflowCreate,
    WorkflowUpdate,
)
from automat.workflows.validation import line_run_problem, pinned, validate

UNIQUE_NAME = "uq_workflows_tenant_id_name"


class WorkflowInvalid(Unprocessable):
    """The workflow has problems; ``details.problems`` lists every one, naming its node or edge."""

    code = "workflow_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(
            f"The workflow has {count} problem{'s' if count != 1 else ''}: {problems[0].message}"
            + (" …" if count > 1 else ""),
            details={"problems": [p.model_dump(exclude_none=True) for p in problems]},
        )


class BuiltinReadOnly(Conflict):
    """Built-in workflows cannot be changed: copy it into your tenant and change the copy."""

    code = "builtin_workflow"


def _duplicate(name: str) -> Conflict:
    return Conflict(f"There is a workflow called {name!r} already.", code="duplicate_workflow")


def step_catalogue() -> list[StepRead]:
    return [
        StepRead(
            name=d.name.value,
            version=d.version,
            label=d.label,
            help=d.help,
            queue=d.queue,
            consumes=sorted(a.value for a in d.consumes),
            produces=sorted(a.value for a in d.produces),
            runs_on=sorted(d.handlers),
            handlers={s.value: t for s, t in d.handlers.items()},
            params_schema=d.params_schema(),
        )
        for d in steps().latest()
    ]


def checked(config: WorkflowConfig, subject: Subject) -> dict[str, Any]:
    """The config as stored (step versions pinned), or 422 with every problem."""
    registry = steps()
    problems = validate(config, subject, registry)
    if problems:
        raise WorkflowInvalid(problems)
    return pinned(config, registry).stored()


def _visible_scope(actor: Actor, tenant_id: uuid.UUID | None) -> uuid.UUID | None:
    """Whose workflows (besides the built-ins) a read sees: the actor's tenant; a global admin's
    choice, or every tenant's."""
    return actor.scope_tenant(tenant_id)


async def list_workflows(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, cursor: str | None, page_size: int
) -> tuple[list[Workflow], str | None, int]:
    after = decode_cursor(cursor, (str, uuid.UUID))
    rows, total = await repository.list_page(
        session,
        tenant_id=_visible_scope(actor, tenant_id),
        after=(str(after[0]), uuid.UUID(str(after[1]))) if after else None,
        limit=page_size + 1,
    )
    items, next_cursor = page_of(rows, page_size, key=lambda r: (r.name, r.id))
    return items, next_cursor, total


async def get_workflow(session: AsyncSession, *, actor: Actor, workflow_id: uuid.UUID) -> Workflow:
    row = await repository.get(session, workflow_id, tenant_id=_visible_scope(actor, None))
    if row is None:
        raise NotFound("Workflow not found.")
    return row


async def _editable(session: AsyncSession, actor: Actor, workflow_id: uuid.UUID) -> Workflow:
    """The tenant's workflow, locked. A built-in is readable but not lockable for a tenant (its
    policy admits it for SELECT only): it is told apart before the lock."""
    if (await get_workflow(session, actor=actor, workflow_id=workflow_id)).builtin:
        raise BuiltinReadOnly()
    row = await repository.get_for_update(session, workflow_id, tenant_id=_visible_scope(actor, None))
    if row is None:  # deleted meanwhile
        raise NotFound("Workflow not found.")
    return row


async def latest_config(session: AsyncSession, workflow: Workflow) -> dict[str, Any]:
    found = await repository.version(session, workflow.id, workflow.latest_version)
    return found.config if found is not None else {}


async def _first_version(
    session: AsyncSession, actor: Actor, workflow: Workflow, config: dict[str, Any], note: str
) -> None:
    await repository.add_version(
        session,
        WorkflowVersion(
            workflow_id=workflow.id,
            tenant_id=workflow.tenant_id,
            version=1,
            config=config,
            note=note,
            created_by=actor.user_id,
        ),
    )


async def create_workflow(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, data: WorkflowCreate
) -> Workflow:
    tid = actor.require_tenant(tenant_id)
    config = checked(data.config, data.subject)
    row = await save_unique(
        session,
        Workflow(
            tenant_id=tid,
            name=data.name,
            description=data.description,
            subject=data.subject.value,
            latest_version=1,
            created_by=actor.user_id,
        ),
        constraint=UNIQUE_NAME,
        conflict=_duplicate(data.name),
    )
    await _first_version(session, actor, row, config, data.note)
    await audit.record(
        session, actor=actor, action="workflow.create", tenant_id=tid, target_type="workflow",
        target_id=row.id, detail={"name": row.name, "version": 1},
    )  # fmt: skip
    return row


async def save_version(
    session: AsyncSession, *, actor: Actor, workflow_id: uuid.UUID, config: WorkflowConfig, note: str
) -> WorkflowVersion:
    """Version N+1 of the workflow (the row is locked, so concurrent saves queue up)."""
    row = await _editable(session, actor, workflow_id)
    stored = checked(config, Subject(row.subject))
    problem = line_run_problem(stored)
    users = await repository.output_types_running(session, workflow_id) if problem else []
    if problem is not None and users:  # the output types would stop being orderable
        raise Unprocessable(
            f"The output type(s) {', '.join(users)} run this workflow, and order lines cannot run this "
            f"version: {problem.text}.",
            code="workflow_not_runnable",
            details={"output_types": users, "workflow": row.name, "reason": problem.reason},
        )
    number = row.latest_version + 1
    version = await repository.add_version(
        session,
        WorkflowVersion(
            workflow_id=row.id,
            tenant_id=row.tenant_id,
            version=number,
            config=stored,
            note=note,
            created_by=actor.user_id,
        ),
    )
    await repository.bump_latest(session, row, number)
    await audit.record(
        session, actor=actor, action="workflow.version", tenant_id=row.tenant_id, target_type="workflow",
        target_id=row.id, detail={"name": row.name, "version": number},
    )  # fmt: skip
    return version


async def update_workflow(
    session: AsyncSession, *, actor: Actor, workflow_id: uuid.UUID, data: WorkflowUpdate
) -> Workflow:
    """Name and description (they are not versioned)."""
    row = await _editable(session, actor, workflow_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for key, value in changes.items():
        setattr(row, key, value)
    row = await save_unique(session, row, constraint=UNIQUE_NAME, conflict=_duplicate(row.name))
    await audit.record(
        session, actor=actor, action="workflow.update", tenant_id=row.tenant_id, target_type="workflow",
        target_id=row.id, detail=changes,
    )  # fmt: skip
    return row


async def delete_workflow(session: AsyncSession, *, actor: Actor, workflow_id: uuid.UUID) -> None:
    row = await _editable(session, actor, workflow_id)
    tenant_id, name = row.tenant_id, row.name
    users = await repository.output_types_running(session, workflow_id)
    if users:
        raise Conflict(
            f"The workflow {name!r} is run by the output type(s) {', '.join(users)}; "
            "give them another workflow first.",
            code="workflow_in_use",
            details={"output_types": users},
        )
    await remove(session, row)
    await audit.record(
        session, actor=actor, action="workflow.delete", tenant_id=tenant_id, target_type="workflow",
        target_id=workflow_id, detail={"name": name},
    )  # fmt: skip


async def copy_workflow(
    session: AsyncSession,
    *,
    actor: Actor,
    workflow_id: uuid.UUID,
    tenant_id: uuid.UUID | None,
    data: WorkflowCopy,
) -> Workflow:
    """A new workflow of the tenant with the source's latest config as its version 1."""
    source = await get_workflow(session, actor=actor, workflow_id=workflow_id)
    tid = actor.require_tenant(tenant_id if tenant_id is not None else source.tenant_id)
    config = checked(
        WorkflowConfig.model_validate(await latest_config(session, source)), Subject(source.subject)
    )
    name = data.name or f"{source.name} (copy)"
    row = await save_unique(
        session,
        Workflow(
            tenant_id=tid,
            name=name,
            description=source.description,
            subject=source.subject,
            output_kind=source.output_kind,
            latest_version=1,
            copied_from=source.id,
            created_by=actor.user_id,
        ),
        constraint=UNIQUE_NAME,
        conflict=_duplicate(name),
    )
    await _first_version(session, actor, row, config, f"copied from {source.name} v{source.latest_version}")
    await audit.record(
        session, actor=actor, action="workflow.copy", tenant_id=tid, target_type="workflow", target_id=row.id,
        detail={"name": name, "from": str(source.id), "from_version": source.latest_version},
    )  # fmt: skip
    return row


async def list_versions(
    session: AsyncSession, *, actor: Actor, workflow_id: uuid.UUID, cursor: str | None, page_size: int
) -> tuple[list[WorkflowVersion], str | None, int]:
    row = await get_workflow(session, actor=actor, workflow_id=workflow_id)
    before = decode_cursor(cursor, (int,))
    rows, total = await repository.versions_page(
        session, row.id, before=int(str(before[0])) if before else None, limit=page_size + 1
    )
    items, next_cursor = page_of(rows, page_size, key=lambda v: (v.version,))
    return items, next_cursor, total


async def get_version(
    session: AsyncSession, *, actor: Actor, workflow_id: uuid.UUID, number: int
) -> WorkflowVersion:
    row = await get_workflow(session, actor=actor, workflow_id=workflow_id)
    found = await repository.version(session, row.id, number)
    if found is None:
        raise NotFound(f"Workflow {row.name!r} has no version {number}.", code="version_not_found")
    return found


async def diff_versions(
    session: AsyncSession, *, actor: Actor, workflow_id: uuid.UUID, old: int, new: int
) -> VersionDiff:
    before = await get_version(session, actor=actor, workflow_id=workflow_id, number=old)
    after = await get_version(session, actor=actor, workflow_id=workflow_id, number=new)
    return diff(before.config, after.config, from_version=old, to_version=new)

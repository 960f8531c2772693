"""Queries for workflows and their versions (tenant-scoped by RLS; built-ins have no tenant)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from automat.models.output import OutputType
from automat.models.workflow import Workflow, WorkflowVersion


def _visible(tenant_id: uuid.UUID | None) -> ColumnElement[bool]:
    """A tenant's own workflows and the built-ins (None: every row RLS shows, for global admins)."""
    if tenant_id is None:
        return and_(True)
    return or_(Workflow.tenant_id == tenant_id, Workflow.tenant_id.is_(None))


async def list_page(
    session: AsyncSession, *, tenant_id: uuid.UUID | None, after: tuple[str, uuid.UUID] | None, limit: int
) -> tuple[Sequence[Workflow], int]:
    """Ordered by (name, id): ``limit`` rows after the key ``after``, and the count of all."""
    stmt = select(Workflow).where(_visible(tenant_id))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    if after is not None:
        stmt = stmt.where(tuple_(Workflow.name, Workflow.id) > tuple_(*after))
    rows = (await session.scalars(stmt.order_by(Workflow.name, Workflow.id).limit(limit))).all()
    return rows, int(total or 0)


async def get(
    session: AsyncSession, workflow_id: uuid.UUID, *, tenant_id: uuid.UUID | None
) -> Workflow | None:
    return await session.scalar(select(Workflow).where(Workflow.id == workflow_id, _visible(tenant_id)))


async def get_for_update(
    session: AsyncSession, workflow_id: uuid.UUID, *, tenant_id: uuid.UUID | None
) -> Workflow | None:
    """The workflow locked, so two saves cannot both become version N+1."""
    stmt = select(Workflow).where(Workflow.id == workflow_id, _visible(tenant_id)).with_for_update()
    return await session.scalar(stmt)


async def version(session: AsyncSession, workflow_id: uuid.UUID, number: int) -> WorkflowVersion | None:
    return await session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow_id, WorkflowVersion.version == number
        )
    )


async def versions_page(
    session: AsyncSession, workflow_id: uuid.UUID, *, before: int | None, limit: int
) -> tuple[Sequence[WorkflowVersion], int]:
    """Newest first: ``limit`` versions older than ``before``, and the count of all."""
    stmt = select(WorkflowVersion).where(WorkflowVersion.workflow_id == workflow_id)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    if before is not None:
        stmt = stmt.where(WorkflowVersion.version < before)
    rows = (await session.scalars(stmt.order_by(WorkflowVersion.version.desc()).limit(limit))).all()
    return rows, int(total or 0)


async def add_version(session: AsyncSession, row: WorkflowVersion) -> WorkflowVersion:
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def bump_latest(session: AsyncSession, workflow: Workflow, number: int) -> None:
    await session.execute(
        update(Workflow)
        .where(Workflow.id == workflow.id)
        .values(latest_version=number, updated_at=func.now())
    )
    await session.refresh(workflow)


CAD_PROCESSING_ID = uuid.UUID("00000000-0000-4000-8000-00000000f001")
"""The built-in "CAD processing" workflow (seeded by migration 0011 with this id)."""
PRODUCT_IMPORT_ID = uuid.UUID("00000000-0000-4000-8000-00000000f007")
"""The built-in "Product import" workflow (seeded by migration 0015 with this id)."""


async def latest(session: AsyncSession, workflow_id: uuid.UUID) -> tuple[Workflow, WorkflowVersion] | None:
    """A workflow visible to the session's tenant with its newest version (what a new run runs)."""
    workflow = await session.get(Workflow, workflow_id)
    if workflow is None:
        return None
    newest = await version(session, workflow.id, workflow.latest_version)
    return (workflow, newest) if newest is not None else None


async def builtin_of_kind(session: AsyncSession, kind: str) -> Workflow | None:
    return await session.scalar(
        select(Workflow).where(Workflow.tenant_id.is_(None), Workflow.output_kind == kind)
    )


async def output_types_running(session: AsyncSession, workflow_id: uuid.UUID) -> list[str]:
    """The names of the output types whose lines run this workflow."""
    rows = await session.scalars(
        select(OutputType.name).where(OutputType.workflow_id == workflow_id).order_by(OutputType.name)
    )
    return list(rows)

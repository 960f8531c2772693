"""Running a built-in workflow on a subject: what an upload (CAD processing) or an Excel import
(product import) starts. The run's first tasks leave once the caller's transaction commits."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from automat.pipeline import executor
from automat.workflows import repository


async def run_builtin(
    session: AsyncSession, workflow_id: uuid.UUID, *, tenant_id: uuid.UUID, subject_id: uuid.UUID
) -> None:
    found = await repository.latest(session, workflow_id)
    if found is None:
        raise RuntimeError(f"the built-in workflow {workflow_id} is missing: run the migrations")
    workflow, version = found
    await session.run_sync(
        lambda sync: executor.dispatch_workflow(
            sync, workflow, version, tenant_id=tenant_id, subject_id=subject_id
        )
    )

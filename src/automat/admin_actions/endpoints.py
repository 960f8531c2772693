"""/api/admin/actions and /api/admin/jobs: maintenance actions of a tenant, run as tracked background
jobs by tenant and global admins (``run_admin_actions``). Global admins name the tenant with
``?tenant_id=``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from automat.admin_actions import service
from automat.admin_actions.actions import ActionName
from automat.admin_actions.schemas import ActionRead, Estimate, JobPage, JobRead, NoParams, ThumbnailParams
from automat.core.deps import Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize

actions_router = APIRouter(prefix="/api/admin/actions", tags=["admin actions"])
jobs_router = APIRouter(prefix="/api/admin/jobs", tags=["admin actions"])

RunAdminActions = Annotated[Actor, require(Permission.RUN_ADMIN_ACTIONS)]
TenantQuery = Annotated[uuid.UUID | None, Query(description="global admins: the tenant to act on")]


@actions_router.get("", response_model=list[ActionRead])
async def list_actions(
    session: SessionDep, actor: RunAdminActions, tenant_id: TenantQuery = None
) -> list[ActionRead]:
    """Every action with its help key, how many items it would touch now and the expected duration
    (the median of the last measured durations of its steps times the items), and its running job."""
    return await service.list_actions(session, actor=actor, tenant_id=tenant_id)


@actions_router.post("/{action}/preview", response_model=Estimate)
async def preview_action(
    action: ActionName,
    body: ThumbnailParams,
    session: SessionDep,
    actor: RunAdminActions,
    tenant_id: TenantQuery = None,
) -> Estimate:
    """What the action would touch with these filters (only the thumbnails take any) and how long it
    would take: what the confirmation shows. Starts nothing."""
    params = body if action == ActionName.REGENERATE_THUMBNAILS else NoParams()
    return await service.preview(session, actor=actor, name=action, params=params, tenant_id=tenant_id)


@actions_router.post("/regenerate-thumbnails", response_model=JobRead, status_code=status.HTTP_202_ACCEPTED)
async def regenerate_thumbnails(
    body: ThumbnailParams, session: SessionDep, actor: RunAdminActions, tenant_id: TenantQuery = None
) -> JobRead:
    """Render the thumbnails of the tenant's ready CAD files again from their GLBs (no conversion),
    with the materials the current aliases give. 409 ``admin_action_running``."""
    return await service.start(
        session, actor=actor, name=ActionName.REGENERATE_THUMBNAILS, params=body, tenant_id=tenant_id
    )


@actions_router.post(
    "/process-unprocessed-cad-files", response_model=JobRead, status_code=status.HTTP_202_ACCEPTED
)
async def process_unprocessed_cad_files(
    session: SessionDep, actor: RunAdminActions, tenant_id: TenantQuery = None, body: NoParams | None = None
) -> JobRead:
    """Queue the processing of CAD files that never got processed (still uploaded, or queued more
    than 30 minutes ago with no step started). 409 ``admin_action_running``."""
    return await service.start(
        session,
        actor=actor,
        name=ActionName.PROCESS_UNPROCESSED_CAD_FILES,
        params=NoParams(),
        tenant_id=tenant_id,
    )


@actions_router.post("/requeue-failed-lines", response_model=JobRead, status_code=status.HTTP_202_ACCEPTED)
async def requeue_failed_lines(
    session: SessionDep, actor: RunAdminActions, tenant_id: TenantQuery = None, body: NoParams | None = None
) -> JobRead:
    """Retry the failed step of every failed order line of the tenant (its order reopens); lines of
    rejected or cancelled orders are counted as failed items. 409 ``admin_action_running``."""
    return await service.start(
        session, actor=actor, name=ActionName.REQUEUE_FAILED_LINES, params=NoParams(), tenant_id=tenant_id
    )


@actions_router.post(
    "/recompute-media-search-columns", response_model=JobRead, status_code=status.HTTP_202_ACCEPTED
)
async def recompute_media_search_columns(
    session: SessionDep, actor: RunAdminActions, tenant_id: TenantQuery = None, body: NoParams | None = None
) -> JobRead:
    """Write the media library's copies of product, order and line fields (what it searches, filters
    and sorts by) again for every asset of the tenant, in batches. 409 ``admin_action_running``."""
    return await service.start(
        session,
        actor=actor,
        name=ActionName.RECOMPUTE_MEDIA_SEARCH_COLUMNS,
        params=NoParams(),
        tenant_id=tenant_id,
    )


@jobs_router.get("", response_model=JobPage)
async def list_jobs(
    session: SessionDep,
    actor: RunAdminActions,
    action: ActionName | None = None,
    tenant_id: TenantQuery = None,
    cursor: CursorParam = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
) -> JobPage:
    """The admin jobs, newest first (global admins: of every tenant unless they name one)."""
    return await service.list_jobs(
        session, actor=actor, tenant_id=tenant_id, action=action, cursor=cursor, page_size=page_size
    )


@jobs_router.get("/{job_id}", response_model=JobRead)
async def get_job(job_id: uuid.UUID, session: SessionDep, actor: RunAdminActions) -> JobRead:
    return JobRead.of(await service.get(session, actor=actor, job_id=job_id))


@jobs_router.post("/{job_id}/cancel", response_model=JobRead)
async def cancel_job(job_id: uuid.UUID, session: SessionDep, actor: RunAdminActions) -> JobRead:
    """Stop the job: a queued one ends now, a running one after its current item, a render in
    progress killed (its Blender process dies). 409 ``admin_job_finished``."""
    return await service.cancel(session, actor=actor, job_id=job_id)

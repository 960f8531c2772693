"""CAD files: upload (deduplicated per tenant), processing dispatch, reading, deletion."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.cad import part_materials, repository
from automat.cad.dispatch import REMATERIAL_THUMBNAIL_TASK
from automat.cad.schemas import AssignMaterial
from automat.core.deps import Actor
from automat.kit.errors import Conflict, NotFound
from automat.kit.repository import save
from automat.kit.storage import LocalStorage, cad_prefix
from automat.kit.transaction import on_commit
from automat.kit.upload import ReceivedUpload, keep_upload
from automat.materials import service as materials
from automat.materials.schemas import AliasCreate
from automat.models.cad import CadFile, CadStatus
from automat.models.user import Role
from automat.pipeline.job_document import JobState, RenderJobDocument
from automat.pipeline.steps import ProcessStep
from automat.worker.dispatch import enqueue_for_tenant
from automat.workflows import repository as workflows
from automat.workflows.dispatch import run_builtin

SOURCE_NAME = "source.step"


def _visible_to(actor: Actor) -> uuid.UUID | None:
    """Clients see only the files they uploaded themselves."""
    return None if actor.at_least(Role.PROJECT_MANAGER) else actor.user_id


async def get(session: AsyncSession, *, actor: Actor, cad_file_id: uuid.UUID) -> CadFile:
    cad = await repository.get(
        session,
        cad_file_id,
        tenant_id=None if actor.is_global_admin else actor.tenant_id,
        uploaded_by=_visible_to(actor),
    )
    if cad is None:
        raise NotFound("CAD file not found.")
    return cad


async def _dispatch_processing(session: AsyncSession, cad: CadFile) -> None:
    """A run of the built-in "CAD processing" workflow on the file (its tasks leave after commit)."""
    await run_builtin(session, workflows.CAD_PROCESSING_ID, tenant_id=cad.tenant_id, subject_id=cad.id)


async def _queue(session: AsyncSession, cad: CadFile, reason: str) -> None:
    """A fresh job document, status processing, and a run of the processing workflow."""
    doc = RenderJobDocument(job_id=f"cad:{cad.id}")
    doc.set_state(JobState.QUEUED, reason=reason)
    cad.job_document = doc.to_json()
    cad.status = CadStatus.PROCESSING
    cad.error = cad.error_code = cad.error_detail = None
    await save(session, cad)
    await _dispatch_processing(session, cad)


async def upload(
    session: AsyncSession,
    *,
    actor: Actor,
    storage: LocalStorage,
    received: ReceivedUpload,
    tenant_id: uuid.UUID,
) -> tuple[CadFile, bool]:
    """Store a new upload and queue its processing; the same content again returns the existing record."""
    existing = await repository.by_sha256(session, tenant_id, received.sha256)
    if existing is not None:
        received.temp_path.unlink(missing_ok=True)
        return existing, False
    cad_id = uuid.uuid4()
    key = keep_upload(session, storage, received, prefix=cad_prefix(tenant_id, cad_id), name=SOURCE_NAME)
    cad = await repository.add(
        session,
        CadFile(
            id=cad_id,
            tenant_id=tenant_id,
            original_name=received.original_name,
            sha256=received.sha256,
            size_bytes=received.size,
            storage_key=key,
            status=CadStatus.UPLOADED,
            uploaded_by=actor.user_id,
        ),
    )
    await _queue(session, cad, "uploaded")
    await audit.record(
        session,
        actor=actor,
        action="cad.upload",
        tenant_id=tenant_id,
        target_type="cad_file",
        target_id=cad.id,
        detail={"name": cad.original_name, "bytes": cad.size_bytes, "sha256": cad.sha256},
    )
    return cad, True


async def reprocess(session: AsyncSession, *, actor: Actor, cad_file_id: uuid.UUID) -> CadFile:
    cad = await get(session, actor=actor, cad_file_id=cad_file_id)
    if cad.status == CadStatus.PROCESSING:
        raise Conflict("This file is being processed already.", code="already_processing")
    await _queue(session, cad, "reprocess")
    await audit.record(
        session,
        actor=actor,
        action="cad.reprocess",
        tenant_id=cad.tenant_id,
        target_type="cad_file",
        target_id=cad.id,
    )
    return cad


def _has_glb(cad: CadFile) -> bool:
    return cad.status == CadStatus.READY and cad.production_glb_key is not None


async def _rematerial(session: AsyncSession, cad: CadFile) -> None:
    """A ready file after an alias changed: its parts' materials resolved again now (the response
    and the page show them at once), its thumbnail pending, and the thumbnail-only task queued,
    which resolves them again and renders from the GLB the file has. Nothing is converted."""
    await session.run_sync(lambda sync: part_materials.assign(sync, cad))
    if cad.job_document:
        doc = RenderJobDocument.from_json(cad.job_document)
        doc.steps = [step for step in doc.steps if step.name != ProcessStep.RENDER_THUMBNAIL]
        cad.job_document = doc.to_json()
    await save(session, cad)
    await enqueue_for_tenant(session, REMATERIAL_THUMBNAIL_TASK, cad.tenant_id, cad_file_id=str(cad.id))


async def _after_alias(session: AsyncSession, cad: CadFile) -> bool:
    """Re-render a ready file's thumbnail with its materials (True), or process a file without a
    GLB (failed, never processed) as a whole (False)."""
    if _has_glb(cad):
        await _rematerial(session, cad)
        return True
    await _queue(session, cad, "material assigned")
    return False


async def assign_material(
    session: AsyncSession, *, actor: Actor, cad_file_id: uuid.UUID, data: AssignMaterial
) -> tuple[uuid.UUID, CadFile, list[uuid.UUID], list[uuid.UUID]]:
    """Save an alias for a part of this file and render the file's thumbnail again, in one
    transaction: a ready file keeps its GLB (only what depends on materials is done again, see
    ``_rematerial``); a file without one is processed as a whole.

    The file must not be processing (409 ``already_processing``: nothing is saved then). Other
    files named in ``also_reprocess`` are done the same way unless they are processing already; ids
    of other tenants or unknown ids are skipped like those (no existence leak). Returns the alias,
    the file, every file queued again and those of them whose thumbnail alone is rendered again.
    """
    cad = await get(session, actor=actor, cad_file_id=cad_file_id)
    if cad.status == CadStatus.PROCESSING:
        raise Conflict("This file is being processed already.", code="already_processing")
    alias = await materials.create_alias(
        session,
        actor=actor,
        data=AliasCreate(
            pattern=data.pattern,
            kind=data.kind,
            material=data.material,
            priority=data.priority,
            tenant_id=cad.tenant_id,
        ),
    )
    queued, thumbnail_only = [cad.id], []
    if await _after_alias(session, cad):
        thumbnail_only.append(cad.id)
    for other_id in dict.fromkeys(data.also_reprocess):
        other = await repository.get(session, other_id, tenant_id=cad.tenant_id, uploaded_by=None)
        if other is None or other.id == cad.id or other.status == CadStatus.PROCESSING:
            continue
        if await _after_alias(session, other):
            thumbnail_only.append(other.id)
        queued.append(other.id)
    await audit.record(
        session,
        actor=actor,
        action="cad.assign_material",
        tenant_id=cad.tenant_id,
        target_type="cad_file",
        target_id=cad.id,
        detail={
            "alias_id": str(alias.id),
            "pattern": alias.pattern,
            "kind": alias.kind,
            "material": alias.material,
            "reprocessed": [str(i) for i in queued],
            "thumbnail_only": [str(i) for i in thumbnail_only],
        },
    )
    return alias.id, cad, queued, thumbnail_only


async def delete(
    session: AsyncSession, *, actor: Actor, storage: LocalStorage, cad_file_id: uuid.UUID
) -> None:
    cad = await get(session, actor=actor, cad_file_id=cad_file_id)
    prefix = cad_prefix(cad.tenant_id, cad.id)
    await audit.record(
        session,
        actor=actor,
        action="cad.delete",
        tenant_id=cad.tenant_id,
        target_type="cad_file",
        target_id=cad.id,
        detail={"name": cad.original_name},
    )
    await repository.delete_file(session, cad)
    on_commit(session, lambda: storage.delete_prefix(prefix))

"""Render templates: a tenant's ``.blend`` scene, uploaded by tenant admins and checked by opening
it in a render host (``output_types/tasks.py``) before output types render with it.

The upload is streamed with the size cap and sniffed by content (415 ``not_blend``), kept under
``tenants/<tenant>/templates/<id>/template.blend`` and queued for validation after the commit;
the row moves ``validating`` → ``ready`` | ``invalid`` (with a readable error).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core.deps import Actor
from automat.kit.errors import AutomatError, Conflict, NotFound, Unprocessable
from automat.kit.repository import save_unique
from automat.kit.storage import LocalStorage
from automat.kit.transaction import on_commit
from automat.kit.upload import ReceivedUpload, keep_upload
from automat.models.output import RenderTemplate, TemplateStatus
from automat.output_types import repository
from automat.output_types.schemas import TemplateUpdate
from automat.worker.dispatch import enqueue_after_commit
from automat.worker.queues import RENDER_QUEUE, declare_task

VALIDATE_TASK = declare_task("automat.output_types.tasks.validate_render_template", queue=RENDER_QUEUE)
TEMPLATE_FILE = "template.blend"
MAX_NAME = 200

# A .blend starts with "BLENDER"; Blender also writes it gzip- (older) or zstd-compressed (3.0+).
BLEND_MAGIC = b"BLENDER"
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"

NO_CAMERA_NOR_ANCHOR = "template has neither a camera nor an AUTOMAT_MODEL anchor"


class NotBlend(AutomatError):
    """The upload is not a .blend file."""

    status_code = 415
    code = "not_blend"


def sniff_blend(head: bytes, size: int) -> AutomatError | None:
    if size == 0:
        return NotBlend("The file is empty.")
    if head.startswith((BLEND_MAGIC, GZIP_MAGIC, ZSTD_MAGIC)):
        return None
    return NotBlend("The file is not a Blender .blend file (it does not start with 'BLENDER').")


def template_prefix(tenant_id: uuid.UUID, template_id: uuid.UUID) -> str:
    return f"tenants/{tenant_id}/templates/{template_id}"


def verdict(report: dict[str, Any]) -> tuple[TemplateStatus, str | None]:
    """Ready or invalid (with the reason) from the render host's inspection report."""
    if report.get("host_error"):
        return TemplateStatus.INVALID, f"could not be validated, upload it again: {report['host_error']}"
    if report.get("status") != "completed":
        return TemplateStatus.INVALID, f"not a readable .blend file: {report.get('error') or 'unknown error'}"
    if not report.get("cameras") and not report.get("has_anchor"):
        return TemplateStatus.INVALID, NO_CAMERA_NOR_ANCHOR
    return TemplateStatus.READY, None


def _name(received: ReceivedUpload) -> str:
    name = (received.fields.get("name") or "").strip() or PurePath(received.original_name).stem.strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise Unprocessable(
            f"A template name is 1 to {MAX_NAME} printable characters.", code="invalid_template_name"
        )
    return name


def _duplicate(name: str) -> Conflict:
    return Conflict(f"This tenant has a render template called {name!r} already.", code="duplicate_template")


async def upload(
    session: AsyncSession,
    *,
    actor: Actor,
    storage: LocalStorage,
    received: ReceivedUpload,
    tenant_id: uuid.UUID,
) -> RenderTemplate:
    """Keep the upload as a ``validating`` template and queue its validation after the commit."""
    try:
        name = _name(received)
        if await repository.template_name_taken(session, tenant_id, name):
            raise _duplicate(name)
    except BaseException:
        received.temp_path.unlink(missing_ok=True)
        raise
    template_id = uuid.uuid4()
    key = keep_upload(
        session, storage, received, prefix=template_prefix(tenant_id, template_id), name=TEMPLATE_FILE
    )
    row = await save_unique(
        session,
        RenderTemplate(
            id=template_id,
            tenant_id=tenant_id,
            name=name,
            original_name=received.original_name,
            storage_key=key,
            sha256=received.sha256,
            size_bytes=received.size,
            status=TemplateStatus.VALIDATING,
            inspection={},
            uploaded_by=actor.user_id,
        ),
        constraint="uq_render_templates_tenant_name",
        conflict=_duplicate(name),
    )
    await audit.record(
        session, actor=actor, action="render_template.upload", tenant_id=tenant_id,
        target_type="render_template", target_id=row.id,
        detail={"name": name, "file": received.original_name, "bytes": received.size},
    )  # fmt: skip
    enqueue_after_commit(session, VALIDATE_TASK, tenant_id=str(tenant_id), template_id=str(template_id))
    return row


async def list_templates(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, status: TemplateStatus | None
) -> list[RenderTemplate]:
    return await repository.list_templates(
        session, tenant_id=actor.scope_tenant(tenant_id), status=status.value if status else None
    )


async def get(session: AsyncSession, *, actor: Actor, template_id: uuid.UUID) -> RenderTemplate:
    row = await repository.get_template(session, template_id, tenant_id=actor.scope_tenant(None))
    if row is None:
        raise NotFound("Render template not found.")
    return row


async def update(
    session: AsyncSession, *, actor: Actor, template_id: uuid.UUID, data: TemplateUpdate
) -> RenderTemplate:
    """Rename a template or (de)activate it; 409 ``duplicate_template`` for a taken name."""
    row = await get(session, actor=actor, template_id=template_id)
    before = {"name": row.name, "is_active": row.is_active}
    if data.name is not None and data.name != row.name:
        if not data.name.isprintable():
            raise Unprocessable(
                f"A template name is 1 to {MAX_NAME} printable characters.", code="invalid_template_name"
            )
        if await repository.template_name_taken(session, row.tenant_id, data.name):
            raise _duplicate(data.name)
        row.name = data.name
    if data.is_active is not None:
        row.is_active = data.is_active
    row = await save_unique(
        session, row, constraint="uq_render_templates_tenant_name", conflict=_duplicate(row.name)
    )
    after = {"name": row.name, "is_active": row.is_active}
    if after != before:
        await audit.record(
            session, actor=actor, action="render_template.update", tenant_id=row.tenant_id,
            target_type="render_template", target_id=row.id, detail={"before": before, "after": after},
        )  # fmt: skip
    return row


def _in_use(row: RenderTemplate, users: list[str]) -> Conflict:
    return Conflict(
        f"The render template {row.name!r} is linked to the output types {', '.join(users)}; "
        "unlink it there first.",
        code="template_in_use",
        details={"output_types": users},
    )


async def delete(
    session: AsyncSession, *, actor: Actor, storage: LocalStorage, template_id: uuid.UUID
) -> None:
    """Delete a template no output type links (409 ``template_in_use``); its file goes after the commit."""
    row = await get(session, actor=actor, template_id=template_id)
    users = await repository.output_type_names_using_template(session, row.id)
    if users:
        raise _in_use(row, users)
    await audit.record(
        session, actor=actor, action="render_template.delete", tenant_id=row.tenant_id,
        target_type="render_template", target_id=row.id, detail={"name": row.name},
    )  # fmt: skip
    prefix = template_prefix(row.tenant_id, row.id)
    try:
        await repository.delete_template(session, row)
    except repository.RowInUse:
        raise _in_use(row, await repository.output_type_names_using_template(session, row.id)) from None
    on_commit(session, lambda: storage.delete_prefix(prefix))

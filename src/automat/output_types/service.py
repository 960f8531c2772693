"""Output types and camera positions: tenant admins manage them, every user of the tenant reads
them (clients pick output types when they order).

An output type's ``render_settings`` are checked against ``RenderSettings`` and its kind, the
tenant's allowed engines and the positions the tenant knows, so what was accepted is what renders.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core.deps import Actor
from automat.kit.errors import Conflict, NotFound, Unprocessable
from automat.kit.repository import save_unique
from automat.models.output import OutputKind, OutputType, Position, TemplateStatus
from automat.models.workflow import Workflow
from automat.output_types import repository
from automat.output_types.schemas import (
    OutputTypeCreate,
    OutputTypeUpdate,
    PositionCreate,
    PositionRead,
    PositionUpdate,
)
from automat.output_types.settings import PRESET_POSITIONS, RenderSettings
from automat.rendering.spec import PRESET_ANGLES
from automat.workflows import repository as workflows
from automat.workflows.validation import NO_VERSION, line_run_problem

# Exports that render nothing: the engine does not matter for them.
ENGINE_FREE_KINDS = frozenset({OutputKind.GLB})


async def _tenant(
    session: AsyncSession, actor: Actor, requested: uuid.UUID | None
) -> tuple[uuid.UUID, dict[str, Any]]:
    """The tenant an operation applies to and its config; unknown or foreign tenants are 404."""
    tenant_id = actor.require_tenant(requested)
    config = await repository.tenant_config(session, tenant_id)
    if config is None:
        raise NotFound("Tenant not found.")
    return tenant_id, config


# -- render settings ------------------------------------------------------------------------------


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ())) or "render_settings"
        parts.append(f"{where}: {error.get('msg')}")
    return "Invalid render settings: " + "; ".join(parts) + "."


async def canonical_position(session: AsyncSession, tenant_id: uuid.UUID, name: str) -> str:
    """A preset (any letter case) or the exact name of one of the tenant's positions, else 422."""
    if name.strip().lower() in PRESET_POSITIONS:
        return name.strip().lower()
    own = await repository.find_position_ci(session, tenant_id, name.strip())
    if own is None:
        raise Unprocessable(
            f"There is no camera position called {name!r}: use a preset ({', '.join(PRESET_POSITIONS)}) "
            "or one of this tenant's positions (GET /api/positions).",
            code="unknown_position",
        )
    return own.name


async def checked_settings(
    session: AsyncSession, tenant_id: uuid.UUID, config: dict[str, Any], kind: OutputKind, raw: dict[str, Any]
) -> dict[str, Any]:
    """``raw`` validated for ``kind`` and this tenant, with defaults and the format filled in."""
    try:
        settings = RenderSettings.model_validate(raw).for_kind(kind)
    except ValidationError as exc:
        details = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in exc.errors()]
        raise Unprocessable(_describe(exc), code="invalid_render_settings", details=details) from None
    except ValueError as exc:  # the format does not suit the kind
        raise Unprocessable(f"Invalid render settings: {exc}.", code="invalid_render_settings") from None
    allowed = list(config.get("render_engines_allowed") or ["cycles"])
    if kind not in ENGINE_FREE_KINDS and settings.engine not in allowed:
        raise Unprocessable(
            f"The render engine {settings.engine!r} is not allowed for this tenant "
            f"(allowed: {', '.join(allowed)}).",
            code="engine_not_allowed",
            details={"allowed": allowed},
        )
    settings.position = await canonical_position(session, tenant_id, settings.position)
    return settings.model_dump()


async def _check_template(session: AsyncSession, tenant_id: uuid.UUID, template_id: uuid.UUID | None) -> None:
    if template_id is None:
        return
    template = await repository.get_template(session, template_id, tenant_id=tenant_id)
    if template is None:
        raise Unprocessable("There is no such render template in this tenant.", code="unknown_template")
    if not template.is_active:
        raise Unprocessable(
            f"The render template {template.name!r} is deactivated; activate it on the templates page first.",
            code="template_inactive",
        )
    if template.status == TemplateStatus.INVALID:
        raise Unprocessable(
            f"The render template {template.name!r} is invalid ({template.error}); upload a fixed one.",
            code="template_invalid",
        )


async def _check_workflow(session: AsyncSession, tenant_id: uuid.UUID, workflow_id: uuid.UUID | None) -> None:
    """An output type runs an order line workflow of its tenant or a built-in."""
    if workflow_id is None:
        return
    workflow = await session.get(Workflow, workflow_id)
    if workflow is None or workflow.tenant_id not in (None, tenant_id):
        raise Unprocessable("There is no such workflow in this tenant.", code="unknown_workflow")
    if workflow.subject != "order_line":
        raise Unprocessable(
            f"The workflow {workflow.name!r} runs on a {workflow.subject}, not on order lines.",
            code="workflow_subject",
        )
    latest = await workflows.version(session, workflow.id, workflow.latest_version)
    problem = line_run_problem(latest.config) if latest is not None else NO_VERSION
    if problem is not None:
        raise Unprocessable(
            f"Order lines cannot run the workflow {workflow.name!r}: {problem.text}.",
            code="workflow_not_runnable",
            details={"workflow": workflow.name, "reason": problem.reason},
        )


# -- output types ---------------------------------------------------------------------------------


async def list_output_types(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    kind: OutputKind | None,
    include_inactive: bool,
) -> list[OutputType]:
    """The tenant's output types by name; inactive ones only when asked for."""
    return await repository.list_output_types(
        session,
        tenant_id=actor.scope_tenant(tenant_id),
        kind=kind.value if kind else None,
        include_inactive=include_inactive,
    )


async def get_output_type(session: AsyncSession, *, actor: Actor, output_type_id: uuid.UUID) -> OutputType:
    row = await repository.get_output_type(session, output_type_id, tenant_id=actor.scope_tenant(None))
    if row is None:
        raise NotFound("Output type not found.")
    return row


async def _save(session: AsyncSession, row: OutputType) -> OutputType:
    return await save_unique(
        session,
        row,
        constraint="uq_output_types_tenant_name",
        conflict=Conflict(
            f"This tenant has an output type called {row.name!r} already.", code="duplicate_output_type"
        ),
    )


def _detail(row: OutputType) -> dict[str, Any]:
    return {"name": row.name, "kind": row.kind, "price": str(row.price), "is_active": row.is_active}


async def create_output_type(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, data: OutputTypeCreate
) -> OutputType:
    tid, config = await _tenant(session, actor, tenant_id)
    settings = await checked_settings(session, tid, config, data.kind, data.render_settings)
    await _check_template(session, tid, data.template_id)
    await _check_workflow(session, tid, data.workflow_id)
    row = await _save(
        session,
        OutputType(
            tenant_id=tid,
            name=data.name,
            kind=data.kind.value,
            render_settings=settings,
            price=data.price,
            template_id=data.template_id,
            workflow_id=data.workflow_id,
            is_active=data.is_active,
        ),
    )
    await audit.record(
        session, actor=actor, action="output_type.create", tenant_id=tid, target_type="output_type",
        target_id=row.id, detail=_detail(row),
    )  # fmt: skip
    return row


async def update_output_type(
    session: AsyncSession, *, actor: Actor, output_type_id: uuid.UUID, data: OutputTypeUpdate
) -> OutputType:
    """Change the fields given. ``render_settings`` merge into the stored ones; a new kind without a
    new format takes the kind's default format. ``template_id: null`` unlinks the template."""
    row = await get_output_type(session, actor=actor, output_type_id=output_type_id)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    for required in ("name", "kind", "render_settings", "price", "is_active"):
        if required in changes and changes[required] is None:
            raise Unprocessable(f"{required} cannot be null.", code="validation_error")
    kind = OutputKind(changes.get("kind") or row.kind)
    if "render_settings" in changes or kind != row.kind:
        patch = dict(changes.get("render_settings") or {})
        merged = {**row.render_settings, **patch}
        if kind != row.kind and "format" not in patch:
            merged.pop("format", None)
        config = await repository.tenant_config(session, row.tenant_id) or {}
        row.render_settings = await checked_settings(session, row.tenant_id, config, kind, merged)
    if "template_id" in changes and changes["template_id"] != row.template_id:
        await _check_template(session, row.tenant_id, changes["template_id"])
        row.template_id = changes["template_id"]
    if "workflow_id" in changes and changes["workflow_id"] != row.workflow_id:
        await _check_workflow(session, row.tenant_id, changes["workflow_id"])
        row.workflow_id = changes["workflow_id"]
    row.kind = kind.value
    for field in ("name", "price", "is_active"):
        if field in changes:
            setattr(row, field, changes[field])
    row = await _save(session, row)
    await audit.record(
        session, actor=actor, action="output_type.update", tenant_id=row.tenant_id, target_type="output_type",
        target_id=row.id, detail={**_detail(row), "fields": sorted(changes)},
    )  # fmt: skip
    return row


def _in_use(row: OutputType, lines: int) -> Conflict:
    return Conflict(
        f"The output type {row.name!r} is used by {lines} order line(s) and cannot be deleted; "
        "deactivate it instead (PATCH is_active=false).",
        code="output_type_in_use",
        details={"order_lines": lines},
    )


async def delete_output_type(session: AsyncSession, *, actor: Actor, output_type_id: uuid.UUID) -> None:
    """Delete an output type no order line uses (409 ``output_type_in_use`` otherwise)."""
    row = await get_output_type(session, actor=actor, output_type_id=output_type_id)
    lines = await repository.count_order_lines_using(session, row.id)
    if lines:
        raise _in_use(row, lines)
    await audit.record(
        session, actor=actor, action="output_type.delete", tenant_id=row.tenant_id, target_type="output_type",
        target_id=row.id, detail=_detail(row),
    )  # fmt: skip
    try:
        await repository.delete_output_type(session, row)
    except repository.RowInUse:
        raise _in_use(row, await repository.count_order_lines_using(session, row.id)) from None


# -- positions ------------------------------------------------------------------------------------


def normalise_azimuth(value: float) -> float:
    """Any angle in degrees as the same direction in [0, 360)."""
    turned = value % 360.0
    return 0.0 if turned >= 360.0 or turned == 0.0 else turned  # -1e-20 % 360 rounds to 360.0


def _preset_reads() -> list[PositionRead]:
    return [
        PositionRead(name=preset.value, builtin=True, azimuth_deg=az, elevation_deg=el)
        for preset, (az, el) in PRESET_ANGLES.items()
    ]


def _position_read(row: Position) -> PositionRead:
    return PositionRead(
        name=row.name,
        builtin=False,
        azimuth_deg=row.azimuth_deg,
        elevation_deg=row.elevation_deg,
        id=row.id,
        tenant_id=row.tenant_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def list_positions(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None
) -> list[PositionRead]:
    """The built-in presets, then the tenant's own positions (global admins without a tenant: presets)."""
    scope = actor.scope_tenant(tenant_id)
    out = _preset_reads()
    if scope is not None:
        scope, _ = await _tenant(session, actor, scope)
        out += [_position_read(p) for p in await repository.list_positions(session, scope)]
    return out


async def _own_position(session: AsyncSession, actor: Actor, position_id: uuid.UUID) -> Position:
    row = await repository.get_position(session, position_id, tenant_id=actor.scope_tenant(None))
    if row is None:
        raise NotFound("Position not found.")
    return row


async def get_position(session: AsyncSession, *, actor: Actor, position_id: uuid.UUID) -> PositionRead:
    return _position_read(await _own_position(session, actor, position_id))


async def _check_name_free(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, *, own_id: uuid.UUID | None
) -> None:
    if name.lower() in PRESET_POSITIONS:
        raise Unprocessable(
            f"{name!r} is the name of a built-in position; choose another name.", code="preset_position"
        )
    existing = await repository.find_position_ci(session, tenant_id, name)
    if existing is not None and existing.id != own_id:
        raise Conflict(
            f"This tenant has a position called {existing.name!r} already.", code="duplicate_position"
        )


async def _save_position(session: AsyncSession, row: Position) -> Position:
    return await save_unique(
        session,
        row,
        constraint="uq_positions_tenant_name",
        conflict=Conflict("This tenant has a position with this name already.", code="duplicate_position"),
    )


def _position_detail(row: Position) -> dict[str, Any]:
    return {"name": row.name, "azimuth_deg": row.azimuth_deg, "elevation_deg": row.elevation_deg}


async def create_position(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, data: PositionCreate
) -> PositionRead:
    tid, _ = await _tenant(session, actor, tenant_id)
    await _check_name_free(session, tid, data.name, own_id=None)
    row = await _save_position(
        session,
        Position(
            tenant_id=tid,
            name=data.name,
            azimuth_deg=normalise_azimuth(data.azimuth_deg),
            elevation_deg=data.elevation_deg,
        ),
    )
    await audit.record(
        session, actor=actor, action="position.create", tenant_id=tid, target_type="position",
        target_id=row.id, detail=_position_detail(row),
    )  # fmt: skip
    return _position_read(row)


async def update_position(
    session: AsyncSession, *, actor: Actor, position_id: uuid.UUID, data: PositionUpdate
) -> PositionRead:
    """Change a position; a new name is carried over to the output types that use it."""
    row = await _own_position(session, actor, position_id)
    before = _position_detail(row)
    renamed = 0
    if data.name is not None and data.name != row.name:
        await _check_name_free(session, row.tenant_id, data.name, own_id=row.id)
        for output_type in await repository.output_types_using_position(session, row.tenant_id, row.name):
            output_type.render_settings = {**output_type.render_settings, "position": data.name}
            renamed += 1
        row.name = data.name
    if data.azimuth_deg is not None:
        row.azimuth_deg = normalise_azimuth(data.azimuth_deg)
    if data.elevation_deg is not None:
        row.elevation_deg = data.elevation_deg
    row = await _save_position(session, row)
    await audit.record(
        session, actor=actor, action="position.update", tenant_id=row.tenant_id, target_type="position",
        target_id=row.id, detail={"before": before, "after": _position_detail(row), "output_types": renamed},
    )  # fmt: skip
    return _position_read(row)


async def delete_position(session: AsyncSession, *, actor: Actor, position_id: uuid.UUID) -> None:
    """Delete a position no output type uses (409 ``position_in_use`` otherwise)."""
    row = await _own_position(session, actor, position_id)
    users = [o.name for o in await repository.output_types_using_position(session, row.tenant_id, row.name)]
    if users:
        raise Conflict(
            f"The position {row.name!r} is used by the output types {', '.join(users)}; change them first.",
            code="position_in_use",
            details={"output_types": users},
        )
    await audit.record(
        session, actor=actor, action="position.delete", tenant_id=row.tenant_id, target_type="position",
        target_id=row.id, detail=_position_detail(row),
    )  # fmt: skip
    await repository.delete_position(session, row)

"""What an order line renders with, for the workers (sync sessions, tenant-scoped by RLS):
the camera of a position name, the file of a render template, an output type's settings."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from automat.core.storage import default_storage
from automat.kit.storage import LocalStorage
from automat.models.output import OutputKind, OutputType, TemplateStatus
from automat.output_types import repository
from automat.output_types.settings import PRESET_POSITIONS, RenderSettings
from automat.rendering.spec import CameraPreset, CameraSpec


class UnknownPosition(ValueError):
    """A position name that is neither a preset nor one of the tenant's positions."""


class TemplateNotReady(ValueError):
    """A render template that is missing, still validating, invalid, or whose file is gone."""


def camera_for(session: Session, tenant_id: uuid.UUID, position: str) -> CameraSpec:
    """The camera for a preset (``iso``, ``front``, ...) or a tenant position (its angles)."""
    if position.lower() in PRESET_POSITIONS:
        return CameraSpec(position=CameraPreset(position.lower()))
    row = repository.position_sync(session, tenant_id, position)
    if row is None:
        raise UnknownPosition(
            f"there is no camera position {position!r} in this tenant "
            f"(presets: {', '.join(PRESET_POSITIONS)})"
        )
    return CameraSpec(position=None, azimuth_deg=row.azimuth_deg, elevation_deg=row.elevation_deg)


def template_path_for(
    session: Session,
    tenant_id: uuid.UUID,
    template_id: uuid.UUID | None,
    *,
    storage: LocalStorage | None = None,
) -> Path | None:
    """The ``.blend`` of a ready template (None when the output type links none)."""
    if template_id is None:
        return None
    row = repository.template_sync(session, template_id, tenant_id)
    if row is None:
        raise TemplateNotReady(f"render template {template_id} does not exist (deleted?)")
    if row.status != TemplateStatus.READY:
        why = f": {row.error}" if row.error else ""
        raise TemplateNotReady(f"render template {row.name!r} is {row.status}, not ready{why}")
    path = (storage or default_storage()).path(row.storage_key)
    if not path.is_file():
        raise TemplateNotReady(f"the file of render template {row.name!r} is missing from storage")
    return path


def settings_for(
    output_type: OutputType, overrides: Mapping[str, Any] | None = None, *, kind: OutputKind | None = None
) -> RenderSettings:
    """An output type's stored ``render_settings`` as the checked schema, format filled in; a
    workflow node's ``overrides`` (its params; None values keep the output type's) replace single
    settings first. ``kind``: what the node makes, where it is not the output type's kind (a GLB
    export beside a still): the output type's file format does not apply to it."""
    own = OutputKind(output_type.kind)
    kind = kind or own
    stored = dict(output_type.render_settings or {})
    if kind is not own:
        stored.pop("format", None)
    stored.update({key: value for key, value in (overrides or {}).items() if value is not None})
    return RenderSettings.model_validate(stored).for_kind(kind)

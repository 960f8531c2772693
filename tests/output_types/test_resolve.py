"""automat.output_types.resolve: what the order renderer asks (sync sessions, tenant-scoped)."""

from __future__ import annotations

import uuid

import pytest

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.models.output import OutputKind, OutputType, Position, TemplateStatus
from automat.output_types.resolve import (
    TemplateNotReady,
    UnknownPosition,
    camera_for,
    settings_for,
    template_path_for,
)
from automat.rendering.spec import CameraPreset
from tests.output_types.conftest import make_template_row
from tests.support.factories import MadeTenant, make_output_type


def test_camera_for_presets_and_tenant_positions(
    app_db: SyncDatabase, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    with app_db.session(tenant.id) as session:
        session.add(Position(tenant_id=tenant.id, name="Hero", azimuth_deg=300.0, elevation_deg=-20.0))
    with app_db.session(tenant.id) as session:
        assert camera_for(session, tenant.id, "front").position is CameraPreset.FRONT
        hero = camera_for(session, tenant.id, "Hero")
        assert hero.position is None
        assert hero.angles() == (300.0, -20.0)
        with pytest.raises(UnknownPosition, match="nadir"):
            camera_for(session, tenant.id, "nadir")
    with app_db.session(other_tenant.id) as session, pytest.raises(UnknownPosition):
        camera_for(session, other_tenant.id, "Hero")


def test_template_path_for(app_db: SyncDatabase, tenant: MadeTenant, other_tenant: MadeTenant) -> None:
    ready = make_template_row(app_db, tenant=tenant)
    validating = make_template_row(app_db, tenant=tenant, status=TemplateStatus.VALIDATING)
    invalid = make_template_row(app_db, tenant=tenant, status=TemplateStatus.INVALID, error="no camera")
    with app_db.session(tenant.id) as session:
        assert template_path_for(session, tenant.id, None) is None
        path = template_path_for(session, tenant.id, ready)
        assert path is not None and path.is_file()
        with pytest.raises(TemplateNotReady, match="validating"):
            template_path_for(session, tenant.id, validating)
        with pytest.raises(TemplateNotReady, match="no camera"):
            template_path_for(session, tenant.id, invalid)
        with pytest.raises(TemplateNotReady, match="does not exist"):
            template_path_for(session, tenant.id, uuid.uuid4())
        path.unlink()
        with pytest.raises(TemplateNotReady, match="missing"):
            template_path_for(session, tenant.id, ready, storage=default_storage())
    with app_db.session(other_tenant.id) as session, pytest.raises(TemplateNotReady):
        template_path_for(session, other_tenant.id, validating)


def test_settings_for(app_db: SyncDatabase, tenant: MadeTenant) -> None:
    type_id = make_output_type(app_db, tenant=tenant, kind=OutputKind.TURNTABLE, frames=8)
    with app_db.session(tenant.id) as session:
        row = session.get(OutputType, type_id)
        assert row is not None
        settings = settings_for(row)
    assert (settings.format, settings.frames, settings.width) == ("mp4", 8, 64)

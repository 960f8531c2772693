"""publish_file_sync: probing real files, idempotency per (line, role), rollback and races."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.media.service import publish_file_sync
from automat.models.user import Role
from tests.media.conftest import make_line, publish, write_mp4, write_png
from tests.support.factories import MadeTenant
from tests.support.fixtures import UserFactory


def media_files(tenant: MadeTenant) -> list[Path]:
    root = default_storage().path(f"tenants/{tenant.id}/media")
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def asset_count(admin_engine: Engine, line_id: object) -> int:
    with admin_engine.connect() as conn:
        sql = text("SELECT count(*) FROM media_assets WHERE order_line_id = :l")
        return int(conn.execute(sql, {"l": line_id}).scalar_one())


def test_png_is_probed_stored_and_published_once(
    app_db: SyncDatabase, tenant: MadeTenant, user_factory: UserFactory, admin_engine: Engine, tmp_path: Path
) -> None:
    line = make_line(app_db, tenant=tenant, created_by=user_factory(tenant, Role.CLIENT).id)
    source = write_png(tmp_path / "still.png")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    size = source.stat().st_size

    asset = publish(app_db, tenant, line, source, file_name='../Bild "ä".png', details={"engine": "cycles"})
    assert (asset.kind, asset.role, asset.content_type) == ("still", "main", "image/png")
    assert (asset.width, asset.height, asset.duration_s, asset.frames) == (64, 48, None, None)
    assert (asset.checksum, asset.file_size) == (digest, size)
    assert asset.file_name == 'Bild "ä".png'
    assert asset.details == {"engine": "cycles", "format": "png"}
    assert asset.storage_key == f"tenants/{tenant.id}/media/{asset.id}/Bild_a_.png"
    assert default_storage().path(asset.storage_key).read_bytes()[:4] == b"\x89PNG"
    assert not source.exists()  # moved, not copied

    # A redelivered task publishes again: the same asset, the new file left alone.
    again_source = write_png(tmp_path / "again.png", size=(8, 8))
    again = publish(app_db, tenant, line, again_source)
    assert again.id == asset.id
    assert again_source.exists()
    assert asset_count(admin_engine, line.line_id) == 1
    assert media_files(tenant) == [default_storage().path(asset.storage_key)]

    # Another role of the same line is another asset.
    poster = publish(app_db, tenant, line, write_png(tmp_path / "poster.png"), role="poster")
    assert poster.id != asset.id
    assert asset_count(admin_engine, line.line_id) == 2


def test_mp4_and_exports_are_probed(app_db: SyncDatabase, tenant: MadeTenant, tmp_path: Path) -> None:
    line = make_line(app_db, tenant=tenant, created_by=None)
    video = publish(
        app_db, tenant, line, write_mp4(tmp_path / "turntable.mp4", frames=6, fps=12), kind="turntable"
    )
    assert (video.content_type, video.width, video.height, video.frames) == ("video/mp4", 32, 24, 6)
    assert video.duration_s == pytest.approx(0.5, abs=0.1)

    glb = tmp_path / "model.glb"
    glb.write_bytes(b"glTF\x02\x00\x00\x00" + b"\x00" * 16)
    exported = publish(app_db, tenant, line, glb, kind="glb", role="glb")
    assert (exported.content_type, exported.width, exported.frames) == ("model/gltf-binary", None, None)

    blend = tmp_path / "scene.blend"
    blend.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 32)  # zstd-compressed .blend
    packed = publish(app_db, tenant, None, blend, kind="blend")
    assert (packed.content_type, packed.order_line_id) == ("application/x-blender", None)


def test_rollback_removes_the_stored_file(app_db: SyncDatabase, tenant: MadeTenant, tmp_path: Path) -> None:
    line = make_line(app_db, tenant=tenant, created_by=None)
    stored: list[Path] = []
    with pytest.raises(RuntimeError, match="render failed later"):
        with app_db.session(tenant.id) as session:
            asset = publish_file_sync(
                session, tenant_id=tenant.id, order_line_id=line.line_id, product_id=line.product_id,
                cad_file_id=None, kind="still", source=write_png(tmp_path / "x.png"), file_name="x.png",
            )  # fmt: skip
            stored.append(default_storage().path(asset.storage_key))
            assert stored[0].exists()
            raise RuntimeError("render failed later")
    assert not stored[0].exists()
    assert media_files(tenant) == []


def test_concurrent_publication_keeps_one_asset_and_one_file(
    app_db: SyncDatabase, tenant: MadeTenant, admin_engine: Engine, tmp_path: Path
) -> None:
    """Two deliveries of the same task: the second blocks on the unique index, loses, returns the
    winner's asset and deletes the copy it stored."""
    line = make_line(app_db, tenant=tenant, created_by=None)
    results: dict[str, object] = {}

    def second() -> None:
        try:
            results["second"] = publish(app_db, tenant, line, write_png(tmp_path / "b.png")).id
        except Exception as exc:
            results["error"] = exc

    with app_db.session(tenant.id) as session:
        first = publish_file_sync(
            session, tenant_id=tenant.id, order_line_id=line.line_id, product_id=line.product_id,
            cad_file_id=None, kind="still", source=write_png(tmp_path / "a.png"), file_name="a.png",
        )  # fmt: skip
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)  # the second publication is now waiting on the index
        assert thread.is_alive()
    thread.join(timeout=20)
    assert "error" not in results, results
    assert results["second"] == first.id
    assert asset_count(admin_engine, line.line_id) == 1
    assert media_files(tenant) == [default_storage().path(first.storage_key)]

"""The CRC-32 stored at publication (migration 0018): a bulk download's ZIP uses it instead of
computing it while streaming, never for a file that changed since (size or ctime), and stores
the CRC it had to compute for an asset without one."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
import zipstream.ng
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.media import archive
from automat.models.media import MediaAsset
from automat.models.user import Role
from tests.media.conftest import make_line, publish, write_png
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party


@pytest.fixture
def pm(as_role: Any, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


def _files(root: Path) -> list[Path]:
    paths = []
    for index, size in enumerate((0, 1, 70_000, 300_001)):
        path = root / f"f{index}.bin"
        path.write_bytes(bytes((index * 7 + i) % 251 for i in range(size)))
        paths.append(path)
    return paths


def test_an_entry_with_a_known_crc_is_the_librarys_entry_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The known-CRC path writes what zipstream-ng writes for the same files (same records, sizes,
    offsets, zip64 rule); only the CRC loop is skipped. Guards the subclass against the library."""
    fixed = time.struct_time((2026, 12, 2, 12, 0, 0, 2, 336, 0))
    monkeypatch.setattr(zipstream.ng.time, "localtime", lambda *_: fixed)
    paths = _files(tmp_path)
    plain = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED, sized=True)
    known = archive.KnownCrcZipStream(compress_type=zipstream.ZIP_STORED, sized=True)
    for path in paths:
        plain.add(archive._read(path, 1 << 16), path.name, size=path.stat().st_size)
        crc = zlib.crc32(path.read_bytes())
        known.add_known(archive._read(path, 1 << 16), path.name, size=path.stat().st_size, crc=crc)
    assert len(known) == len(plain)
    data = bytes(known)
    assert data == bytes(plain)
    assert len(data) == len(known)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None


def test_a_file_shorter_than_its_size_fails_the_stream(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc")
    zipped = archive.KnownCrcZipStream(compress_type=zipstream.ZIP_STORED, sized=True)
    zipped.add_known(archive._read(path, 16), "a.bin", size=4, crc=zlib.crc32(b"abcd"))
    with pytest.raises(RuntimeError, match="cut short"):
        bytes(zipped)


def _row(db: SyncDatabase, tenant: MadeTenant, asset_id: uuid.UUID) -> MediaAsset:
    with db.session(tenant.id) as session:
        row = session.scalar(select(MediaAsset).where(MediaAsset.id == asset_id))
        assert row is not None
        session.expunge(row)
        return row


def _download(client: TestClient, pm: Party, *assets: MediaAsset) -> zipfile.ZipFile:
    response = client.post(
        "/api/media/downloads", json={"asset_ids": [str(a.id) for a in assets]}, headers=pm.headers
    )
    assert response.status_code == 200, response.text
    assert int(response.headers["content-length"]) == len(response.content)
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_publication_stores_the_crc_and_the_archive_uses_it(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    asset = publish(app_db, tenant, make_line(app_db, tenant=tenant, created_by=pm.user.id),
                    write_png(tmp_path / "a.png"), file_name="a.png")  # fmt: skip
    path = default_storage().path(asset.storage_key)
    assert asset.file_crc32 == zlib.crc32(path.read_bytes())
    assert asset.file_ctime_ns == path.stat().st_ctime_ns
    zf = _download(client, pm, asset)
    assert zf.testzip() is None
    assert asset.file_crc32 == zf.getinfo("a.png").CRC

    # The entry's CRC is the row's, not the file's: with a wrong one on the row (the file
    # untouched) the archive carries it, and zipfile notices. (Never so for a changed file: below.)
    with app_db.session(tenant.id) as session:
        session.execute(update(MediaAsset).where(MediaAsset.id == asset.id).values(file_crc32=12345))
    assert _download(client, pm, asset).testzip() == "a.png"


def test_a_changed_file_is_never_archived_with_its_stale_crc(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    """Rewritten in place with the same size (only its ctime tells): the stream computes the CRC,
    the archive is valid, and the new CRC and ctime are stored for the next one."""
    asset = publish(app_db, tenant, make_line(app_db, tenant=tenant, created_by=pm.user.id),
                    write_png(tmp_path / "a.png"), file_name="a.png")  # fmt: skip
    path = default_storage().path(asset.storage_key)
    original = path.read_bytes()
    time.sleep(0.05)  # past the file system clock's tick (see docs: a rewrite within it goes unseen)
    changed = bytes(b ^ 0xFF for b in original)
    with open(path, "r+b") as handle:  # in place: same inode, same size
        handle.write(changed)
    assert path.stat().st_size == asset.file_size
    zf = _download(client, pm, asset)
    assert zf.testzip() is None
    assert zf.read("a.png") == changed
    row = _row(app_db, tenant, asset.id)
    assert (row.file_crc32, row.file_ctime_ns) == (zlib.crc32(changed), path.stat().st_ctime_ns)


def test_an_asset_without_a_crc_gets_one_from_its_first_archive(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    """Assets published before migration 0018 have no CRC: computed while streamed, then stored."""
    asset = publish(app_db, tenant, make_line(app_db, tenant=tenant, created_by=pm.user.id),
                    write_png(tmp_path / "a.png"), file_name="a.png")  # fmt: skip
    with app_db.session(tenant.id) as session:
        session.execute(
            update(MediaAsset).where(MediaAsset.id == asset.id).values(file_crc32=None, file_ctime_ns=None)
        )
    assert _download(client, pm, asset).testzip() is None
    path = default_storage().path(asset.storage_key)
    row = _row(app_db, tenant, asset.id)
    assert (row.file_crc32, row.file_ctime_ns) == (zlib.crc32(path.read_bytes()), path.stat().st_ctime_ns)
    assert row.file_crc32 == _download(client, pm, asset).getinfo("a.png").CRC

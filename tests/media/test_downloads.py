"""POST /api/media/downloads: one ZIP of many assets, streamed with its length known (names made
unique and safe, manifest.csv, stored, zip64 past 4 GB and 65,535 entries), refused whole when one
asset is not the caller's; above the size settings built by a worker with progress, a notification
and an expiring link that beat removes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text, update

from automat.core import events
from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.kit.time import utcnow
from automat.media import archive, downloads
from automat.models.media import MediaDownload
from automat.models.product import Product
from automat.models.user import Role
from tests.media.conftest import MadeLine, make_line, publish, write_png
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


@pytest.fixture
def system_setting(admin_engine: Engine) -> Iterator[Callable[[str, int], None]]:
    """Set installation-wide settings for one test (put back afterwards)."""
    changed: list[str] = []

    def put(key: str, value: int) -> None:
        with admin_engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO system_settings (key, value) VALUES (:k, CAST(:v AS jsonb)) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
                ),
                {"k": key, "v": json.dumps(value)},
            )
        changed.append(key)

    yield put
    with admin_engine.begin() as conn:
        for key in changed:
            conn.execute(text("DELETE FROM system_settings WHERE key = :k"), {"k": key})


def _name_product(db: SyncDatabase, tenant: MadeTenant, line: MadeLine, name: str, pim_id: str) -> None:
    with db.session(tenant.id) as session:
        session.execute(update(Product).where(Product.id == line.product_id).values(name=name, pim_id=pim_id))


def _zip(response: Any) -> zipfile.ZipFile:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert int(response.headers["content-length"]) == len(response.content)
    return zipfile.ZipFile(io.BytesIO(response.content))


def _manifest(zf: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(zf.read("manifest.csv").decode("utf-8-sig"))))


def test_selected_assets_stream_as_one_zip_with_unique_names_and_a_manifest(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    line = make_line(app_db, tenant=tenant, created_by=pm.user.id)
    _name_product(app_db, tenant, line, '=HYPERLINK("http://evil","x")', "-81113-TV")
    other = make_line(app_db, tenant=tenant, created_by=pm.user.id)
    first = publish(app_db, tenant, line, write_png(tmp_path / "a.png", (64, 48)), file_name="render.png")
    second = publish(app_db, tenant, other, write_png(tmp_path / "b.png", (32, 16)), file_name="render.png")
    third = publish(app_db, tenant, line, write_png(tmp_path / "c.png", (8, 8)), file_name="RENDER.png",
                    role="poster")  # fmt: skip
    ids = [str(first.id), str(second.id), str(third.id)]

    zf = _zip(client.post("/api/media/downloads", json={"asset_ids": ids}, headers=pm.headers))
    assert zf.namelist() == ["manifest.csv", "render.png", "render (2).png", "RENDER (3).png"]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
    assert zf.testzip() is None
    for name, source in (("render.png", "a.png"), ("render (2).png", "b.png"), ("RENDER (3).png", "c.png")):
        stored = (
            default_storage()
            .path({"a.png": first, "b.png": second, "c.png": third}[source].storage_key)
            .read_bytes()
        )
        assert zf.read(name) == stored
    rows = _manifest(zf)
    assert [r["file"] for r in rows] == ["render.png", "render (2).png", "RENDER (3).png"]
    assert [r["asset_id"] for r in rows] == ids
    assert rows[0]["product"] == '\'=HYPERLINK("http://evil","x")'  # shown, not run, by a spreadsheet
    assert rows[0]["pim_id"] == "'-81113-TV"
    assert rows[0]["output_type"] == "still"
    assert rows[0]["sha256"] == hashlib.sha256(zf.read("render.png")).hexdigest() == first.checksum
    assert rows[1]["size_bytes"] == str(second.file_size)


def test_a_download_by_filters_holds_the_whole_result_set(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    line = make_line(app_db, tenant=tenant, created_by=pm.user.id)
    elsewhere = make_line(app_db, tenant=tenant, created_by=pm.user.id)
    made = [publish(app_db, tenant, line, write_png(tmp_path / f"{i}.png"), role=f"r{i}") for i in range(3)]
    publish(app_db, tenant, elsewhere, write_png(tmp_path / "x.png"))
    body = {"filters": {"order_id": str(line.order_id)}}
    zf = _zip(client.post("/api/media/downloads", json=body, headers=pm.headers))
    assert {r["asset_id"] for r in _manifest(zf)} == {str(a.id) for a in made}
    assert len(zf.namelist()) == 4

    nothing = client.post(
        "/api/media/downloads", json={"filters": {"order_id": str(uuid.uuid4())}}, headers=pm.headers
    )
    assert (nothing.status_code, nothing.json()["error"]["code"]) == (422, "nothing_to_download")
    both = client.post("/api/media/downloads", json={"asset_ids": [str(made[0].id)], "filters": {}},
                       headers=pm.headers)  # fmt: skip
    assert both.status_code == 422


def test_one_forbidden_id_is_a_404_and_nothing_is_sent(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, as_role: AsRole, tmp_path: Path
) -> None:
    """A client may download their own orders' media only: one asset of another client's order
    among theirs refuses the whole request, before a byte of ZIP."""
    mine, theirs = as_role(tenant, Role.CLIENT), as_role(tenant, Role.CLIENT)
    own = publish(app_db, tenant, make_line(app_db, tenant=tenant, created_by=mine.user.id),
                  write_png(tmp_path / "own.png"))  # fmt: skip
    foreign = publish(app_db, tenant, make_line(app_db, tenant=tenant, created_by=theirs.user.id),
                      write_png(tmp_path / "foreign.png"))  # fmt: skip
    with client.stream(
        "POST", "/api/media/downloads", json={"asset_ids": [str(own.id), str(foreign.id)]},
        headers=mine.headers,
    ) as response:  # fmt: skip
        body = response.read()
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert not body.startswith(b"PK")
    assert json.loads(body)["error"]["details"] == {"asset_ids": [str(foreign.id)]}
    unknown = client.post(
        "/api/media/downloads", json={"asset_ids": [str(uuid.uuid4())]}, headers=mine.headers
    )
    assert unknown.status_code == 404
    # By filters a client gets their own only.
    zf = _zip(client.post("/api/media/downloads", json={"filters": {}}, headers=mine.headers))
    assert [r["asset_id"] for r in _manifest(zf)] == [str(own.id)]


def test_a_missing_file_is_a_404_before_anything_is_sent(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    asset = publish(app_db, tenant, make_line(app_db, tenant=tenant, created_by=pm.user.id),
                    write_png(tmp_path / "a.png"))  # fmt: skip
    default_storage().path(asset.storage_key).unlink()
    response = client.post("/api/media/downloads", json={"asset_ids": [str(asset.id)]}, headers=pm.headers)
    assert (response.status_code, response.json()["error"]["code"]) == (404, "media_file_missing")


def _sparse_copy(chunks: Iterator[bytes], target: Path) -> int:
    """Write a stream to ``target`` leaving holes for chunks of zeros (a 4 GB archive of sparse
    files takes no disk)."""
    size = 0
    with open(target, "wb") as out:
        for chunk in chunks:
            if chunk == bytes(len(chunk)):
                out.seek(len(chunk), os.SEEK_CUR)
            else:
                out.write(chunk)
            size += len(chunk)
        out.truncate(size)
    return size


def test_an_archive_over_4_gb_is_zip64_and_reads_back(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    pm: Party,
    tmp_path: Path,
    system_setting: Callable[[str, int], None],
) -> None:
    """Two 2.2 GB files (sparse: no disk, no time to write) and a small one after them, at an
    offset past 4 GB: Python's zipfile reads every entry's size and the last file's bytes."""
    system_setting("media_zip_async_mb", 10_000)  # stream it, not a worker's build
    big = 2_200_000_000
    assets = []
    for index in range(2):
        asset = publish(app_db, tenant, make_line(app_db, tenant=tenant, created_by=pm.user.id),
                        write_png(tmp_path / f"{index}.png"), file_name="big.bin")  # fmt: skip
        path = default_storage().path(asset.storage_key)
        with open(path, "r+b") as handle:
            handle.truncate(big)
            handle.seek(big - 4)
            handle.write(b"TAIL")
        assets.append(asset)
    small = publish(app_db, tenant, make_line(app_db, tenant=tenant, created_by=pm.user.id),
                    write_png(tmp_path / "small.png"))  # fmt: skip
    ids = [str(a.id) for a in [*assets, small]]
    target = tmp_path / "out.zip"
    with client.stream(
        "POST", "/api/media/downloads", json={"asset_ids": ids}, headers=pm.headers
    ) as response:
        assert response.status_code == 200, response.read()
        length = int(response.headers["content-length"])
        assert length > 2 * big
        assert _sparse_copy(response.iter_raw(), target) == length
    with zipfile.ZipFile(target) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        assert list(infos) == ["manifest.csv", "big.bin", "big (2).bin", "small.png"]
        assert infos["big.bin"].file_size == infos["big (2).bin"].file_size == big
        assert infos["small.png"].header_offset > 1 << 32
        assert zf.read("small.png") == default_storage().path(small.storage_key).read_bytes()
        with zf.open("big (2).bin") as member:
            member.seek(big - 4)
            assert member.read() == b"TAIL"
        assert len(_manifest(zf)) == 3


def test_more_than_65535_entries_are_zip64(tmp_path: Path) -> None:
    """The entry count's limit of the classic end record (65,535), at the archive's level (65,600
    asset rows would test the database, not the ZIP)."""
    source = tmp_path / "one.txt"
    source.write_bytes(b"x")
    count = 65_600
    entries = [
        archive.Entry(
            path=source,
            size=1,
            name="one.txt",
            asset_id=str(i),
            product="",
            pim_id="",
            output_type="still",
            order="",
            checksum="",
        )
        for i in range(count)
    ]
    zipped = archive.build(entries)
    target = tmp_path / "many.zip"
    with open(target, "wb") as out:
        for piece in archive.stream(zipped):
            out.write(piece)
    assert target.stat().st_size == len(zipped)
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert len(names) == count + 1
        assert names[-1] == f"one ({count}).txt"
        assert zf.read(names[-1]) == b"x"


@pytest.mark.usefixtures("celery_worker_process")
def test_a_large_download_is_built_by_a_worker_notified_and_expires(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    pm: Party,
    as_role: AsRole,
    tmp_path: Path,
    redis_client: redis.Redis,
    system_setting: Callable[[str, int], None],
) -> None:
    system_setting("media_zip_async_files", 2)  # three files are "large"
    line = make_line(app_db, tenant=tenant, created_by=pm.user.id)
    made = [publish(app_db, tenant, line, write_png(tmp_path / f"{i}.png"), role=f"r{i}") for i in range(3)]
    pubsub = redis_client.pubsub()
    pubsub.subscribe(events.channel_for(tenant.id))
    try:
        queued = client.post("/api/media/downloads", json={"filters": {"order_id": str(line.order_id)}},
                             headers=pm.headers)  # fmt: skip
        assert queued.status_code == 202, queued.text
        download = queued.json()
        assert (download["status"], download["file_count"], download["download_url"]) == ("queued", 3, None)
        deadline = time.monotonic() + 60
        while download["status"] in ("queued", "building") and time.monotonic() < deadline:
            time.sleep(0.2)
            polled = client.get(f"/api/media/downloads/{download['id']}", headers=pm.headers)
            assert polled.status_code == 200
            download = polled.json()
        assert download["status"] == "ready", download
        assert download["progress"] == 1.0 and download["bytes_done"] == download["archive_bytes"] > 0
        seen = []
        while (message := pubsub.get_message(timeout=1.0)) is not None or not seen:
            if message and message["type"] == "message":
                event = json.loads(message["data"])
                if event.get("type") == "media_download":
                    seen.append(event)
            if message is None:
                break
    finally:
        pubsub.close()
    assert seen and seen[-1]["status"] == "ready" and seen[-1]["recipient_id"] == str(pm.user.id)

    # Only the requester follows it; the notification carries the link.
    other_pm = as_role(tenant, Role.PROJECT_MANAGER)
    assert client.get(f"/api/media/downloads/{download['id']}", headers=other_pm.headers).status_code == 404
    notes = client.get("/api/notifications", headers=pm.headers).json()["items"]
    note = next(n for n in notes if n["action"] == "media_download.ready")
    assert note["detail"]["download_url"] == download["download_url"]
    assert "3 media files" in note["message"]

    link = download["download_url"]
    zf = _zip(client.get(link))  # no login: the signed link is the permission
    assert {r["asset_id"] for r in _manifest(zf)} == {str(a.id) for a in made}
    assert zf.testzip() is None
    forged = link[:-4] + ("0000" if not link.endswith("0000") else "1111")
    assert client.get(forged).status_code == 404

    # Past its time the link is refused (410), and beat deletes the archive.
    with app_db.session(tenant.id) as session:
        row = session.get(MediaDownload, uuid.UUID(download["id"]))
        assert row is not None and row.storage_key
        stored = default_storage().path(row.storage_key)
        assert stored.is_file()
        row.expires_at = utcnow() - timedelta(minutes=1)
        session.flush()
        late_link = downloads.link(row)
    assert late_link is not None
    late = client.get(late_link)
    assert (late.status_code, late.json()["error"]["code"]) == (410, "download_expired")
    assert client.get(link).status_code == 404  # its expiry is not the row's: never served
    from automat.worker.celery_app import celery_app

    result = celery_app.send_task(downloads.EXPIRE_DOWNLOADS).get(timeout=60)
    assert result["expired"] >= 1
    assert not stored.exists()
    assert (
        client.get(f"/api/media/downloads/{download['id']}", headers=pm.headers).json()["status"] == "expired"
    )
    assert client.get(late_link).status_code == 410

"""Bulk downloads too large to stream at once: a worker builds the archive into storage (step queue),
and beat deletes archives past their time."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta
from typing import Any

from automat.core import events
from automat.core.redis import sync_client
from automat.core.storage import default_storage
from automat.kit.time import utcnow
from automat.kit.transaction import on_commit
from automat.media import archive, repository
from automat.media.downloads import (
    BUILD_ARCHIVE,
    EVENT_TYPE,
    EXPIRE_DOWNLOADS,
    crc_row,
    downloads_prefix,
    entry_of,
    link,
)
from automat.models.media import MediaDownload
from automat.notifications.service import notify_sync
from automat.settings.registry import SETTINGS
from automat.settings.service import read_system_value
from automat.worker.base import SystemTask, TenantTask
from automat.worker.celery_app import celery_app

log = logging.getLogger(__name__)
PROGRESS_EVERY_S = 1.0  # the row and the live event follow the build at most this often


def _event(download: MediaDownload) -> dict[str, Any]:
    """The live event of a download's progress, for its requester only (see
    ``notifications.service.event_visible_to``)."""
    return {
        "type": EVENT_TYPE, "id": str(download.id), "status": download.status,
        "recipient_id": str(download.requested_by) if download.requested_by else None,
        "file_count": download.file_count, "bytes_done": download.bytes_done,
        "archive_bytes": download.archive_bytes,
    }  # fmt: skip


def _publish_after_commit(session: Any, download: MediaDownload) -> None:
    event, tenant_id = _event(download), download.tenant_id

    def send() -> None:
        try:
            events.publish(sync_client(), tenant_id, event)
        except Exception:  # the row has the progress; the live event is a bonus
            log.warning("could not publish the progress of download %s", event["id"], exc_info=True)

    on_commit(session, send)


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


@celery_app.task(base=TenantTask, bind=True, name=BUILD_ARCHIVE)
def build_archive(self: TenantTask, download_id: str, *, tenant_id: str) -> dict[str, Any]:
    """Write the download's ZIP into storage, its progress on the row and the live channel; then
    notify the requester with the link (or why it failed). A redelivered build starts again."""
    key = uuid.UUID(download_id)
    storage = default_storage()
    with self.tenant_session(tenant_id) as session:
        download = repository.download_for_update_sync(session, key)
        if download is None or download.status not in ("queued", "building"):
            return {"status": download.status if download else "gone"}
        download.status, download.bytes_done = "building", 0
        asset_ids = list(download.asset_ids)
        rows = repository.archived_by_id_sync(session, asset_ids)
        keep = timedelta(hours=int(read_system_value(session, SETTINGS["media_zip_keep_hours"])))
        file_name = download.file_name
    temp = storage.temp_path("media-zip")
    try:
        by_id = {row.id: row for row in rows}
        entries, skipped = [], 0
        for asset_id in asset_ids:  # the order asked; assets deleted since are left out
            row = by_id.get(asset_id)
            path = storage.path(row.storage_key) if row is not None else None
            if row is None or path is None or not path.is_file():
                skipped += 1
                continue
            entries.append(entry_of(row, path, path.stat()))
        zipped = archive.build(entries)
        size = len(zipped)
        last = time.monotonic()

        def progress(done: int) -> None:
            nonlocal last
            if time.monotonic() - last < PROGRESS_EVERY_S:
                return
            last = time.monotonic()
            with self.tenant_session(tenant_id) as session:
                row = repository.download_for_update_sync(session, key)
                if row is not None:
                    row.bytes_done, row.archive_bytes = done, size
                    _publish_after_commit(session, row)

        with self.tenant_session(tenant_id) as session:
            row = repository.download_for_update_sync(session, key)
            if row is not None:
                row.archive_bytes = size
                _publish_after_commit(session, row)
        with open(temp, "wb") as out:
            for piece in archive.stream(zipped, progress=progress):
                out.write(piece)
        storage_key = f"{downloads_prefix(uuid.UUID(tenant_id), key)}/{file_name}"
        storage.commit(temp, storage_key)
        computed = [crc_row(entry, crc) for entry, crc in archive.computed_crcs(zipped)]
        if computed:  # assets without a stored CRC (before migration 0018): the next archive reuses it
            with self.tenant_session(tenant_id) as session:
                repository.remember_crcs_sync(session, computed)
    except Exception as exc:
        temp.unlink(missing_ok=True)
        log.exception("building media download %s failed", download_id)
        _finish(self, tenant_id, key, status="failed", error=f"The archive could not be built: {exc}")
        raise
    now = utcnow()
    _finish(self, tenant_id, key, status="ready", storage_key=storage_key, archive_bytes=size,
            expires_at=now + keep, skipped=skipped)  # fmt: skip
    return {"status": "ready", "archive_bytes": size, "files": len(entries), "skipped": skipped}


def _finish(
    task: TenantTask,
    tenant_id: str,
    key: uuid.UUID,
    *,
    status: str,
    error: str | None = None,
    storage_key: str | None = None,
    archive_bytes: int | None = None,
    expires_at: Any = None,
    skipped: int = 0,
) -> None:
    with task.tenant_session(tenant_id) as session:
        row = repository.download_for_update_sync(session, key)
        if row is None:
            if storage_key:
                default_storage().delete_prefix(storage_key.rsplit("/", 1)[0])
            return
        now = utcnow()
        row.status, row.error, row.finished_at = status, error, now
        if status == "ready":
            row.storage_key, row.archive_bytes, row.bytes_done = (
                storage_key,
                archive_bytes,
                archive_bytes or 0,
            )
            row.expires_at = expires_at
        _publish_after_commit(session, row)
        if row.requested_by is None:
            return
        if status == "ready":
            left_out = f" ({skipped} deleted since were left out)" if skipped else ""
            message = (
                f"Your download of {row.file_count - skipped:,} media files ({_size(archive_bytes or 0)})"
                f"{left_out} is ready until {expires_at:%Y-%m-%d %H:%M} UTC."
            )
            detail = {
                "download_url": link(row), "expires_at": expires_at.isoformat(), "file_name": row.file_name,
            }  # fmt: skip
        else:
            message, detail = f"Your download of {row.file_count:,} media files failed: {error}", {}
        notify_sync(
            session, tenant_id=row.tenant_id, action=f"media_download.{status}", message=message,
            recipient_id=row.requested_by, target_type="media_download", target_id=row.id,
            detail={"download_id": str(row.id), **detail}, dedupe_key=f"media_download:{row.id}:{status}",
        )  # fmt: skip


@celery_app.task(base=SystemTask, bind=True, name=EXPIRE_DOWNLOADS)
def expire_downloads(self: SystemTask) -> dict[str, int]:
    """Delete the archives past their ``expires_at`` and mark their rows ``expired`` (beat, hourly)."""
    storage = default_storage()
    removed = 0
    with self.system_session() as session:
        for row in repository.expired_downloads_sync(session, utcnow()):
            storage.delete_prefix(downloads_prefix(row.tenant_id, row.id))
            row.status, row.storage_key = "expired", None
            removed += 1
    return {"expired": removed}

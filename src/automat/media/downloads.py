"""Bulk downloads: many assets in one ZIP, streamed at once or built by a worker.

A request names the assets by id or by the media library's filters (the whole result set). Every
asset is checked first: one the caller may not see (another tenant's, a client's asset of someone
else's order, an unknown id) is a 404 and nothing is streamed; a file that has gone is a 404
``media_file_missing``. Up to the ``media_zip_async_*`` settings (2 GB or 5,000 files) the ZIP
streams in the response (``archive.py``: stored, zip64, sized up front); above, a
``media_downloads`` row is queued, a worker (``tasks.build_archive``) writes the archive into
storage with its progress on the row and the tenant's live channel (``media_download`` events,
for the requester only), and the requester gets a notification with a link that works without a
login until the archive expires (``media_zip_keep_hours``; beat deletes it then).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession
from zipstream import ZipStream

from automat.config import get_settings
from automat.core.storage import default_storage
from automat.kit.errors import Gone, NotFound, Unprocessable
from automat.kit.storage import LocalStorage
from automat.kit.time import utcnow
from automat.media import archive, repository
from automat.media.repository import Filters
from automat.media.service import scope_of
from automat.models.media import MediaDownload
from automat.settings import service as settings
from automat.worker.dispatch import enqueue_after_commit
from automat.worker.queues import STEP_QUEUE, declare_task

if TYPE_CHECKING:
    from automat.core.deps import Actor

BUILD_ARCHIVE = declare_task("automat.media.tasks.build_archive", queue=STEP_QUEUE)
EXPIRE_DOWNLOADS = declare_task("automat.media.tasks.expire_downloads", queue=STEP_QUEUE)  # beat, hourly
EVENT_TYPE = "media_download"
MB = 1 << 20


class DownloadTooLarge(Unprocessable):
    code = "download_too_large"


def archive_name(when: datetime | None = None) -> str:
    return f"media-{(when or utcnow()):%Y%m%d-%H%M%S}.zip"


def entry_of(row: Any, path: Path, found: os.stat_result) -> archive.Entry:
    """The archive entry of an asset's file as ``stat`` found it. The stored CRC-32 goes with it
    only if the file is the one it was taken of: the size and the status-change time are still
    the row's (any write moves ctime, and nothing sets it back); otherwise the stream computes it."""
    known = row.file_crc32 is not None and (row.file_size, row.file_ctime_ns) == (
        found.st_size,
        found.st_ctime_ns,
    )
    return archive.Entry(
        path=path, size=found.st_size, name=row.file_name, asset_id=str(row.id),
        product=row.product_name or "",
        pim_id=row.pim_id or "", output_type=row.kind, order=row.order_number or "",
        checksum=row.checksum, crc32=int(row.file_crc32) if known else None, ctime_ns=found.st_ctime_ns,
    )  # fmt: skip


def _located(storage: LocalStorage, row: Any) -> tuple[Path, os.stat_result] | None:
    """The asset's file and its ``stat`` now (None: it has gone)."""
    try:
        path = storage.path(row.storage_key)
        return path, path.stat()
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Streamed:
    """An archive to stream in the response; ``tenant_id``: the tenant of all its assets, whose
    session stores the CRCs the stream computed (None: they span tenants; nothing is stored)."""

    archive: ZipStream
    file_name: str
    tenant_id: uuid.UUID | None = None


async def _selected(
    session: AsyncSession, actor: Actor, tenant_id: uuid.UUID | None, asset_ids: list[uuid.UUID] | None,
    filters: Filters | None, most: int,
) -> list[Any]:  # fmt: skip
    scope = scope_of(actor, tenant_id)
    if asset_ids is not None:
        wanted = list(dict.fromkeys(asset_ids))  # each once, in the order asked
        if len(wanted) > most:
            raise DownloadTooLarge(f"A download holds at most {most:,} files.")
        found = {row.id: row for row in await repository.archived_by_id(session, scope, wanted)}
        missing = [i for i in wanted if i not in found]
        if missing:  # not visible or unknown: the same answer, and nothing is streamed
            raise NotFound("Media asset not found.", details={"asset_ids": [str(i) for i in missing[:20]]})
        return [found[i] for i in wanted]
    assert filters is not None
    rows = await repository.archived_matching(session, scope, filters, most + 1)
    if len(rows) > most:
        raise DownloadTooLarge(
            f"More than {most:,} files match; narrow the filters (a download holds at most {most:,})."
        )
    return rows


async def request(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    asset_ids: list[uuid.UUID] | None,
    filters: Filters | None,
) -> Streamed | MediaDownload:
    """Check the selection and answer it: an archive to stream, or a queued worker build."""
    setting = {
        k: int(await settings.effective_value(session, None, f"media_zip_{k}"))
        for k in ("async_files", "async_mb", "max_files")
    }
    rows = await _selected(session, actor, tenant_id, asset_ids, filters, setting["max_files"])
    if not rows:
        raise Unprocessable("No media match these filters.", code="nothing_to_download")
    total = sum(int(r.file_size) for r in rows)
    if len(rows) > setting["async_files"] or total > setting["async_mb"] * MB:
        return await _queue(session, actor, rows, total)
    storage = default_storage()
    entries = []
    for row in rows:
        found = _located(storage, row)
        if found is None:
            raise NotFound(
                "The file of a media asset is missing.", code="media_file_missing",
                details={"asset_id": str(row.id)},
            )  # fmt: skip
        entries.append(entry_of(row, *found))
    tenants = {row.tenant_id for row in rows}
    return Streamed(
        archive.build(entries), archive_name(), next(iter(tenants)) if len(tenants) == 1 else None
    )


async def remember_crcs(session: AsyncSession, zipped: ZipStream) -> int:
    """Store the CRC-32 the stream computed for assets that had none (published before migration
    0018, or changed since): the next archive of them need not compute it. Only files still as
    they were when the archive was built (``archive.computed_crcs``); how many were stored."""
    found = archive.computed_crcs(zipped)
    await repository.remember_crcs(session, [crc_row(entry, crc) for entry, crc in found])
    return len(found)


def crc_row(entry: archive.Entry, crc: int) -> dict[str, Any]:
    return {"id": uuid.UUID(entry.asset_id), "size": entry.size, "crc": crc, "ctime": entry.ctime_ns}


async def _queue(session: AsyncSession, actor: Actor, rows: list[Any], total: int) -> MediaDownload:
    tenants = {row.tenant_id for row in rows}
    if len(tenants) > 1:  # a global admin's "all tenants": an archive is kept in one tenant's storage
        raise Unprocessable(
            "A download this large is built per tenant: pick a tenant first.", code="tenant_required"
        )
    (tenant_id,) = tenants
    download = await repository.add_download(
        session,
        MediaDownload(
            tenant_id=tenant_id, requested_by=actor.user_id, status="queued", asset_ids=[r.id for r in rows],
            file_count=len(rows), total_bytes=total, bytes_done=0, file_name=archive_name(),
        ),
    )  # fmt: skip
    enqueue_after_commit(session, BUILD_ARCHIVE, download_id=str(download.id), tenant_id=str(tenant_id))
    return download


async def get(session: AsyncSession, *, actor: Actor, download_id: uuid.UUID) -> MediaDownload:
    """The requester's download (global admins: any); 404 for everyone else."""
    download = await repository.get_download(session, download_id)
    if download is None or not (actor.is_global_admin or download.requested_by == actor.user_id):
        raise NotFound("Download not found.")
    return download


# -- the link -----------------------------------------------------------------------------------


def _signature(download_id: uuid.UUID, tenant_id: uuid.UUID, expires: int) -> str:
    key = get_settings().secret("secret_key").encode()
    message = f"media-download:{download_id}:{tenant_id}:{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def link(download: MediaDownload) -> str | None:
    """``/api/media/downloads/<id>/file?…``: signed for this archive until it expires, so a
    browser downloads it natively (no bearer header; a blob of gigabytes in a tab is no option)."""
    if download.status != "ready" or download.expires_at is None:
        return None
    expires = int(download.expires_at.timestamp())
    query = urlencode({
        "tenant": str(download.tenant_id), "expires": expires,
        "signature": _signature(download.id, download.tenant_id, expires),
    })  # fmt: skip
    return f"/api/media/downloads/{download.id}/file?{query}"


def check_link(download_id: uuid.UUID, tenant_id: uuid.UUID, expires: int, signature: str) -> None:
    """404 for a link this installation did not sign (the same answer as an unknown download)."""
    if not hmac.compare_digest(_signature(download_id, tenant_id, expires), signature):
        raise NotFound("Download not found.")


async def file_of(session: AsyncSession, download_id: uuid.UUID, expires: int) -> tuple[Path, MediaDownload]:
    """The ready archive of a checked link; 410 ``download_expired`` once it has expired."""
    download = await repository.get_download(session, download_id)
    if download is None or download.expires_at is None:
        raise NotFound("Download not found.")
    if int(download.expires_at.timestamp()) != expires:
        raise NotFound("Download not found.")
    if download.status == "expired" or download.expires_at <= utcnow():
        raise Gone("This download has expired; ask for it again.", code="download_expired")
    if download.status != "ready" or not download.storage_key:
        raise NotFound("Download not found.")
    path = default_storage().path(download.storage_key)
    if not path.is_file():
        raise Gone("This download is no longer there; ask for it again.", code="download_expired")
    return path, download


def downloads_prefix(tenant_id: uuid.UUID, download_id: uuid.UUID) -> str:
    return f"tenants/{tenant_id}/downloads/{download_id}"

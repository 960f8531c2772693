"""Media assets: publication from workers (idempotent per order line and role) and the API's
reading, downloading and deleting.

Files live under ``tenants/<tenant>/media/<asset id>/<safe name>``; the key is chosen here from
ids and a sanitized name, never taken from a client. Clients (the role) see only the assets of
their own orders; everything else answers 404, like an id of another tenant.
"""

from __future__ import annotations

import errno
import re
import shutil
import unicodedata
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.audit import service as audit
from automat.core.storage import default_storage
from automat.kit.errors import Forbidden, NotFound
from automat.kit.pagination import decode_cursor
from automat.kit.storage import LocalStorage
from automat.kit.transaction import on_commit, on_rollback
from automat.kit.upload import clean_name
from automat.media import repository
from automat.media.probe import probe
from automat.media.repository import Filters, Matches, Scope, Sort
from automat.media.schemas import THUMBNAIL_SIZE
from automat.models.media import MediaAsset
from automat.models.user import Role

if TYPE_CHECKING:
    from automat.core.deps import Actor

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()+-]")
_UNSAFE_KEY = re.compile(r"[^A-Za-z0-9.-]+")
_MAX_KEY_NAME = 100


def media_prefix(tenant_id: uuid.UUID, asset_id: uuid.UUID) -> str:
    return f"tenants/{tenant_id}/media/{asset_id}"


def ascii_name(name: str, default: str = "download") -> str:
    """A plain-ASCII file name for ``Content-Disposition: filename=`` (``Bild "ä".png`` →
    ``Bild _a_.png``): accents dropped, quotes, slashes and controls replaced."""
    text = unicodedata.normalize("NFKD", clean_name(name, default)).encode("ascii", "ignore").decode()
    text = _UNSAFE_ASCII.sub("_", text).strip(" .")
    return text or default


def _key_name(name: str) -> str:
    """The last part of a storage key: ASCII letters, digits, ``._-``; the suffix kept."""
    text = _UNSAFE_KEY.sub("_", ascii_name(name, "file")).lstrip("._-") or "file"
    if len(text) > _MAX_KEY_NAME:
        stem, dot, suffix = text.rpartition(".")
        text = f"{stem[: _MAX_KEY_NAME - len(suffix) - 1]}.{suffix}" if dot and len(suffix) <= 10 else text
        text = text[:_MAX_KEY_NAME]
    return text


def content_disposition(file_name: str, *, inline: bool = False) -> str:
    """``attachment`` (or ``inline``) with an ASCII ``filename`` and the exact name as RFC 5987
    ``filename*``."""
    kind = "inline" if inline else "attachment"
    exact = quote(clean_name(file_name, "download"), safe="")
    return f"{kind}; filename=\"{ascii_name(file_name)}\"; filename*=UTF-8''{exact}"


def _move_into(storage: LocalStorage, source: Path, key: str) -> None:
    try:
        storage.commit(source, key)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        temp = storage.temp_path()  # another file system: copy beside the root, then rename
        try:
            shutil.copyfile(source, temp)
            storage.commit(temp, key)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        source.unlink(missing_ok=True)


def publish_file_sync(
    session: Session,
    *,
    tenant_id: uuid.UUID,
    order_line_id: uuid.UUID | None,
    product_id: uuid.UUID | None,
    cad_file_id: uuid.UUID | None,
    kind: str,
    role: str = "main",
    source: Path,
    file_name: str,
    details: dict[str, Any] | None = None,
) -> MediaAsset:
    """Make ``source`` a media asset of the line (moved into storage, probed, recorded).

    Idempotent per (order line, role): if the line has that asset already (a redelivered task),
    it is returned and ``source`` is left where it is. If a concurrent publication wins the
    insert, its asset is returned and this call's stored copy is deleted. If the surrounding
    transaction rolls back, the stored file is deleted again."""
    if order_line_id is not None:
        existing = repository.for_line_sync(session, order_line_id, role)
        if existing is not None:
            return existing
    storage = default_storage()
    display = clean_name(file_name, f"{kind}")
    facts = probe(source, display)
    asset_id = uuid.uuid4()
    prefix = media_prefix(tenant_id, asset_id)
    key = f"{prefix}/{_key_name(display)}"
    _move_into(storage, source, key)
    on_rollback(session, lambda: storage.delete_prefix(prefix))
    # The ctime of the stored file (a move changes it): while it stays, the CRC is this file's.
    stored_ctime = storage.path(key).stat().st_ctime_ns
    extra = {"format": facts.format, **({"probe_error": facts.error} if facts.error else {})}
    inserted = repository.insert_once_sync(
        session,
        {
            "id": asset_id, "tenant_id": tenant_id, "kind": kind, "role": role, "product_id": product_id,
            "order_line_id": order_line_id, "cad_file_id": cad_file_id, "storage_key": key,
            "file_name": display, "content_type": facts.content_type, "file_size": facts.size,
            "checksum": facts.sha256, "file_crc32": facts.crc32, "file_ctime_ns": stored_ctime,
            "width": facts.width, "height": facts.height, "duration_s": facts.duration_s,
            "frames": facts.frames, "details": {**(details or {}), **extra},
        },
    )  # fmt: skip
    if not inserted:
        storage.delete_prefix(prefix)
        assert order_line_id is not None  # only a line's (line, role) can clash
        winner = repository.for_line_sync(session, order_line_id, role)
        if winner is None:
            raise RuntimeError(f"media asset of line {order_line_id} ({role}) clashed but is not visible")
        return winner
    asset = repository.get_sync(session, asset_id)
    assert asset is not None
    return asset


# -- API ----------------------------------------------------------------------------------------


def _scope(actor: Actor, tenant_id: uuid.UUID | None = None) -> Scope:
    return Scope(
        tenant_id=actor.scope_tenant(tenant_id),
        ordered_by=None if actor.at_least(Role.PROJECT_MANAGER) else actor.user_id,
    )


def scope_of(actor: Actor, tenant_id: uuid.UUID | None = None) -> Scope:
    """Whose media a request sees. A tenant's user naming another tenant: 403 (the media library's
    tenant filter is for global admins)."""
    if not actor.is_global_admin and tenant_id is not None and tenant_id != actor.tenant_id:
        raise Forbidden("Only global admins may choose the tenant.", code="tenant_not_allowed")
    return _scope(actor, tenant_id)


async def list_page(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    filters: Filters,
    sort: Sort,
    cursor: str | None,
    page_size: int,
) -> Matches:
    """A page of the media the caller may see, the cursor of the next and the capped total."""
    key = decode_cursor(cursor, repository.CURSOR_TYPES[sort])
    return await repository.list_page(
        session, scope_of(actor, tenant_id), filters, sort=sort, cursor=key, page_size=page_size
    )


async def facets(
    session: AsyncSession, *, actor: Actor, tenant_id: uuid.UUID | None, filters: Filters
) -> dict[str, repository.Facet]:
    return await repository.facets(session, scope_of(actor, tenant_id), filters)


async def get(session: AsyncSession, *, actor: Actor, asset_id: uuid.UUID) -> MediaAsset:
    asset = await repository.get(session, _scope(actor), asset_id)
    if asset is None:
        raise NotFound("Media asset not found.")
    return asset


def file_of(asset: MediaAsset) -> Path:
    """Where the asset's file is; 404 ``media_file_missing`` if it has gone."""
    path = default_storage().path(asset.storage_key)
    if not path.is_file():
        raise NotFound("The file of this media asset is missing.", code="media_file_missing")
    return path


def thumbnail_of(asset: MediaAsset) -> Path:
    """The asset's list thumbnail (WebP, at most THUMBNAIL_SIZE px on the longer side), made from
    the image on first use and kept beside it (it goes with the asset's prefix); 404
    ``no_thumbnail`` for what is not an image."""
    if asset.content_type not in {"image/png", "image/jpeg", "image/webp"}:
        raise NotFound("This media asset has no thumbnail.", code="no_thumbnail")
    storage = default_storage()
    key = f"{media_prefix(asset.tenant_id, asset.id)}/thumb-{THUMBNAIL_SIZE}.webp"
    path = storage.path(key)
    if path.is_file():
        return path
    from PIL import Image

    temp = storage.temp_path()
    try:
        with Image.open(file_of(asset)) as image:
            image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            image.save(temp, format="WEBP", quality=80)
        storage.commit(temp, key)
    finally:
        temp.unlink(missing_ok=True)
    return storage.path(key)


async def delete(session: AsyncSession, *, actor: Actor, asset_id: uuid.UUID) -> None:
    """Delete the record now and its file once the transaction has committed."""
    asset = await get(session, actor=actor, asset_id=asset_id)
    storage = default_storage()
    prefix = media_prefix(asset.tenant_id, asset.id)
    target = prefix if asset.storage_key.startswith(prefix + "/") else asset.storage_key
    await audit.record(
        session, actor=actor, action="media_asset.delete", tenant_id=asset.tenant_id,
        target_type="media_asset", target_id=asset.id,
        detail={"file_name": asset.file_name, "kind": asset.kind, "order_line_id": str(asset.order_line_id)},
    )  # fmt: skip
    await repository.delete(session, asset)
    on_commit(session, lambda: storage.delete_prefix(target))

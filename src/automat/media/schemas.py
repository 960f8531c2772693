from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from automat.kit.pagination import CappedPage
from automat.media.repository import Filters
from automat.models.order import LineStatus
from automat.models.output import OutputKind

THUMBNAIL_SIZE = 256  # px, the longer side of every list thumbnail

_IMAGES = frozenset({"image/png", "image/jpeg", "image/webp"})


class MediaAssetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: str
    role: str
    product_id: uuid.UUID | None
    order_line_id: uuid.UUID | None
    cad_file_id: uuid.UUID | None
    file_name: str
    content_type: str
    file_size: int
    checksum: str  # sha256, hex
    width: int | None
    height: int | None
    duration_s: float | None
    frames: int | None
    details: dict[str, Any]
    created_at: datetime
    # What the media library shows beside it (copies kept by migration 0014's triggers).
    order_id: uuid.UUID | None = None
    order_number: str | None = None
    render_status: str | None = Field(default=None, description="the order line's render status")
    product_name: str | None = None
    pim_id: str | None = None
    category_key: str | None = None
    lagertyp: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def download_url(self) -> str:
        return f"/api/media/assets/{self.id}/download"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def thumbnail_url(self) -> str | None:
        """A WebP of at most THUMBNAIL_SIZE px on the longer side (images only; made on first use)."""
        return f"/api/media/assets/{self.id}/thumbnail" if self.content_type in _IMAGES else None


class MediaAssetPage(CappedPage[MediaAssetRead]):
    """A page of the media library: ``total`` exact up to 10,000 (then 10,000 and
    ``total_is_estimate``)."""


class FacetCount(BaseModel):
    value: str
    count: int
    is_estimate: bool = Field(description="true: more than `count` (10,000+) or a sample's estimate")


class MediaFacets(BaseModel):
    """For each filter, its values' counts among the assets the other filters leave."""

    asset_type: list[FacetCount]
    category_key: list[FacetCount]
    lagertyp: list[FacetCount]
    render_status: list[FacetCount]


MAX_DOWNLOAD_IDS = 20_000  # ids in one request body (more: ask by filters)


class MediaFilterSet(BaseModel):
    """The media library's filters (as ``GET /api/media/assets`` takes them), for a download of
    everything they match."""

    model_config = ConfigDict(extra="forbid")

    asset_type: list[OutputKind] = Field(default_factory=list, description="any of these kinds")
    category_key: str | None = Field(default=None, max_length=100)
    lagertyp: str | None = Field(default=None, max_length=100)
    render_status: LineStatus | None = Field(default=None, description="the order line's render status")
    product_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    order_line_id: uuid.UUID | None = None
    created_from: datetime | None = Field(default=None, description="created at or after")
    created_to: datetime | None = Field(default=None, description="created before")
    q: str | None = Field(default=None, max_length=200, description="product name words and PIM id")

    def to_filters(self) -> Filters:
        return Filters(
            asset_types=tuple(t.value for t in self.asset_type), category_key=self.category_key,
            lagertyp=self.lagertyp, render_status=self.render_status.value if self.render_status else None,
            product_id=self.product_id, order_id=self.order_id, order_line_id=self.order_line_id,
            created_from=self.created_from, created_to=self.created_to, q=self.q,
        )  # fmt: skip


class MediaDownloadRequest(BaseModel):
    """Either the assets by id (in archive order) or the filters whose whole result set to download."""

    model_config = ConfigDict(extra="forbid")

    asset_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=MAX_DOWNLOAD_IDS)
    filters: MediaFilterSet | None = None

    @model_validator(mode="after")
    def _one_of(self) -> MediaDownloadRequest:
        if (self.asset_ids is None) == (self.filters is None):
            raise ValueError("give either asset_ids or filters")
        return self


class MediaDownloadRead(BaseModel):
    """A bulk download a worker builds (one too large to stream at once): poll it, or follow the
    tenant's live events of type ``media_download``."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    status: str = Field(description="queued, building, ready, failed or expired")
    file_count: int
    total_bytes: int = Field(description="the files' bytes")
    archive_bytes: int | None = Field(description="the ZIP's size, once the build has begun")
    bytes_done: int
    file_name: str
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    download_url: str | None = Field(
        default=None, description="when ready: a link that works without a login until expires_at"
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def progress(self) -> float:
        """0-1: the share of the archive written."""
        if self.status in ("ready", "expired"):
            return 1.0
        return min(self.bytes_done / self.archive_bytes, 1.0) if self.archive_bytes else 0.0

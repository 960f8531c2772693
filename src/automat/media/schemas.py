from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from automat.kit.pagination import CappedPage

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

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field


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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def download_url(self) -> str:
        return f"/api/media/assets/{self.id}/download"


class MediaAssetPage(BaseModel):
    items: list[MediaAssetRead]
    next_before: uuid.UUID | None  # pass as ?before= for the next (older) page; null = last page

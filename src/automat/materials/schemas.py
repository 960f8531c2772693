from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from automat.models.material import AliasKind

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
PartName = Annotated[str, StringConstraints(min_length=1, max_length=255)]
MaterialSource = Literal["builtin", "tenant"]
IMPACT_FILES = 50  # files listed in a preview's impact


class MaterialParams(BaseModel):
    """Optional render parameters beyond base colour, metallic and roughness."""

    model_config = ConfigDict(extra="forbid")

    clearcoat: Unit | None = None
    clearcoat_roughness: Unit | None = None
    transmission: Unit | None = None
    ior: float | None = Field(default=None, ge=1.0, le=4.0)


def rgba(value: list[float] | None) -> list[float] | None:
    """RGB gets an alpha of 1."""
    return [*value, 1.0] if value is not None and len(value) == 3 else value


class MaterialCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=120, description="SCHAEFFLER_<6 digits>_<Name>")
    description: str = Field(default="", max_length=2000)
    base_color: list[Unit] = Field(min_length=3, max_length=4, description="RGB or RGBA, 0..1")
    metallic: Unit = 0.0
    roughness: Unit = 0.5
    params: MaterialParams = Field(default_factory=MaterialParams)
    # Global admins name the tenant; everyone else works in their own.
    tenant_id: uuid.UUID | None = None

    @field_validator("base_color")
    @classmethod
    def _rgba(cls, value: list[float]) -> list[float] | None:
        return rgba(value)


class MaterialUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    base_color: list[Unit] | None = Field(default=None, min_length=3, max_length=4)
    metallic: Unit | None = None
    roughness: Unit | None = None
    params: MaterialParams | None = None

    @field_validator("base_color")
    @classmethod
    def _rgba(cls, value: list[float] | None) -> list[float] | None:
        return rgba(value)


class MaterialRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    source: MaterialSource
    description: str
    base_color: list[float]
    metallic: float
    roughness: float
    params: dict[str, float]
    id: uuid.UUID | None = None  # tenant materials only
    created_at: datetime | None = None
    updated_at: datetime | None = None


class AliasCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(min_length=1, max_length=255)
    kind: AliasKind = AliasKind.EXACT
    material: str = Field(min_length=1, max_length=120)
    priority: int = Field(default=0, ge=-10_000, le=10_000, description="higher wins")
    tenant_id: uuid.UUID | None = None


class AliasUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str | None = Field(default=None, min_length=1, max_length=255)
    kind: AliasKind | None = None
    material: str | None = Field(default=None, min_length=1, max_length=120)
    priority: int | None = Field(default=None, ge=-10_000, le=10_000)


class AliasRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    pattern: str
    kind: AliasKind
    material: str
    priority: int
    is_default: bool
    created_at: datetime
    updated_at: datetime


class AliasCandidate(BaseModel):
    """An alias that is not saved yet: the preview shows what it would change."""

    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(min_length=1, max_length=255)
    kind: AliasKind = AliasKind.EXACT
    material: str = Field(min_length=1, max_length=120)
    priority: int = Field(default=0, ge=-10_000, le=10_000, description="higher wins")


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parts: list[PartName] = Field(min_length=1, max_length=10_000)
    tenant_id: uuid.UUID | None = None
    candidate: AliasCandidate | None = Field(
        default=None,
        description="resolve as if this alias were saved too, and list the tenant's CAD files whose "
        "parts it would give another material (`impact`)",
    )


class PreviewItem(BaseModel):
    part: str
    material: str
    reason: Literal["exact", "alias", "pattern", "cad_colour", "fallback"]
    pattern: str | None
    log_line: str
    before: str | None = Field(
        default=None, description="with a candidate: the material the part gets without it"
    )


class ImpactPart(BaseModel):
    name: str
    before: str
    after: str
    files: int = Field(description="CAD files of the tenant with a part of this name")


class ImpactFile(BaseModel):
    id: uuid.UUID
    name: str
    parts: list[str] = Field(description="the names of its parts that would change material")


class AliasImpact(BaseModel):
    """What saving the candidate would change across the tenant's CAD files (after reprocessing)."""

    parts: list[ImpactPart]
    files: list[ImpactFile] = Field(description=f"the first {IMPACT_FILES} files, newest first")
    files_total: int


class PreviewResult(BaseModel):
    fallback_material: str
    results: list[PreviewItem]
    impact: AliasImpact | None = None


class ResetDefaultsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant_id: uuid.UUID | None = None
    remove_custom: bool = Field(default=False, description="also delete the tenant's own aliases")


class AliasOrder(BaseModel):
    """The tenant's aliases in the order they should apply, first wins."""

    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(
        max_length=10_000,
        description="every alias id of the tenant, once, in the new order; a list that is not the "
        "tenant's aliases as they are now (one added or deleted meanwhile) is 409 `aliases_changed`",
    )
    tenant_id: uuid.UUID | None = None


class AliasValues(BaseModel):
    material: str
    priority: int


class ResetChange(BaseModel):
    """A default alias the tenant changed, and what reset-defaults gives it back."""

    alias: AliasRead
    after: AliasValues


class ResetDefaultsPreview(BaseModel):
    """What ``POST /reset-defaults`` with the same body would do; nothing is changed."""

    removed: list[AliasRead] = Field(
        description="aliases it deletes (the tenant's own with remove_custom, defaults no longer shipped)"
    )
    restored: list[ResetChange] = Field(description="changed defaults that get their shipped values back")
    added: list[AliasCandidate] = Field(description="defaults the tenant deleted, added again")
    unchanged: int = Field(description="aliases that stay as they are")

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from automat.kit.pagination import Page
from automat.models.product import ImportRowStatus

PimId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Key = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Overrides = dict[
    Annotated[str, StringConstraints(min_length=1, max_length=255)], Annotated[str, Field(max_length=120)]
]


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pim_id: PimId
    name: Name
    category_key: Key | None = None
    lagertyp: Key | None = Field(default=None, description="bearing type")
    attributes: dict[str, Any] = Field(default_factory=dict)
    cad_file_id: uuid.UUID | None = None
    material_overrides: Overrides = Field(default_factory=dict, description="part name -> material name")
    # Global admins name the tenant; everyone else works in their own.
    tenant_id: uuid.UUID | None = None


class ProductUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pim_id: PimId | None = None
    name: Name | None = None
    category_key: Key | None = None
    lagertyp: Key | None = None
    attributes: dict[str, Any] | None = None
    cad_file_id: uuid.UUID | None = None
    material_overrides: Overrides | None = None


class CadFileBrief(BaseModel):
    """The CAD file a product is linked to, as far as lists need it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    original_name: str
    status: str
    error: str | None


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    pim_id: str
    name: str
    category_key: str | None
    lagertyp: str | None
    attributes: dict[str, Any]
    cad_file_id: uuid.UUID | None
    cad_file: CadFileBrief | None = None
    cad_file_name: str | None = Field(
        default=None, description="the CAD file name its last import gave (linked once a file of it is ready)"
    )
    waiting_for_cad_file: str | None = Field(
        default=None, description="the CAD file name it waits for: named by its import, not uploaded yet"
    )
    material_overrides: dict[str, str]
    created_at: datetime
    updated_at: datetime


class ProductPage(Page[ProductRead]):
    """A page of products (by PIM id, or search matches first by how well they match)."""

    total_is_estimate: bool = Field(
        default=False,
        description="true: `total` is an estimate (a broad word search, counted on a sample); "
        "the last page counts exactly",
    )


class ImportLogEntry(BaseModel):
    """What became of one data row of the workbook."""

    model_config = ConfigDict(from_attributes=True)

    row: int = Field(description="spreadsheet row number (the header is usually row 1)")
    status: ImportRowStatus
    pim_id: str | None = None
    reason: str | None = None


class ImportLogPage(Page[ImportLogEntry]):
    """A page of an import's row log, in row order."""


class ImportRowCounts(BaseModel):
    """Rows of the log per status. Rows with a warning were stored: the import's ``imported`` and
    ``updated`` counts include them."""

    imported: int = 0
    updated: int = 0
    warning: int = 0
    skipped: int = 0


class ProductImportSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    original_name: str
    status: str
    imported: int
    updated: int
    skipped: int
    row_counts: ImportRowCounts
    column_mapping: dict[str, Any]
    error: str | None
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportPage(Page[ProductImportSummary]):
    """A page of the tenant's product imports, newest first."""


class ProductImportRead(ProductImportSummary):
    """An import as ``GET /api/imports/{id}`` answers it: status and counts, however many rows it
    had; the row log is paged at ``GET /api/imports/{id}/rows``."""

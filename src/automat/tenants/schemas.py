from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

INT32_MAX = 2**31 - 1  # tenants.config_version is an integer column

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
RenderEngine = Literal["cycles", "eevee"]
ConcurrentRenders = Annotated[int, Field(ge=1, le=256)]
OrderSize = Annotated[int, Field(ge=1, le=100_000)]
UnmatchedPartMaterial = Literal["fallback", "cad_colour"]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
BillingMode = Literal["monthly", "per_order"]
# A float in the JSONB config; billing turns it into a Decimal of two places.
TaxRate = Annotated[float, Field(ge=0, le=100)]
BillingAddress = Annotated[str, Field(max_length=500)]
BILLING_MODE_HELP = (
    "How this tenant's delivered renders are invoiced: 'monthly' (one invoice per calendar month, "
    "UTC, of every line delivered in it) or 'per_order' (one invoice per completed order)."
)
TAX_RATE_HELP = "The tax rate (percent) put on the net total of this tenant's invoices."
DEDICATED_RENDER_HELP = (
    "Send this tenant's renders (order lines, CAD thumbnails of its workflows) to its own queue, "
    "'<tenant-slug>.thumbnail_rendering', which only workers started for it take (automat worker "
    "--queue <tenant-slug>.thumbnail_rendering): a contract customer's own GPU workers. While no "
    "such worker runs, its lines wait and say so."
)
DEDICATED_PROCESSING_HELP = (
    "Send this tenant's processing steps (STEP conversion, checks, deliveries, Excel imports) to its "
    "own queue '<tenant-slug>.step_processing', taken only by workers started for it."
)
BILLING_ADDRESS_HELP = "The address printed under the tenant's name on its invoices (several lines)."
CURRENCY_HELP = "ISO 4217 code of the currency output type prices are in (the order wizard shows it)."
UNMATCHED_PART_MATERIAL_HELP = (
    "What a CAD part that no material alias matches renders in. 'fallback' (default): the fallback "
    "material (magenta), so unmatched parts stand out. 'cad_colour': the colour the STEP file gives "
    "the part, as a plain material (logged '(no match, CAD colour)'); parts without a colour still get "
    "the fallback. For teams whose CAD naming has no alias rules yet. Applies to CAD files processed "
    "(or reprocessed) after the change: thumbnails, order renders, GLB/.blend exports and the CAD "
    "detail's material table."
)


class TenantConfig(BaseModel):
    """Per-tenant limits and preferences, stored as ``tenants.tenant_config`` (JSONB)."""

    model_config = ConfigDict(extra="forbid")

    max_concurrent_renders: ConcurrentRenders = 3
    render_engines_allowed: list[RenderEngine] = Field(default=["cycles"], min_length=1)
    max_order_size: OrderSize = 500
    fallback_material: str = Field(
        default="SCHAEFFLER_059999_FailedMaterial", pattern=r"^SCHAEFFLER_\d{6}_[A-Za-z0-9_-]+$"
    )
    notifications_enabled: bool = True
    invoice_prefix: str = Field(default="INV", pattern=r"^[A-Z0-9-]{1,12}$")
    currency: Currency = Field(default="EUR", description=CURRENCY_HELP)
    unmatched_part_material: UnmatchedPartMaterial = Field(
        default="fallback", description=UNMATCHED_PART_MATERIAL_HELP
    )
    billing_mode: BillingMode = Field(default="monthly", description=BILLING_MODE_HELP)
    tax_rate_percent: TaxRate = Field(default=19.0, description=TAX_RATE_HELP)
    billing_address: BillingAddress = Field(default="", description=BILLING_ADDRESS_HELP)
    dedicated_render_queue: bool = Field(default=False, description=DEDICATED_RENDER_HELP)
    dedicated_processing_queue: bool = Field(default=False, description=DEDICATED_PROCESSING_HELP)


class TenantConfigPatch(BaseModel):
    """A partial change of the config; omitted keys keep their value."""

    model_config = ConfigDict(extra="forbid")

    max_concurrent_renders: ConcurrentRenders | None = None
    render_engines_allowed: list[RenderEngine] | None = None
    max_order_size: OrderSize | None = None
    fallback_material: str | None = None
    notifications_enabled: bool | None = None
    invoice_prefix: str | None = None
    currency: Currency | None = Field(default=None, description=CURRENCY_HELP)
    unmatched_part_material: UnmatchedPartMaterial | None = Field(
        default=None, description=UNMATCHED_PART_MATERIAL_HELP
    )
    billing_mode: BillingMode | None = Field(default=None, description=BILLING_MODE_HELP)
    tax_rate_percent: TaxRate | None = Field(default=None, description=TAX_RATE_HELP)
    billing_address: BillingAddress | None = Field(default=None, description=BILLING_ADDRESS_HELP)
    dedicated_render_queue: bool | None = Field(default=None, description=DEDICATED_RENDER_HELP)
    dedicated_processing_queue: bool | None = Field(default=None, description=DEDICATED_PROCESSING_HELP)


class FirstAdmin(BaseModel):
    """The tenant admin a new tenant starts with; they get a temporary password."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)
    full_name: str = Field(default="", max_length=200)

    @field_validator("email")
    @classmethod
    def _lower(cls, v: str) -> str:
        return v.strip().lower()


class TenantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=SLUG_PATTERN, description="lower-case letters, digits and dashes")
    name: str = Field(min_length=1, max_length=200)
    tenant_config: TenantConfig = Field(default_factory=TenantConfig)
    first_admin: FirstAdmin | None = Field(
        default=None, description="the tenant's first tenant admin (a global admin can add one later)"
    )


class TenantUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    is_active: bool | None = None
    tenant_config: TenantConfigPatch | None = None


class TenantRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    name: str
    is_active: bool
    tenant_config: TenantConfig
    created_at: datetime
    updated_at: datetime


class FirstAdminRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str


class TenantCreated(TenantRead):
    first_admin: FirstAdminRead | None = None
    temporary_password: str | None = Field(
        default=None, description="the first admin's, shown once; they must change it at first login"
    )


class TenantConfigRead(BaseModel):
    """A tenant's config with the version an edit of it must name (``PATCH /api/tenant-config``)."""

    tenant_id: uuid.UUID
    tenant_config: TenantConfig
    version: int = Field(description="raised by one with every change of the config")
    updated_at: datetime


class TenantConfigChange(BaseModel):
    """A partial change of the caller's tenant config, made on top of the version it was read at."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ge=1, le=INT32_MAX, description="the `version` the edit started from; a newer one is 409"
    )
    config: TenantConfigPatch

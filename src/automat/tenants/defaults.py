"""What every new tenant starts with — the same set for a tenant a global admin creates and for
the demo tenants of ``automat seed``, from this one function:

- the default material aliases (``materials``),
- the output types a team orders from the start (thumbnail, stills, turntable, GLB and .blend
  exports), priced, rendering with the built-in workflow of their kind,
- two camera positions of the tenant's own besides the built-in presets (a view from behind and a
  low front view),
- the built-in workflows (CAD processing, product import, one per output kind): they belong to no
  tenant, every tenant reads them, so there is nothing to copy.

``apply`` is sync (the demo seed runs from the CLI); the async tenant service calls it through
``AsyncSession.run_sync``. It is for a tenant that has none of this yet: a second call would
collide with the unique names.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from automat.materials.service import seed_default_aliases_sync
from automat.models.output import OutputKind, OutputType, Position
from automat.models.tenant import Tenant
from automat.output_types import repository as output_types
from automat.output_types.settings import RenderSettings

# (name, kind, price, render settings)
OUTPUT_TYPES: tuple[tuple[str, OutputKind, str, dict[str, Any]], ...] = (
    ("Thumbnail", OutputKind.THUMBNAIL, "0.50", {"width": 256, "height": 256, "format": "png"}),
    ("Still 2048 iso", OutputKind.STILL, "12.00", {"width": 2048, "height": 2048, "position": "iso"}),
    ("Still 1024 front", OutputKind.STILL, "6.00", {"width": 1024, "height": 1024, "position": "front"}),
    (
        "Turntable 36 frames",
        OutputKind.TURNTABLE,
        "35.00",
        {"width": 1024, "height": 1024, "frames": 36, "fps": 24, "format": "mp4"},
    ),
    ("Production GLB", OutputKind.GLB, "8.00", {}),
    ("Blender scene", OutputKind.BLEND, "15.00", {}),
)
# (name, azimuth, elevation) in degrees, as the positions API takes them.
POSITIONS: tuple[tuple[str, float, float], ...] = (
    ("rear_iso", 225.0, 35.264),
    ("front_low", 0.0, 10.0),
)


def apply(session: Session, tenant: Tenant) -> None:
    """Give ``tenant`` (flushed, so it has an id) the default aliases, output types and positions."""
    seed_default_aliases_sync(session, tenant.id)
    output_types.add_output_types_sync(
        session,
        [
            OutputType(
                tenant_id=tenant.id,
                name=name,
                kind=kind.value,
                render_settings=RenderSettings.model_validate(settings).for_kind(kind).model_dump(),
                price=Decimal(price),
            )
            for name, kind, price, settings in OUTPUT_TYPES
        ],
    )
    output_types.add_positions_sync(
        session,
        [
            Position(tenant_id=tenant.id, name=name, azimuth_deg=azimuth, elevation_deg=elevation)
            for name, azimuth, elevation in POSITIONS
        ],
    )

"""A CAD file's parts get their materials: by the tenant's aliases as they are now.

The processing workflow's ``auto_materials`` step calls it after the conversion; the thumbnail-only
path (``thumbnail.render_thumbnail``, used by the "regenerate thumbnails" admin action) calls it
before it renders, so a thumbnail rendered again shows the aliases saved since, without converting
the STEP file again.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from automat.cad import repository
from automat.materials.resolve import Resolution, part_colours, resolve_for_tenant
from automat.models.cad import CadFile


def assign(session: Session, cad: CadFile) -> dict[str, Resolution]:
    """Resolve every part's material and store it with its reason; the resolutions by part name."""
    parts = repository.part_names(session, cad.id)
    names, colours = [p.name for p in parts], part_colours(parts)
    resolved = resolve_for_tenant(session, cad.tenant_id, names, colours=colours)
    for part in parts:
        resolution = resolved[part.name]
        part.material = resolution.material
        part.material_reason = resolution.reason
    return resolved

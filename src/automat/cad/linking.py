"""Products and CAD files find each other in either order.

An import keeps the CAD file name a row gives (``products.cad_file_name`` and its match key
``cad_file_key``, see ``cad.names``) whether or not a file of that name exists yet. When a CAD
file becomes ready, ``link_waiting_products`` links every product of the tenant whose key is the
file's, in the transaction that marks the file ready (the tenant's session, under RLS):

- a product without a link gets this file;
- a product linked to another file takes this one over when that file is not ready (failed, still
  processing) or was uploaded before this one: a newer ready version of a name takes over, and an
  older one that is processed again does not take it back;
- a product linked to this file already is left alone.

Each change is one ``product.cad_linked`` entry of the audit trail (the product's history), with
the file linked before, in the same statement; no person did it, so its ``actor_role`` is
``system`` ("by Automat"). A link chosen by hand (``PATCH /api/products/{id}``) writes the same
entry with the user as its actor (``products.service``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from automat.cad.names import cad_key
from automat.models.audit import SYSTEM_ROLE
from automat.models.cad import CadFile

_LINK = text(
    """
    WITH linked AS (
        UPDATE products AS p SET cad_file_id = :cad_id, updated_at = now()
        FROM products AS old LEFT JOIN cad_files AS cur ON cur.id = old.cad_file_id
        WHERE old.id = p.id AND p.tenant_id = :tenant_id AND p.cad_file_key = :key
          AND p.cad_file_id IS DISTINCT FROM :cad_id
          AND (cur.id IS NULL OR cur.status <> 'ready' OR cur.created_at < :created_at)
        RETURNING p.id, p.pim_id, old.cad_file_id AS previous
    ), logged AS (
        INSERT INTO audit_log (tenant_id, channel, actor_role, action, target_type, target_id, detail)
        SELECT :tenant_id, 'activity', :system, 'product.cad_linked', 'product', linked.id::text,
               jsonb_build_object(
                   'pim_id', linked.pim_id,
                   'cad_file_id', CAST(:cad_id AS text),
                   'cad_file_name', CAST(:name AS text),
                   'previous_cad_file_id', linked.previous,
                   'reason', CASE WHEN linked.previous IS NULL THEN 'cad_file_ready' ELSE 'newer_version' END
               )
        FROM linked
    )
    SELECT pim_id, previous FROM linked ORDER BY pim_id
    """
)


@dataclass(frozen=True)
class Linked:
    """What ``link_waiting_products`` changed: PIM ids newly linked, and those taken over from
    another file."""

    linked: list[str]
    taken_over: list[str]


def link_waiting_products(session: Session, cad: CadFile) -> Linked:
    """Link the tenant's products waiting for ``cad``'s name (or holding an older version) to it."""
    rows = session.execute(
        _LINK,
        {
            "cad_id": cad.id,
            "tenant_id": cad.tenant_id,
            "key": cad_key(cad.original_name),
            "created_at": cad.created_at,
            "name": cad.original_name,
            "system": SYSTEM_ROLE,
        },
    ).all()
    return Linked(
        linked=[pim for pim, previous in rows if previous is None],
        taken_over=[pim for pim, previous in rows if previous is not None],
    )

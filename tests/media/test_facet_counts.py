"""GET /api/media/facets from media_facet_counts (migration 0016): the counts the triggers keep
follow every insert, copy update (a line's status, a product's category) and delete, for a
project manager and for a client, and equal what grouping the assets themselves gives."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from automat.core.db import SyncDatabase
from automat.models.media import MediaAsset
from automat.models.order import OrderLine
from automat.models.product import Product
from automat.models.user import Role
from tests.media.conftest import make_line, publish, write_png
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]
FACETS = {"asset_type": "kind", "category_key": "category_key", "lagertyp": "lagertyp",
          "render_status": "render_status"}  # fmt: skip


def _truth(db: SyncDatabase, tenant: MadeTenant, ordered_by: uuid.UUID | None = None) -> dict[str, Any]:
    """Each facet's counts grouped from the assets themselves (no other filter)."""
    out: dict[str, Any] = {}
    with db.session(tenant.id) as session:
        for facet, column in FACETS.items():
            col = getattr(MediaAsset, column)
            stmt = select(col, func.count()).where(MediaAsset.tenant_id == tenant.id, col.is_not(None))
            if ordered_by is not None:
                stmt = stmt.where(MediaAsset.ordered_by == ordered_by)
            out[facet] = sorted((v, n) for v, n in session.execute(stmt.group_by(col)).all())
    return out


def _served(client: TestClient, party: Party, **params: Any) -> dict[str, Any]:
    body = client.get("/api/media/facets", params=params, headers=party.headers).json()
    return {facet: sorted((c["value"], c["count"]) for c in body[facet]) for facet in FACETS}


def test_facet_counts_follow_inserts_copies_and_deletes(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, as_role: AsRole, tmp_path: Path
) -> None:
    pm, customer = as_role(tenant, Role.PROJECT_MANAGER), as_role(tenant, Role.CLIENT)
    lines = [make_line(app_db, tenant=tenant, created_by=who) for who in (pm.user.id, pm.user.id,
                                                                           customer.user.id)]  # fmt: skip
    assets = [
        publish(app_db, tenant, line, write_png(tmp_path / f"{i}-{k}.png"), kind=k, role=k)
        for i, line in enumerate(lines)
        for k in ("still", "turntable")
    ]
    with app_db.session(tenant.id) as session:
        first = update(Product).where(Product.id == lines[0].product_id)
        session.execute(first.values(category_key="bearings", lagertyp="Palette"))
    assert _served(client, pm) == _truth(app_db, tenant)
    assert _served(client, customer) == _truth(app_db, tenant, customer.user.id)
    assert dict(_served(client, pm)["asset_type"]) == {"still": 3, "turntable": 3}

    with app_db.session(tenant.id) as session:  # copies change: a status, a category
        session.execute(
            update(OrderLine).where(OrderLine.id == lines[1].line_id).values(render_status="failed")
        )
        session.execute(update(Product).where(Product.id == lines[0].product_id).values(category_key="seals"))
    assert client.delete(f"/api/media/assets/{assets[-1].id}", headers=pm.headers).status_code == 204
    served = _served(client, pm)
    assert served == _truth(app_db, tenant)
    assert dict(served["render_status"]) == {"failed": 2, "running": 3}
    assert dict(served["category_key"])["seals"] == 2
    assert "bearings" not in dict(served["category_key"])
    assert _served(client, customer) == _truth(app_db, tenant, customer.user.id)
    # Another facet's filter narrows the counts, the facet's own does not.
    narrowed = _served(client, pm, asset_type="still")
    assert dict(narrowed["render_status"]) == {"failed": 1, "running": 2}
    assert dict(narrowed["asset_type"]) == {"still": 3, "turntable": 2}

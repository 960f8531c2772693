"""GET /api/media/facets from media_facet_counts (migration 0016): the counts the triggers keep
follow every insert, copy update (a line's status, a product's category) and delete, for a
project manager and for a client, and equal what grouping the assets themselves gives."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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
    return _truth_between(db, tenant, None, None, ordered_by)


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


def _truth_between(
    db: SyncDatabase, tenant: MadeTenant, since: datetime | None, until: datetime | None,
    ordered_by: uuid.UUID | None = None, kind: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Each facet's counts grouped from the assets created in [since, until) (and of ``kind``, for the
    facets other than the type)."""
    out: dict[str, Any] = {}
    with db.session(tenant.id) as session:
        for facet, column in FACETS.items():
            col = getattr(MediaAsset, column)
            stmt = select(col, func.count()).where(MediaAsset.tenant_id == tenant.id, col.is_not(None))
            if since is not None:
                stmt = stmt.where(MediaAsset.created_at >= since)
            if until is not None:
                stmt = stmt.where(MediaAsset.created_at < until)
            if ordered_by is not None:
                stmt = stmt.where(MediaAsset.ordered_by == ordered_by)
            if kind is not None and facet != "asset_type":
                stmt = stmt.where(MediaAsset.kind == kind)
            out[facet] = sorted((v, n) for v, n in session.execute(stmt.group_by(col)).all())
    return out


def test_date_ranged_facets_sum_whole_days_and_count_the_partial_ones(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, as_role: AsRole, tmp_path: Path
) -> None:
    """A date range's facets (media_facet_days, migration 0035: whole UTC days summed, the assets of
    the partial days at its ends counted) equal the assets' own counts for ranges on and off
    midnight, within one day, open at either end or empty, for a project manager and a client,
    after the assets' dates, copies and rows change."""
    pm, customer = as_role(tenant, Role.PROJECT_MANAGER), as_role(tenant, Role.CLIENT)
    lines = [make_line(app_db, tenant=tenant, created_by=who) for who in (pm.user.id, pm.user.id,
                                                                           customer.user.id)]  # fmt: skip
    assets = [
        publish(app_db, tenant, line, write_png(tmp_path / f"{i}-{k}.png"), kind=k, role=k)
        for i, line in enumerate(lines)
        for k in ("still", "turntable", "thumbnail")
    ]
    day = datetime(2026, 11, 2, tzinfo=UTC)
    # Nine assets over four days: some at midnight, some late in a day.
    offsets = [timedelta(hours=h) for h in (0, 5, 23.5, 24, 30, 47.99, 48, 60, 80)]
    with app_db.session(tenant.id) as session:
        for asset, offset in zip(assets, offsets, strict=True):
            session.execute(
                update(MediaAsset).where(MediaAsset.id == asset.id).values(created_at=day + offset)
            )
        session.execute(
            update(Product).where(Product.id == lines[0].product_id).values(category_key="bearings")
        )
    ranges = [
        (day, day + timedelta(days=4)),  # whole days only
        (day + timedelta(hours=3), day + timedelta(hours=50)),  # partial days at both ends
        (day + timedelta(hours=1), day + timedelta(hours=23)),  # within one day
        (day + timedelta(hours=30), None),  # open end
        (None, day + timedelta(hours=47.995)),  # open start, just after an asset
        (day + timedelta(hours=10), day + timedelta(hours=5)),  # empty
        (day + timedelta(hours=24), day + timedelta(hours=48)),  # one whole day, on midnight
    ]

    def check() -> None:
        for since, until in ranges:
            params = {k: v.isoformat() for k, v in (("created_from", since), ("created_to", until)) if v}
            assert _served(client, pm, **params) == _truth_between(app_db, tenant, since, until), params
            assert _served(client, customer, **params) == _truth_between(
                app_db, tenant, since, until, customer.user.id
            ), params
            narrowed = _served(client, pm, asset_type="still", **params)
            assert narrowed == _truth_between(app_db, tenant, since, until, kind="still"), params

    check()
    assert dict(_served(client, pm, created_from=day.isoformat())["asset_type"]) == {
        "still": 3, "turntable": 3, "thumbnail": 3,
    }  # fmt: skip
    with app_db.session(tenant.id) as session:  # a date moves to another day, a status changes
        session.execute(
            update(MediaAsset)
            .where(MediaAsset.id == assets[0].id)
            .values(created_at=day + timedelta(hours=70))
        )
        session.execute(
            update(OrderLine).where(OrderLine.id == lines[1].line_id).values(render_status="failed")
        )
    assert client.delete(f"/api/media/assets/{assets[4].id}", headers=pm.headers).status_code == 204
    check()

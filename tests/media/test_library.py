"""The media library: GET /api/media/assets' filters, search, sorts and keyset pages, the capped
total, GET /api/media/facets, and the copies on the asset row following their line and product."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from automat.core.db import SyncDatabase
from automat.media import repository
from automat.models.order import OrderLine
from automat.models.product import Product
from automat.models.user import Role
from tests.media.conftest import MadeLine, make_line, publish, write_png
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


def _line(
    db: SyncDatabase,
    tenant: MadeTenant,
    by: uuid.UUID | None,
    *,
    pim_id: str,
    name: str,
    category: str,
    lagertyp: str,
) -> MadeLine:
    line = make_line(db, tenant=tenant, created_by=by)
    with db.session(tenant.id) as session:  # the product's trigger writes these to its assets
        session.execute(
            update(Product)
            .where(Product.id == line.product_id)
            .values(pim_id=pim_id, name=name, category_key=category, lagertyp=lagertyp)
        )
    return line


def _set_status(db: SyncDatabase, tenant: MadeTenant, line: MadeLine, status: str) -> None:
    with db.session(tenant.id) as session:
        session.execute(update(OrderLine).where(OrderLine.id == line.line_id).values(render_status=status))


def _page(client: TestClient, party: Party, **params: Any) -> dict[str, Any]:
    response = client.get("/api/media/assets", params=params, headers=party.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _ids(client: TestClient, party: Party, **params: Any) -> list[str]:
    return [a["id"] for a in _page(client, party, **params)["items"]]


def test_every_filter_search_and_sort(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    ball = _line(app_db, tenant, pm.user.id, pim_id="81113-TV", name="Rillenkugellager 6204 Edelstahl",
                 category="bearings", lagertyp="Hochregal")  # fmt: skip
    roller = _line(app_db, tenant, pm.user.id, pim_id="NU 2205 E", name="Zylinderrollenlager Stahl",
                   category="bearings", lagertyp="Palette")  # fmt: skip
    seal = _line(app_db, tenant, pm.user.id, pim_id="S-7", name="Wellendichtring", category="seals",
                 lagertyp="Kleinteile")  # fmt: skip
    still = publish(app_db, tenant, ball, write_png(tmp_path / "a.png"))
    turntable = publish(
        app_db, tenant, ball, write_png(tmp_path / "b.png"), kind="turntable", role="turntable"
    )
    roller_still = publish(app_db, tenant, roller, write_png(tmp_path / "c.png"))
    seal_glb = publish(app_db, tenant, seal, write_png(tmp_path / "d.png"), kind="glb")
    _set_status(app_db, tenant, roller, "failed")
    newest = [str(a.id) for a in (seal_glb, roller_still, turntable, still)]

    first = _page(client, pm)
    assert [a["id"] for a in first["items"]] == newest
    assert (first["total"], first["total_is_estimate"], first["next_cursor"]) == (4, False, None)
    item = first["items"][-1]
    assert (item["product_name"], item["pim_id"], item["category_key"], item["lagertyp"]) == (
        "Rillenkugellager 6204 Edelstahl", "81113-TV", "bearings", "Hochregal",
    )  # fmt: skip
    assert item["render_status"] == "running" and item["order_number"].startswith("ORD")
    assert (item["width"], item["height"]) == (64, 48)
    assert item["thumbnail_url"] == f"/api/media/assets/{still.id}/thumbnail"

    assert _ids(client, pm, sort="oldest") == newest[::-1]
    by_name = _ids(client, pm, sort="name")  # Rillen… (2), Wellen…, Zylinder…
    assert by_name[2:] == [str(seal_glb.id), str(roller_still.id)]
    assert set(by_name[:2]) == {str(still.id), str(turntable.id)}

    assert _ids(client, pm, asset_type="turntable") == [str(turntable.id)]
    assert _ids(client, pm, asset_type=["turntable", "glb"]) == [str(seal_glb.id), str(turntable.id)]
    assert _ids(client, pm, category_key="seals") == [str(seal_glb.id)]
    assert _ids(client, pm, lagertyp="Palette") == [str(roller_still.id)]
    assert _ids(client, pm, render_status="failed") == [str(roller_still.id)]
    assert _ids(client, pm, product_id=str(ball.product_id)) == [str(turntable.id), str(still.id)]
    assert _ids(client, pm, order_id=str(seal.order_id)) == [str(seal_glb.id)]
    assert _ids(client, pm, category_key="bearings", asset_type="still") == [
        str(roller_still.id),
        str(still.id),
    ]
    created = {a["id"]: a["created_at"] for a in first["items"]}
    assert _ids(client, pm, created_from=created[str(roller_still.id)]) == newest[:2]
    assert _ids(client, pm, created_to=created[str(roller_still.id)]) == newest[2:]

    ball_ids = {str(still.id), str(turntable.id)}
    for typed in ("811", "81113", "81113-TV", "81113 tv", "81113TV", "81113_tv", "rillen", "edelstahl 6204"):
        assert set(_ids(client, pm, q=typed)) == ball_ids, typed
    assert _ids(client, pm, q="nu2205") == [str(roller_still.id)]
    assert _ids(client, pm, q="wellen", asset_type="glb") == [str(seal_glb.id)]
    assert _ids(client, pm, q="wellen", asset_type="still") == []
    assert _page(client, pm, q="Vierpunktlager")["total"] == 0

    facets = client.get("/api/media/facets", params={"category_key": "bearings"}, headers=pm.headers).json()
    assert {f["value"]: f["count"] for f in facets["asset_type"]} == {"still": 2, "turntable": 1}
    assert {f["value"]: f["count"] for f in facets["category_key"]} == {"bearings": 3, "seals": 1}
    assert {f["value"]: f["count"] for f in facets["render_status"]} == {"running": 2, "failed": 1}
    searched = client.get("/api/media/facets", params={"q": "81113-tv"}, headers=pm.headers).json()
    assert {f["value"]: f["count"] for f in searched["lagertyp"]} == {"Hochregal": 2}

    bad = client.get("/api/media/assets", params={"cursor": "bm90LWEta2V5"}, headers=pm.headers)
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_cursor")
    assert client.get("/api/media/assets", params={"page_size": 201}, headers=pm.headers).status_code == 422


def test_copies_follow_the_line_and_the_product(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    line = _line(app_db, tenant, pm.user.id, pim_id="P-1", name="Alt", category="a", lagertyp="x")
    asset = publish(app_db, tenant, line, write_png(tmp_path / "a.png"))
    _set_status(app_db, tenant, line, "completed")
    with app_db.session(tenant.id) as session:
        session.execute(
            update(Product)
            .where(Product.id == line.product_id)
            .values(name="Neu", pim_id="Q-77", lagertyp="y")
        )
    item = _page(client, pm, q="q77")["items"][0]
    assert item["id"] == str(asset.id)
    assert (item["product_name"], item["pim_id"], item["lagertyp"], item["render_status"]) == (
        "Neu", "Q-77", "y", "completed",
    )  # fmt: skip
    assert _page(client, pm, q="alt")["items"] == []
    assert _ids(client, pm, render_status="completed") == [str(asset.id)]


def test_the_cursor_never_repeats_or_skips_under_concurrent_inserts(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    line = make_line(app_db, tenant=tenant, created_by=pm.user.id)
    before = [
        publish(app_db, tenant, line, write_png(tmp_path / f"{i}.png"), role=f"r{i}").id for i in range(7)
    ]
    for sort in ("newest", "oldest", "name"):
        seen: list[str] = []
        page = _page(client, pm, page_size=3, sort=sort)
        while True:
            seen += [a["id"] for a in page["items"]]
            # Others publish while the user pages: the pages already read are not shifted.
            publish(app_db, tenant, line, write_png(tmp_path / "n.png"), role=f"new-{uuid.uuid4().hex}")
            if page["next_cursor"] is None:
                break
            page = _page(client, pm, page_size=3, sort=sort, cursor=page["next_cursor"])
        assert len(seen) == len(set(seen)), sort
        assert {str(i) for i in before} <= set(seen), sort
        if sort == "newest":  # newer inserts sort before the cursor: none of them shows up
            assert seen == [str(i) for i in reversed(before)]


def test_the_total_is_capped(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    pm: Party,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line = _line(app_db, tenant, pm.user.id, pim_id="C-1", name="Kappe", category="c", lagertyp="l")
    for i in range(5):
        publish(app_db, tenant, line, write_png(tmp_path / f"{i}.png"), role=f"r{i}")
    monkeypatch.setattr(repository, "COUNT_CAP", 3)
    page = _page(client, pm, page_size=2)
    assert (page["total"], page["total_is_estimate"], len(page["items"])) == (3, True, 2)
    searched = _page(client, pm, q="kappe", page_size=10)
    assert (searched["total"], searched["total_is_estimate"], len(searched["items"])) == (3, True, 5)
    capped = [{"value": "still", "count": 3, "is_estimate": True}]
    # From the facet counts table, and counted on the assets (a date or a search is not in it).
    for params in ({}, {"created_from": "2000-01-01T00:00:00Z"}, {"q": "kappe"}):
        facets = client.get("/api/media/facets", params=params, headers=pm.headers).json()
        assert facets["asset_type"] == capped, params
        assert facets["category_key"] == [{"value": "c", "count": 3, "is_estimate": True}], params
    monkeypatch.setattr(repository, "COUNT_CAP", 10)
    grouped = client.get("/api/media/facets", params={"q": "kappe"}, headers=pm.headers).json()
    assert grouped["lagertyp"] == [{"value": "l", "count": 5, "is_estimate": False}]
    assert (_page(client, pm)["total"], _page(client, pm)["total_is_estimate"]) == (5, False)


def test_clients_and_tenants_see_only_their_media(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    pm: Party,
    as_role: AsRole,
    tmp_path: Path,
) -> None:
    me, other = as_role(tenant, Role.CLIENT), as_role(tenant, Role.CLIENT)
    mine = _line(app_db, tenant, me.user.id, pim_id="M-1", name="Gemeinsam", category="c", lagertyp="l")
    theirs = _line(app_db, tenant, other.user.id, pim_id="M-2", name="Gemeinsam", category="c", lagertyp="l")
    my_asset = publish(app_db, tenant, mine, write_png(tmp_path / "m.png"))
    publish(app_db, tenant, theirs, write_png(tmp_path / "t.png"))
    foreign = _line(app_db, other_tenant, None, pim_id="M-3", name="Gemeinsam", category="c", lagertyp="l")
    publish(app_db, other_tenant, foreign, write_png(tmp_path / "f.png"))

    for params in ({}, {"q": "gemeinsam"}, {"q": "m"}, {"category_key": "c"}, {"sort": "name"}):
        assert _ids(client, me, **params) == [str(my_asset.id)], params
        assert len(_ids(client, pm, **params)) == 2, params
    facets = client.get("/api/media/facets", headers=me.headers).json()
    assert facets["asset_type"] == [{"value": "still", "count": 1, "is_estimate": False}]
    admin = as_role(None, Role.GLOBAL_ADMIN)
    assert len(_ids(client, admin, q="gemeinsam")) == 3
    assert len(_ids(client, admin, q="gemeinsam", tenant_id=str(other_tenant.id))) == 1

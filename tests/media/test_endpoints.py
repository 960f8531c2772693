"""/api/media/assets: listing, filters, pages, downloads, deletion, and who sees what."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.models.output import OutputKind
from automat.models.user import Role
from tests.media.conftest import MadeLine, make_line, publish, write_mp4, write_png
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


@pytest.fixture
def client_user(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.CLIENT)


def test_download_headers_and_inline(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    line = make_line(app_db, tenant=tenant, created_by=pm.user.id)
    source = write_png(tmp_path / "render.png")
    body = source.read_bytes()
    asset = publish(app_db, tenant, line, source, file_name='../Bild "ä".png')

    got = client.get(f"/api/media/assets/{asset.id}", headers=pm.headers)
    assert got.status_code == 200, got.text
    read = got.json()
    assert (read["width"], read["height"], read["content_type"]) == (64, 48, "image/png")
    assert read["download_url"] == f"/api/media/assets/{asset.id}/download"
    assert "storage_key" not in read

    download = client.get(read["download_url"], headers=pm.headers)
    assert download.status_code == 200
    assert download.content == body
    assert download.headers["content-type"] == "image/png"
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    exact = quote('Bild "ä".png', safe="")
    assert disposition == f"attachment; filename=\"Bild _a_.png\"; filename*=UTF-8''{exact}"
    assert disposition.isascii()

    inline = client.get(read["download_url"], params={"inline": 1}, headers=pm.headers)
    assert inline.headers["content-disposition"].startswith('inline; filename="Bild _a_.png"')

    assert client.get(read["download_url"]).status_code == 401


def test_list_filters_and_pages(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    lines = [make_line(app_db, tenant=tenant, created_by=pm.user.id) for _ in range(3)]
    stills = [publish(app_db, tenant, ln, write_png(tmp_path / f"{i}.png")) for i, ln in enumerate(lines)]
    video = publish(
        app_db, tenant, lines[0], write_mp4(tmp_path / "t.mp4"), kind="turntable", role="turntable"
    )

    def ids(**params: object) -> list[str]:
        response = client.get("/api/media/assets", params=params, headers=pm.headers)
        assert response.status_code == 200, response.text
        return [a["id"] for a in response.json()["items"]]

    newest_first = [str(a.id) for a in (video, *reversed(stills))]
    assert ids() == newest_first
    assert ids(asset_type="turntable") == [str(video.id)]
    assert ids(order_id=lines[0].order_id) == [str(video.id), str(stills[0].id)]
    assert ids(order_line_id=lines[1].line_id) == [str(stills[1].id)]
    assert ids(product_id=lines[2].product_id) == [str(stills[2].id)]

    first = client.get("/api/media/assets", params={"page_size": 2}, headers=pm.headers).json()
    assert [a["id"] for a in first["items"]] == newest_first[:2]
    assert (first["total"], first["total_is_estimate"]) == (4, False)
    rest = client.get(
        "/api/media/assets", params={"page_size": 2, "cursor": first["next_cursor"]}, headers=pm.headers
    ).json()
    assert [a["id"] for a in rest["items"]] == newest_first[2:]
    assert rest["next_cursor"] is None


def test_clients_see_only_their_own_orders_media(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    pm: Party,
    client_user: Party,
    as_role: AsRole,
    tmp_path: Path,
) -> None:
    other_client = as_role(tenant, Role.CLIENT)
    mine: MadeLine = make_line(app_db, tenant=tenant, created_by=client_user.user.id)
    theirs = make_line(app_db, tenant=tenant, created_by=other_client.user.id)
    my_asset = publish(app_db, tenant, mine, write_png(tmp_path / "mine.png"))
    their_asset = publish(app_db, tenant, theirs, write_png(tmp_path / "theirs.png"))
    loose = publish(app_db, tenant, None, write_png(tmp_path / "loose.png"), kind=OutputKind.THUMBNAIL.value)

    listed = client.get("/api/media/assets", headers=client_user.headers).json()["items"]
    assert [a["id"] for a in listed] == [str(my_asset.id)]
    assert (
        client.get(f"/api/media/assets/{my_asset.id}/download", headers=client_user.headers).status_code
        == 200
    )
    for hidden in (their_asset, loose):
        for suffix in ("", "/download"):
            response = client.get(f"/api/media/assets/{hidden.id}{suffix}", headers=client_user.headers)
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"
    # Staff see all of the tenant's media.
    assert len(client.get("/api/media/assets", headers=pm.headers).json()["items"]) == 3


def test_delete_needs_pm_and_removes_the_file(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    pm: Party,
    client_user: Party,
    tmp_path: Path,
) -> None:
    line = make_line(app_db, tenant=tenant, created_by=client_user.user.id)
    asset = publish(app_db, tenant, line, write_png(tmp_path / "x.png"))
    path = default_storage().path(asset.storage_key)

    refused = client.delete(f"/api/media/assets/{asset.id}", headers=client_user.headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "insufficient_role")
    assert path.exists()

    assert client.delete(f"/api/media/assets/{asset.id}", headers=pm.headers).status_code == 204
    assert not path.exists()
    assert not path.parent.exists()
    assert client.get(f"/api/media/assets/{asset.id}", headers=pm.headers).status_code == 404
    assert client.delete(f"/api/media/assets/{asset.id}", headers=pm.headers).status_code == 404
    # The line can be published again after its asset was deleted.
    again = publish(app_db, tenant, line, write_png(tmp_path / "y.png"))
    assert again.id != asset.id


def test_missing_file_is_a_clear_404(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, pm: Party, tmp_path: Path
) -> None:
    asset = publish(app_db, tenant, None, write_png(tmp_path / "gone.png"))
    default_storage().path(asset.storage_key).unlink()
    response = client.get(f"/api/media/assets/{asset.id}/download", headers=pm.headers)
    assert (response.status_code, response.json()["error"]["code"]) == (404, "media_file_missing")

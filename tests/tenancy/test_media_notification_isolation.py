"""Tenant B sees nothing of tenant A's media, notifications, activity or alerts through the API
(404 for A's ids, as for unknown ones), nor downloads A's media in bulk, and a worker scoped to B
cannot publish onto A's line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import ProgrammingError

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.kit.time import utcnow
from automat.media import downloads
from automat.media.service import publish_file_sync
from automat.models.media import MediaDownload
from automat.models.user import Role
from automat.notifications.service import activity_sync, alert_sync, event_visible_to, notify_sync
from tests.media.conftest import make_line, publish, write_png
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


def test_tenant_b_sees_nothing_of_a(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    as_role: AsRole,
    tmp_path: Path,
) -> None:
    a_pm = as_role(tenant, Role.PROJECT_MANAGER)
    line = make_line(app_db, tenant=tenant, created_by=a_pm.user.id)
    asset = publish(app_db, tenant, line, write_png(tmp_path / "a.png"))
    with app_db.session(tenant.id) as session:
        notify_sync(session, tenant_id=tenant.id, action="a.notice", message="A only")
        notify_sync(
            session, tenant_id=tenant.id, action="a.notice", message="A's PM", recipient_id=a_pm.user.id
        )
        activity_sync(
            session, tenant_id=tenant.id, action="a.line", message="A line", target_type="order_line"
        )
        alert_sync(session, tenant_id=tenant.id, action="a.alert", message="A alert")
    a_notes = client.get("/api/notifications", headers=a_pm.headers).json()["items"]
    assert {n["message"] for n in a_notes} == {"A only", "A's PM"}

    for role in (Role.CLIENT, Role.PROJECT_MANAGER, Role.TENANT_ADMIN):
        b = as_role(other_tenant, role)
        assert client.get("/api/media/assets", headers=b.headers).json()["items"] == []
        for suffix in ("", "/download"):
            response = client.get(f"/api/media/assets/{asset.id}{suffix}", headers=b.headers)
            assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
        filtered = client.get("/api/media/assets", params={"order_id": str(line.order_id)}, headers=b.headers)
        assert filtered.json()["items"] == []
        assert client.get("/api/notifications", headers=b.headers).json() == {
            "items": [], "unread_count": 0, "next_cursor": None, "total": 0, "total_is_estimate": False,
        }  # fmt: skip
        for note in a_notes:
            refused = client.post(f"/api/notifications/{note['id']}/read", headers=b.headers)
            assert refused.status_code == 404
        assert client.post("/api/notifications/read-all", headers=b.headers).json()["marked"] == 0
        foreign = {"tenant_id": str(tenant.id)}
        for path in ("/api/media/assets", "/api/media/facets"):  # the library's tenant filter: global admins'
            refused = client.get(path, params=foreign, headers=b.headers)
            assert (refused.status_code, refused.json()["error"]["code"]) == (403, "tenant_not_allowed")
        assert client.get("/api/media/facets", headers=b.headers).json() == {
            "asset_type": [], "category_key": [], "lagertyp": [], "render_status": [],
        }  # fmt: skip
        searched = client.get("/api/media/assets", params={"q": "a", "page_size": 200}, headers=b.headers)
        assert searched.json()["items"] == []
        assert client.get("/api/notifications", params=foreign, headers=b.headers).status_code == 404
        if role is not Role.CLIENT:
            feed = client.get("/api/activity", params={"page_size": 200}, headers=b.headers).json()["items"]
            assert all(e["tenant_id"] == str(other_tenant.id) for e in feed)
            assert "A line" not in {e["message"] for e in feed}
            assert client.get("/api/activity", params=foreign, headers=b.headers).status_code == 404
        if role is Role.TENANT_ADMIN:
            assert client.get("/api/alerts", headers=b.headers).json()["items"] == []
            assert client.get("/api/alerts", params=foreign, headers=b.headers).status_code == 404
        if role is not Role.CLIENT:
            assert client.delete(f"/api/media/assets/{asset.id}", headers=b.headers).status_code == 404

    # A's data is untouched, and A's PM has not been marked read by anyone else.
    assert client.get(f"/api/media/assets/{asset.id}/download", headers=a_pm.headers).status_code == 200
    assert client.get("/api/notifications/unread-count", headers=a_pm.headers).json() == {"unread_count": 2}


def test_worker_of_b_cannot_publish_onto_a_line(
    app_db: SyncDatabase, tenant: MadeTenant, other_tenant: MadeTenant, tmp_path: Path
) -> None:
    """RLS: B's session does not see A's line (its asset is invisible, and the insert under B's
    scope with A's tenant id is refused by the policy)."""
    line = make_line(app_db, tenant=tenant, created_by=None)
    mine = publish(app_db, tenant, line, write_png(tmp_path / "a.png"))
    with (
        pytest.raises(ProgrammingError, match="row-level security"),
        app_db.session(other_tenant.id) as session,
    ):
        publish_file_sync(
            session, tenant_id=tenant.id, order_line_id=line.line_id, product_id=None, cad_file_id=None,
            kind="still", source=write_png(tmp_path / "b.png"), file_name="b.png",
        )  # fmt: skip
    stored = [p for p in default_storage().path(f"tenants/{tenant.id}/media").rglob("*") if p.is_file()]
    assert stored == [default_storage().path(mine.storage_key)]  # B's copy went with the rollback


def test_notification_preferences_and_tenant_defaults_stay_in_their_tenant(
    client: TestClient, tenant: MadeTenant, other_tenant: MadeTenant, as_role: AsRole
) -> None:
    a_admin, b_admin = as_role(tenant, Role.TENANT_ADMIN), as_role(other_tenant, Role.TENANT_ADMIN)
    a_client = as_role(tenant, Role.CLIENT)
    change = {"event_type": "order_completed", "channel": "email", "frequency": "daily"}
    assert (
        client.put(
            "/api/notification-preferences/tenant", json={"items": [change]}, headers=a_admin.headers
        ).status_code
        == 200
    )
    assert (
        client.put(
            "/api/notification-preferences",
            json={"items": [{**change, "frequency": "never"}]},
            headers=a_client.headers,
        ).status_code
        == 200
    )

    b_defaults = client.get("/api/notification-preferences/tenant", headers=b_admin.headers).json()
    assert all(d["frequency"] is None for d in b_defaults)  # A's default is not B's
    probe = client.get(
        "/api/notification-preferences/tenant", params={"tenant_id": str(tenant.id)}, headers=b_admin.headers
    )
    assert probe.status_code == 404
    written = client.put(
        "/api/notification-preferences/tenant",
        params={"tenant_id": str(tenant.id)},
        json={"items": [change]},
        headers=b_admin.headers,
    )
    assert written.status_code == 404
    b_client = as_role(other_tenant, Role.CLIENT)
    mine = {
        (p["event_type"], p["channel"]): p
        for p in client.get("/api/notification-preferences", headers=b_client.headers).json()["items"]
    }
    assert mine[("order_completed", "email")] == {
        **mine[("order_completed", "email")],
        "frequency": "immediate",
        "source": "role",
    }
    a_mine = {
        (p["event_type"], p["channel"]): p
        for p in client.get("/api/notification-preferences", headers=a_client.headers).json()["items"]
    }
    assert (
        a_mine[("order_completed", "email")]["default"] == "daily"
    )  # A's tenant default, under A's own choice
    assert a_mine[("order_completed", "email")]["frequency"] == "never"
    assert client.get("/api/notification-preferences/tenant", headers=a_client.headers).status_code == 403


def test_bulk_downloads_stay_in_their_tenant(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    as_role: AsRole,
    tmp_path: Path,
) -> None:
    """POST /api/media/downloads: B's users get a 404 for one of A's assets (nothing streamed),
    nothing by filters that match A's order, 403 for A's tenant_id; A's worker-built download is
    not B's to follow, its link cannot be turned into B's, and its progress events go to its
    requester only."""
    a_pm = as_role(tenant, Role.PROJECT_MANAGER)
    line = make_line(app_db, tenant=tenant, created_by=a_pm.user.id)
    asset = publish(app_db, tenant, line, write_png(tmp_path / "a.png"))
    with app_db.session(tenant.id) as session:
        download = MediaDownload(
            tenant_id=tenant.id, requested_by=a_pm.user.id, status="ready", asset_ids=[asset.id],
            file_count=1, total_bytes=asset.file_size, archive_bytes=1, bytes_done=1, file_name="media.zip",
            storage_key=f"tenants/{tenant.id}/downloads/x/media.zip",
            expires_at=utcnow() + timedelta(hours=1),
        )  # fmt: skip
        session.add(download)
        session.flush()
        link = downloads.link(download)
    assert link is not None
    by_id = {"asset_ids": [str(asset.id)]}
    for role in (Role.CLIENT, Role.PROJECT_MANAGER, Role.TENANT_ADMIN):
        b = as_role(other_tenant, role)
        refused = client.post("/api/media/downloads", json=by_id, headers=b.headers)
        assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
        assert not refused.content.startswith(b"PK")
        matched = client.post(
            "/api/media/downloads", json={"filters": {"order_id": str(line.order_id)}}, headers=b.headers
        )
        assert (matched.status_code, matched.json()["error"]["code"]) == (422, "nothing_to_download")
        foreign = client.post(
            "/api/media/downloads", params={"tenant_id": str(tenant.id)}, json=by_id, headers=b.headers
        )
        assert (foreign.status_code, foreign.json()["error"]["code"]) == (403, "tenant_not_allowed")
        assert client.get(f"/api/media/downloads/{download.id}", headers=b.headers).status_code == 404
    # The signature covers the tenant: A's link named with B's tenant opens nothing.
    assert client.get(link.replace(str(tenant.id), str(other_tenant.id))).status_code == 404
    # A's own PM gets A's asset.
    own = client.post("/api/media/downloads", json=by_id, headers=a_pm.headers)
    assert own.status_code == 200 and own.content.startswith(b"PK")
    # A download's live progress is for its requester, whatever the other user's role.
    event = {"type": "media_download", "recipient_id": str(a_pm.user.id), "status": "building"}
    assert event_visible_to(event, user_id=a_pm.user.id, role=Role.PROJECT_MANAGER)
    a_admin = as_role(tenant, Role.TENANT_ADMIN)
    assert not event_visible_to(event, user_id=a_admin.user.id, role=Role.TENANT_ADMIN)

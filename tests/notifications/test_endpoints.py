"""/api/notifications, /api/activity and /api/alerts: visibility, read marks, roles, pages."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.user import Role
from tests.notifications.conftest import activity, alert, notify
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]


@pytest.fixture
def staff(as_role: AsRole, tenant: MadeTenant) -> dict[Role, Party]:
    return {role: as_role(tenant, role) for role in (Role.CLIENT, Role.PROJECT_MANAGER, Role.TENANT_ADMIN)}


def messages(client: TestClient, party: Party, **params: Any) -> list[str]:
    response = client.get("/api/notifications", params=params, headers=party.headers)
    assert response.status_code == 200, response.text
    return [item["message"] for item in response.json()["items"]]


def unread(client: TestClient, party: Party) -> int:
    response = client.get("/api/notifications/unread-count", headers=party.headers)
    assert response.status_code == 200, response.text
    count: int = response.json()["unread_count"]
    return count


def test_visibility_by_recipient_and_audience(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, staff: dict[Role, Party], as_role: AsRole
) -> None:
    cl, pm, ta = staff[Role.CLIENT], staff[Role.PROJECT_MANAGER], staff[Role.TENANT_ADMIN]
    other_client = as_role(tenant, Role.CLIENT)
    notify(app_db, tenant, "for everyone")
    notify(app_db, tenant, "for PMs and up", audience=Role.PROJECT_MANAGER)
    notify(app_db, tenant, "for admins", audience=Role.TENANT_ADMIN)
    notify(app_db, tenant, "for the client", recipient_id=cl.user.id)
    notify(app_db, tenant, "for the PM", recipient_id=pm.user.id)

    assert messages(client, cl) == ["for the client", "for everyone"]
    assert messages(client, other_client) == ["for everyone"]
    assert messages(client, pm) == ["for the PM", "for PMs and up", "for everyone"]
    assert messages(client, ta) == ["for admins", "for PMs and up", "for everyone"]
    assert client.get("/api/notifications").status_code == 401


def test_read_marks_and_unread_count(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, staff: dict[Role, Party]
) -> None:
    pm, cl = staff[Role.PROJECT_MANAGER], staff[Role.CLIENT]
    for i in range(3):
        notify(app_db, tenant, f"note {i}", audience=Role.PROJECT_MANAGER)
    secret = notify(app_db, tenant, "only for the client", recipient_id=cl.user.id)
    assert secret
    page = client.get("/api/notifications", headers=pm.headers).json()
    assert page["unread_count"] == unread(client, pm) == 3
    assert [i["read"] for i in page["items"]] == [False, False, False]
    newest = page["items"][0]["id"]

    marked = client.post(f"/api/notifications/{newest}/read", headers=pm.headers)
    assert marked.status_code == 200, marked.text
    assert (marked.json()["read"], marked.json()["message"]) == (True, "note 2")
    read_at = marked.json()["read_at"]
    again = client.post(f"/api/notifications/{newest}/read", headers=pm.headers)
    assert (again.status_code, again.json()["read_at"]) == (200, read_at)  # idempotent
    assert unread(client, pm) == 2
    assert unread(client, staff[Role.TENANT_ADMIN]) == 3  # read marks are per user

    client_entry = client.get("/api/notifications", headers=cl.headers).json()["items"][0]
    for entry_id in (client_entry["id"], 10**12):  # another user's, and an unknown one
        refused = client.post(f"/api/notifications/{entry_id}/read", headers=pm.headers)
        assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")

    all_read = client.post("/api/notifications/read-all", headers=pm.headers)
    assert all_read.json() == {"marked": 2, "unread_count": 0}
    assert client.post("/api/notifications/read-all", headers=pm.headers).json() == {
        "marked": 0, "unread_count": 0,
    }  # fmt: skip
    assert all(i["read"] for i in client.get("/api/notifications", headers=pm.headers).json()["items"])
    assert unread(client, cl) == 1


def test_notifications_page_by_page(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, staff: dict[Role, Party]
) -> None:
    pm = staff[Role.PROJECT_MANAGER]
    for i in range(5):
        notify(app_db, tenant, f"n{i}")
    first = client.get("/api/notifications", params={"page_size": 2}, headers=pm.headers).json()
    assert [i["message"] for i in first["items"]] == ["n4", "n3"]
    assert first["unread_count"] == 5
    assert (first["total"], first["total_is_estimate"]) == (5, False)
    second = client.get(
        "/api/notifications", params={"page_size": 2, "cursor": first["next_cursor"]}, headers=pm.headers
    ).json()
    assert [i["message"] for i in second["items"]] == ["n2", "n1"]
    last = client.get(
        "/api/notifications", params={"page_size": 2, "cursor": second["next_cursor"]}, headers=pm.headers
    ).json()
    assert ([i["message"] for i in last["items"]], last["next_cursor"]) == (["n0"], None)


def test_activity_is_for_pms_and_above(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, staff: dict[Role, Party]
) -> None:
    line_a, line_b = str(uuid.uuid4()), str(uuid.uuid4())
    activity(app_db, tenant, "line A done", target_type="order_line", target_id=line_a)
    activity(
        app_db, tenant, "line B failed", action="line.failed", target_type="order_line", target_id=line_b
    )
    activity(app_db, tenant, "line A again", target_type="order_line", target_id=line_a)
    notify(app_db, tenant, "not activity")

    refused = client.get("/api/activity", headers=staff[Role.CLIENT].headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "insufficient_role")
    pm = staff[Role.PROJECT_MANAGER]

    def feed(**params: Any) -> list[str]:
        response = client.get("/api/activity", params=params, headers=pm.headers)
        assert response.status_code == 200, response.text
        return [e["message"] for e in response.json()["items"]]

    # The feed also holds the tenant's audit trail (logins, ...); lines are what these tests wrote.
    assert feed(target_type="order_line") == ["line A again", "line B failed", "line A done"]
    assert "not activity" not in feed(page_size=200)
    assert feed(target_type="order_line", target_id=line_a) == ["line A again", "line A done"]
    assert feed(target_type="order") == []
    page = client.get(
        "/api/activity", params={"page_size": 1, "target_type": "order_line"}, headers=pm.headers
    )
    after = page.json()["next_cursor"]
    assert feed(cursor=after, target_type="order_line") == ["line B failed", "line A done"]


def test_alerts_are_for_tenant_admins_and_above(
    client: TestClient,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
    staff: dict[Role, Party],
    as_role: AsRole,
) -> None:
    alert(app_db, tenant, "Stalled render terminated", detail={"minutes": 31})
    alert(app_db, other_tenant, "GPU probe failed")
    for role in (Role.CLIENT, Role.PROJECT_MANAGER):
        refused = client.get("/api/alerts", headers=staff[role].headers)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "insufficient_role")
    mine = client.get("/api/alerts", headers=staff[Role.TENANT_ADMIN].headers).json()["items"]
    assert [(a["message"], a["channel"], a["detail"]["minutes"]) for a in mine] == [
        ("Stalled render terminated", "alert", 31)
    ]
    naming_other = client.get(
        "/api/alerts", params={"tenant_id": str(other_tenant.id)}, headers=staff[Role.TENANT_ADMIN].headers
    )
    assert naming_other.status_code == 404

    admin = as_role(None, Role.GLOBAL_ADMIN)
    one = client.get("/api/alerts", params={"tenant_id": str(other_tenant.id)}, headers=admin.headers).json()
    assert [a["message"] for a in one["items"]] == ["GPU probe failed"]
    everything = client.get("/api/alerts", params={"page_size": 200}, headers=admin.headers).json()["items"]
    assert {"GPU probe failed", "Stalled render terminated"} <= {a["message"] for a in everything}


def test_global_admin_sees_addressed_and_named_tenants_notifications(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, as_role: AsRole
) -> None:
    admin = as_role(None, Role.GLOBAL_ADMIN)
    notify(app_db, tenant, "to the admin", recipient_id=admin.user.id)
    notify(app_db, tenant, "tenant-wide", audience=Role.TENANT_ADMIN)
    assert messages(client, admin) == ["to the admin"]
    assert messages(client, admin, tenant_id=str(tenant.id)) == ["tenant-wide", "to the admin"]
    done = client.post(
        "/api/notifications/read-all", params={"tenant_id": str(tenant.id)}, headers=admin.headers
    )
    assert done.json() == {"marked": 2, "unread_count": 0}

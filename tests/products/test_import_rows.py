"""An import's row log is paged (issue 10 §6): the import answers its summary, however many rows it
had, and ``/rows`` answers pages of at most 200 rows with an opaque cursor and the total."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, text

from automat.core.db import BYPASS, SyncDatabase
from automat.models.product import ImportStatus, ProductImport
from automat.models.tenant import Tenant
from automat.models.user import Role
from automat.products import repository
from tests.products.conftest import AsRole, xlsx
from tests.products.test_import_endpoints import log_rows, run
from tests.support.factories import MadeTenant, make_tenant, make_user
from tests.support.fixtures import Party, login

ROWS = 200_000


@pytest.fixture(scope="module")
def owner(app_db: SyncDatabase) -> MadeTenant:
    return make_tenant(app_db)


@pytest.fixture(scope="module")
def pm(client: TestClient, app_db: SyncDatabase, owner: MadeTenant) -> Party:
    user = make_user(app_db, tenant=owner, role=Role.PROJECT_MANAGER)
    return Party(user, login(client, user))


@pytest.fixture(scope="module")
def big_import(app_db: SyncDatabase, owner: MadeTenant) -> str:
    """A finished import of 200,000 rows (its log written as the import step writes it)."""
    entries = [
        {"row": n, "status": "skipped", "pim_id": None, "reason": "missing pim_id"}
        if n % 1000 == 0
        else {"row": n, "status": "imported", "pim_id": f"P-{n:07d}", "reason": None}
        for n in range(2, ROWS + 2)
    ]
    with app_db.session(owner.id) as session:
        record = ProductImport(
            tenant_id=owner.id, original_name="huge.xlsx", storage_key="k", status=ImportStatus.COMPLETED,
            imported=ROWS - 200, skipped=200, column_mapping={},
            row_counts={"imported": ROWS - 200, "skipped": 200},
        )  # fmt: skip
        session.add(record)
        session.flush()
        started = time.perf_counter()
        repository.replace_import_rows(session, owner.id, record.id, entries)
        assert time.perf_counter() - started < 60
        return str(record.id)


def test_the_summary_of_a_200000_row_import_is_small(client: TestClient, pm: Party, big_import: str) -> None:
    summary = client.get(f"/api/imports/{big_import}", headers=pm.headers)
    assert summary.status_code == 200
    assert len(summary.content) < 2_000  # was 14.3 MB with the log inline
    body = summary.json()
    assert "log" not in body
    assert body["row_counts"] == {"imported": ROWS - 200, "updated": 0, "warning": 0, "skipped": 200}


def test_pages_walk_the_log_in_row_order_with_an_opaque_cursor(
    client: TestClient, pm: Party, big_import: str
) -> None:
    url = f"/api/imports/{big_import}/rows"
    first = client.get(url, params={"page_size": 200}, headers=pm.headers).json()
    assert first["total"] == ROWS
    assert [r["row"] for r in first["items"]] == list(range(2, 202))
    assert first["items"][0] == {"row": 2, "status": "imported", "pim_id": "P-0000002", "reason": None}
    second = client.get(url, params={"page_size": 200, "cursor": first["next_cursor"]}, headers=pm.headers)
    assert [r["row"] for r in second.json()["items"]] == list(range(202, 402))
    assert len(second.content) < 40_000

    skipped = client.get(url, params={"status": "skipped", "page_size": 150}, headers=pm.headers).json()
    assert skipped["total"] == 200
    assert [r["row"] for r in skipped["items"]][:3] == [1000, 2000, 3000]
    rest = client.get(
        url,
        params={"status": "skipped", "page_size": 150, "cursor": skipped["next_cursor"]},
        headers=pm.headers,
    ).json()
    assert len(rest["items"]) == 50
    assert rest["next_cursor"] is None  # the last page
    assert {r["reason"] for r in skipped["items"] + rest["items"]} == {"missing pim_id"}

    assert client.get(url, params={"status": "warning"}, headers=pm.headers).json() == {
        "items": [], "next_cursor": None, "total": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"page_size": 201}, "validation_error"),
        ({"page_size": 0}, "validation_error"),
        ({"status": "lost"}, "validation_error"),
        ({"cursor": "not a cursor!"}, "validation_error"),
        ({"cursor": "WyJ4Il0"}, "invalid_cursor"),  # ["x"]: a cursor, but not of this list
        ({"cursor": "WzkyMjMzNzIwMzY4NTQ3NzU4MDgwXQ"}, "invalid_cursor"),  # [92233720368547758080]
        ({"cursor": "x" * 600}, "validation_error"),
    ],
)
def test_bad_page_requests_are_422(
    client: TestClient, pm: Party, big_import: str, params: dict[str, Any], code: str
) -> None:
    response = client.get(f"/api/imports/{big_import}/rows", params=params, headers=pm.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code


@pytest.mark.usefixtures("celery_worker_process")
def test_an_import_writes_its_rows_and_counts(client: TestClient, pm: Party) -> None:
    sheet = [["pim_id", "name"]] + [[f"A-{n}", f"Bearing {n}"] for n in range(450)] + [["A-7", "again"]]
    done = run(client, pm, xlsx(sheet))
    assert done["row_counts"] == {"imported": 450, "updated": 0, "warning": 0, "skipped": 1}
    rows = log_rows(client, pm, done["id"], page_size=200)
    assert [r["row"] for r in rows] == list(range(2, 453))
    assert rows[-1] == {
        "row": 452,
        "status": "skipped",
        "pim_id": "A-7",
        "reason": "duplicate pim_id (first in row 9)",
    }


def test_only_project_managers_of_the_tenant_read_rows(
    client: TestClient, as_role: AsRole, owner: MadeTenant, other_tenant: MadeTenant, big_import: str
) -> None:
    url = f"/api/imports/{big_import}/rows"
    assert client.get(url, headers=as_role(owner, Role.CLIENT).headers).status_code == 403
    assert client.get(url, headers=as_role(other_tenant, Role.TENANT_ADMIN).headers).status_code == 404
    assert (
        client.get(
            f"/api/imports/{uuid.uuid4()}/rows", headers=as_role(owner, Role.PROJECT_MANAGER).headers
        ).status_code
        == 404
    )


@pytest.mark.usefixtures("celery_worker_process")
def test_deleting_a_tenant_takes_its_import_logs_along(
    client: TestClient, as_role: AsRole, app_db: SyncDatabase, admin_engine: Engine
) -> None:
    # No foreign key carries the cascade (migration 0013): product_imports' delete trigger does.
    doomed = make_tenant(app_db)
    done = run(client, as_role(doomed, Role.PROJECT_MANAGER), xlsx([["pim_id", "name"], ["D-1", "Bearing"]]))
    with admin_engine.connect() as conn:
        count = text("SELECT count(*) FROM product_import_rows WHERE import_id = :i")
        assert conn.execute(count, {"i": done["id"]}).scalar_one() == 1
    with app_db.session(BYPASS) as session:  # as DELETE /api/tenants/{id} does
        session.execute(delete(Tenant).where(Tenant.id == doomed.id))
    with admin_engine.connect() as conn:
        assert conn.execute(count, {"i": done["id"]}).scalar_one() == 0

"""Every list in the one page shape (``kit.pagination``): ``page_size`` and an opaque ``cursor`` in,
``{items, next_cursor, total}`` out, keyset-paged. Per list: walking a list longer than a page
with a small ``page_size`` gives every item once, in the list's order; rows written between two
pages are neither repeated nor make the walk skip one; a tampered or foreign cursor is a 422
``invalid_cursor``.

The rows are written directly with chosen ``created_at`` (pairs sharing an instant, so the id's
tie-break is what orders them) and the lists are checked against the order the rows were given.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.audit import AuditChannel, AuditLog
from automat.models.cad import CadFile
from automat.models.order import Order
from automat.models.product import Product, ProductImport
from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]
BASE = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PAGE = 3
COUNT = 8  # nearly three pages of three


# A row maker: (database, tenant, n, created_at) -> the row's id as the API shows it. ``n`` numbers
# the rows; rows of a list sorted by name (products) take their order from it.
Maker = Callable[[SyncDatabase, MadeTenant, int, datetime], str]


def _add(db: SyncDatabase, tenant: MadeTenant, row: Any) -> str:
    with db.session(tenant.id) as session:
        session.add(row)
        session.flush()
        return str(row.id)


def _order(db: SyncDatabase, tenant: MadeTenant, n: int, at: datetime) -> str:
    status = "submitted" if n % 2 else "draft"
    return _add(
        db,
        tenant,
        Order(tenant_id=tenant.id, number=f"ORD-P-{uuid.uuid4().hex[:8]}", status=status, created_at=at),
    )


def _cad(db: SyncDatabase, tenant: MadeTenant, n: int, at: datetime) -> str:
    return _add(
        db, tenant,
        CadFile(
            tenant_id=tenant.id, original_name=f"{'bearing' if n % 2 else 'housing_bearing'}-{n}.stp",
            sha256=uuid.uuid4().hex, size_bytes=1, storage_key=f"k/{uuid.uuid4()}", status="ready",
            created_at=at,
        ),
    )  # fmt: skip


def _import(db: SyncDatabase, tenant: MadeTenant, n: int, at: datetime) -> str:
    row = ProductImport(
        tenant_id=tenant.id, original_name=f"list-{n}.xlsx", storage_key=f"k/{uuid.uuid4()}",
        status="completed", created_at=at,
    )  # fmt: skip
    return _add(db, tenant, row)


def _entry(channel: AuditChannel, **extra: Any) -> Maker:
    def make(db: SyncDatabase, tenant: MadeTenant, n: int, at: datetime) -> str:
        row = AuditLog(
            tenant_id=tenant.id, channel=channel.value, action="page.test", target_type="page_test",
            target_id=str(n), detail={"message": f"entry {n}"}, created_at=at, **extra,
        )  # fmt: skip
        return _add(db, tenant, row)

    return make


def _product(db: SyncDatabase, tenant: MadeTenant, n: int, at: datetime) -> str:
    return _add(db, tenant, Product(tenant_id=tenant.id, pim_id=f"PG-{n + 100:03d}", name=f"Bearing {n}"))


@dataclass(frozen=True)
class Listing:
    path: str
    role: Role
    make: Maker
    params: dict[str, str]
    # The order: newest first by (created_at, id), or (products) by n.
    by_name: bool = False
    # Only the rows the test made (the audit log also holds the logins of the test's users).
    mine: Callable[[dict[str, Any]], bool] = lambda item: True


LISTS = {
    "orders": Listing("/api/orders", Role.PROJECT_MANAGER, _order, {}),
    "orders by status": Listing("/api/orders", Role.PROJECT_MANAGER, _order, {"status": "draft"}),
    "cad files": Listing("/api/cad-files", Role.PROJECT_MANAGER, _cad, {}),
    "cad files searched": Listing("/api/cad-files", Role.PROJECT_MANAGER, _cad, {"q": "bearing"}),
    "imports": Listing("/api/imports", Role.PROJECT_MANAGER, _import, {}),
    "notifications": Listing(
        "/api/notifications", Role.PROJECT_MANAGER, _entry(AuditChannel.NOTIFICATION), {}
    ),
    "activity": Listing(
        "/api/activity", Role.PROJECT_MANAGER, _entry(AuditChannel.ACTIVITY), {"target_type": "page_test"}
    ),
    "alerts": Listing("/api/alerts", Role.TENANT_ADMIN, _entry(AuditChannel.ALERT), {}),
    "audit": Listing(
        "/api/audit",
        Role.TENANT_ADMIN,
        _entry(AuditChannel.ACTIVITY),
        {},
        mine=lambda i: i["action"] == "page.test",
    ),
    "products": Listing("/api/products", Role.PROJECT_MANAGER, _product, {}, by_name=True),
    "products searched": Listing("/api/products", Role.PROJECT_MANAGER, _product, {"q": "pg"}, by_name=True),
}


def _at(n: int) -> datetime:
    return BASE - timedelta(minutes=n // 2)  # pairs share an instant: the id decides between them


def _expected(listing: Listing, made: dict[int, str], params: dict[str, str]) -> list[str]:
    """The made rows the list shows (its filters) in the list's order."""
    ns = list(made)
    if params.get("status") == "draft":
        ns = [n for n in ns if n % 2 == 0]
    if listing.by_name:
        return [made[n] for n in sorted(ns)]
    newest = sorted(ns, key=lambda n: (_at(n), _id_key(made[n])), reverse=True)
    if listing.path == "/api/cad-files" and params.get("q"):
        # Names starting with the search first ("bearing-1"), then those containing it.
        newest = [n for n in newest if n % 2] + [n for n in newest if n % 2 == 0]
    return [made[n] for n in newest]


def _id_key(value: str) -> Any:
    return int(value) if value.isdigit() else uuid.UUID(value)


def _get(client: TestClient, party: Party, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params, headers=party.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) >= {"items", "next_cursor", "total"}
    return body


def _walk(
    client: TestClient, party: Party, listing: Listing, between: Callable[[], None] | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Every page of the list (``between`` runs after the first), the ids in order and the pages."""
    ids: list[str] = []
    pages = []
    cursor = None
    while True:
        params = {**listing.params, "page_size": PAGE, **({"cursor": cursor} if cursor else {})}
        page = _get(client, party, listing.path, **params)
        assert len(page["items"]) <= PAGE
        pages.append(page)
        ids += [str(item["id"]) for item in page["items"] if listing.mine(item)]
        if (cursor := page["next_cursor"]) is None:
            return ids, pages
        if between is not None and len(pages) == 1:
            between()
        assert len(pages) < 50, "the walk does not end"


@pytest.mark.parametrize("name", list(LISTS))
def test_walking_a_list_gives_every_item_once_in_order(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, as_role: AsRole, name: str
) -> None:
    listing = LISTS[name]
    party = as_role(tenant, listing.role)
    made = {n: listing.make(app_db, tenant, n, _at(n)) for n in (5, 2, 7, 0, 3, 6, 1, 4)}  # any order
    expected = _expected(listing, made, listing.params)
    ids, pages = _walk(client, party, listing)
    mine = [i for i in ids if i in set(made.values())]
    assert mine == expected
    assert len(ids) == len(set(ids))  # no item twice, of those made here or others
    assert len(pages) > 1  # more than one page was walked
    assert all(page["total"] == pages[0]["total"] for page in pages)
    assert pages[0]["total"] >= len(expected)
    assert pages[-1]["next_cursor"] is None


@pytest.mark.parametrize("name", list(LISTS))
def test_rows_written_between_pages_are_not_repeated_nor_make_the_walk_skip(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, as_role: AsRole, name: str
) -> None:
    listing = LISTS[name]
    party = as_role(tenant, listing.role)
    made = {n: listing.make(app_db, tenant, n, _at(n)) for n in range(COUNT)}
    expected = _expected(listing, made, listing.params)
    added: dict[int, str] = {}
    # The searched CAD list puts names starting with the search first: odd numbers ("bearing-n").
    before, after = (-1, 99) if listing.params.get("q") == "bearing" else (-2, 98)

    def write() -> None:
        # One row that sorts before the page already read (newer; or a lower number) and one
        # after everything (older; a higher number).
        for n in (before, after):
            added[n] = listing.make(app_db, tenant, n, _at(n))

    ids, _ = _walk(client, party, listing, between=write)
    assert len(ids) == len(set(ids))  # nothing twice
    assert [i for i in ids if i in set(made.values())] == expected  # nothing skipped, same order
    # The one sorting before the cursor is not on a later page; the one after it is (when the
    # list's filters keep it).
    assert added[before] not in ids
    shown = bool(_expected(listing, {after: added[after]}, listing.params))
    assert (added[after] in ids) == shown


@pytest.mark.parametrize(
    "name", ["orders", "cad files", "imports", "notifications", "activity", "alerts", "audit", "products"]
)
def test_a_tampered_or_foreign_cursor_is_a_422(
    client: TestClient, app_db: SyncDatabase, tenant: MadeTenant, as_role: AsRole, name: str
) -> None:
    listing = LISTS[name]
    party = as_role(tenant, listing.role)
    for n in range(PAGE + 1):
        listing.make(app_db, tenant, n, _at(n))
    cursor = _get(client, party, listing.path, **listing.params, page_size=PAGE)["next_cursor"]
    assert cursor
    foreign_list = {"/api/products": '[1,"x",2]'}.get(listing.path, '[0,"p",1]')
    tampered = [
        cursor[:-4],  # cut: no longer the JSON it was
        base64.urlsafe_b64encode(b'["not a date", 1]').decode().rstrip("="),  # wrong types
        base64.urlsafe_b64encode(foreign_list.encode()).decode().rstrip("="),  # another list's shape
        "bm90IGpzb24",  # "not json"
    ]
    for bad in tampered:
        response = client.get(listing.path, params={**listing.params, "cursor": bad}, headers=party.headers)
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["error"]["code"] == "invalid_cursor"
    junk = client.get(listing.path, params={"cursor": "not a cursor!"}, headers=party.headers)
    assert (junk.status_code, junk.json()["error"]["code"]) == (422, "validation_error")


# -- the keyset reads one index range, on the first page and deep in the list ---------------------

ROWS = 3000

# (table, the rows' extra columns and values, the list's filter, the index its order reads, and
# the values of rows the filter leaves out, if any)
PLANS = {
    "orders": (
        "orders",
        "number, status, history, submission_count",
        "'ORD-X-' || g, 'draft', '[]', 0",
        "",
        "ix_orders_tenant_created_id",
    ),
    "orders by status": (
        "orders",
        "number, status, history, submission_count",
        "'ORD-Y-' || g, 'submitted', '[]', 0",
        "AND status = 'submitted'",
        "ix_orders_tenant_status_created_id",
        "'ORD-Z-' || g, 'draft', '[]', 0",  # as many rows the filter leaves out
    ),
    "cad files": (
        "cad_files",
        "original_name, sha256, size_bytes, storage_key, status, metadata, job_document",
        "'f' || g || '.stp', md5(g::text), 1, 'k/' || g, 'ready', '{}', '{}'",
        "",
        "ix_cad_files_tenant_created_id",
    ),
    "imports": (
        "product_imports",
        "original_name, storage_key, status, imported, updated, skipped, row_counts, column_mapping",
        "'l' || g || '.xlsx', 'k/' || g, 'completed', 0, 0, 0, '{}', '{}'",
        "",
        "ix_product_imports_tenant_created_id",
    ),
    "notifications": (
        "audit_log",
        "channel, action, detail",
        "'notification', 'plan.test', '{}'",
        "AND channel = 'notification'",
        "ix_audit_log_tenant_channel_created_id",
        "'activity', 'plan.test', '{}'",
    ),
    "audit": (
        "audit_log",
        "channel, action, detail",
        "'alert', 'plan.test', '{}'",
        "",
        "ix_audit_log_tenant_created_id",
    ),
}


@pytest.mark.parametrize("name", list(PLANS))
def test_the_first_and_a_deep_page_read_one_range_of_the_keyset_index(
    app_db: SyncDatabase, admin_engine: Any, tenant: MadeTenant, name: str
) -> None:
    from sqlalchemy import text

    table, columns, values, where, index, *others = PLANS[name]
    ids = "" if table == "audit_log" else "id, "
    new_ids = "" if table == "audit_log" else "gen_random_uuid(), "
    with admin_engine.begin() as connection:
        for made in [values, *others]:
            rows = f"{new_ids}:t, now() - g * interval '1 second', {made}"
            insert = f"INSERT INTO {table} ({ids}tenant_id, created_at, {columns}) "
            insert += f"SELECT {rows} FROM generate_series(1, :n) g"  # noqa: S608 (the test's constants)
            connection.execute(text(insert), {"t": tenant.id, "n": ROWS})
    with admin_engine.begin() as connection:  # after the commit: the statistics see the new rows
        connection.execute(text(f"ANALYZE {table}"))
    page = f"SELECT * FROM {table} WHERE tenant_id = :t {where} {{after}} "  # noqa: S608 (constants)
    page += "ORDER BY created_at DESC, id DESC LIMIT 51"
    with app_db.session(tenant.id) as session:  # the application role: RLS applies
        # Which plan the planner picks for a few thousand rows depends on what the rest of the suite
        # left in the table (and on RLS's filter, whose selectivity it guesses at a few rows, so a
        # sort of "a few rows" looks cheap). What this asks is whether an index serves the page in
        # its order: with scans of the whole table and sorts priced out, only such an index can
        # give a plan without a Sort; without one, the plan still sorts and the test fails.
        for planner in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            session.execute(text(f"SET LOCAL enable_{planner} = off"))
        deep = (
            session.execute(text(page.format(after="") + " OFFSET 2000").bindparams(t=tenant.id))
            .mappings()
            .first()
        )  # only to pick a deep key for the test
        assert deep is not None
        for after, params in (
            ("", {}),
            ("AND (created_at, id) < (:c, :i)", {"c": deep["created_at"], "i": deep["id"]}),
        ):
            plan = "\n".join(
                row[0]
                for row in session.execute(
                    text("EXPLAIN " + page.format(after=after)), {"t": tenant.id, **params}
                )
            )
            assert index in plan, plan
            assert "Seq Scan" not in plan, plan
            assert "Sort" not in plan, plan  # read in the index's order, no sort of the rows
            if after:  # the cursor is where the range of the index starts
                assert "Index Cond" in plan and "ROW(created_at, id) <" in plan.replace('"', ""), plan

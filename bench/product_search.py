"""Product search with 200,000 products: ``GET /api/products?q=`` through the real endpoint.

A private database holds one tenant with ``PRODUCTS`` products (PIM ids in four styles: ``P-1003``,
``B-00042``, ``600042-2RSR``, ``NU 00042 E``; names of eight bearing types with sizes and
materials) and a second tenant with ``OTHER_PRODUCTS``, so row-level security and the tenant filter
have something to filter. A project manager of the first tenant sends a mix of searches
(``QUERIES``): PIM ids exact and typed differently (case, dashes, spaces), PIM-id prefixes, and
name words from common to rare; each answer is a page of 50 with the total.

Value: the p95 of those requests through the API in this process (FastAPI's test client: token
check, the tenant's transaction under RLS as the application role, the repository's search, the
products' CAD briefs, JSON). Baseline: the same requests against the search as it was before
migration 0008 (full text over ``pim_id || ' ' || name`` with its GIN index, ordered by PIM id),
swapped into the same endpoint for the baseline's rounds. Target: value ≤ 0.05 s.
"""

from __future__ import annotations

import re
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from bench.common import PASSWORD, private_database, report, tenant_with_pm

PRODUCTS = 200_000
OTHER_PRODUCTS = 20_000
TARGET_S = 0.05
ROUNDS = 10
BASELINE_ROUNDS = 3  # the old search reads the whole table each time: fewer rounds suffice
PAGE = 50

# (query, what the first result must be: a PIM id, or None when only a count is expected)
QUERIES: list[tuple[str, str | None]] = [
    ("P-1003", "P-1003"),
    ("p1003", "P-1003"),
    ("P 1003", "P-1003"),
    ("B-00042", "B-00042"),
    ("b00042", "B-00042"),
    ("600042-2rsr", "600042-2RSR"),
    ("NU00042E", "NU 00042 E"),
    ("nu 00042 e", "NU 00042 E"),
    ("P-10", "P-1000"),  # prefix: ~1,100 PIM ids
    ("B-000", "B-00000"),  # prefix: 1,000
    ("6000", "600000-2RSR"),  # prefix: 1,000
    ("nu 0", "NU 00000 E"),  # prefix: 10,000
    ("1003", None),  # a word of PIM ids (P-1003) and the start of others (B-10030, P-10030)
    ("Rillenkugellager", None),  # a name word: 25,000 matches
    ("pendel", None),  # a name prefix: 25,000
    ("zylinderrollen edelstahl", None),  # two words: ~8,000
    ("kegelrollenlager 35x75", None),  # ~70
    ("keramik hybrid", None),  # rare: 1 in 100
    ("nadellager 99x", None),
    ("Vierpunktlager", None),  # no such word: nothing
]

TYPES = [
    "Rillenkugellager",
    "Pendelrollenlager",
    "Zylinderrollenlager",
    "Kegelrollenlager",
    "Schraegkugellager",
    "Nadellager",
    "Axial-Rillenkugellager",
    "Pendelkugellager",
]

_SEED = """
INSERT INTO products (tenant_id, pim_id, name, category_key, lagertyp, attributes)
SELECT :tenant_id,
       CASE g % 4
           WHEN 0 THEN 'P-' || (g / 4 + 1000)
           WHEN 1 THEN 'B-' || lpad((g / 4)::text, 5, '0')
           WHEN 2 THEN '6' || lpad((g / 4)::text, 5, '0') || '-2RSR'
           ELSE 'NU ' || lpad((g / 4)::text, 5, '0') || ' E'
       END,
       (CAST(:types AS text[]))[1 + (g / 7) % 8] || ' ' || (10 + g % 90) || 'x' || (30 + g % 50) || 'x'
           || (8 + g % 20) || ' '
           || CASE WHEN g % 100 = 3 THEN 'Keramik Hybrid' WHEN g % 3 = 0 THEN 'Edelstahl' ELSE 'Stahl' END,
       'bearings', (CAST(:types AS text[]))[1 + (g / 7) % 8], '{"d_mm": 20}'
FROM generate_series(0, :n - 1) AS g
"""


def _seed(tenant_id: uuid.UUID, n: int) -> None:
    from sqlalchemy import text

    from automat.worker.context import worker_db

    with worker_db().session(tenant_id) as session:
        session.execute(text(_SEED), {"tenant_id": tenant_id, "types": TYPES, "n": n})


# -- the search as it was before migration 0008 (the baseline) -----------------------------------

_OLD_DOCUMENT = "to_tsvector('simple', pim_id || ' ' || name)"
_OLD_INDEX = f"CREATE INDEX ix_products_search ON products USING gin ({_OLD_DOCUMENT})"


async def _previous_list_products(
    session: Any, *, tenant_id: uuid.UUID | None, q: str | None, limit: int, **_: Any
) -> Any:
    from sqlalchemy import func, literal_column, select

    from automat.models.product import Product
    from automat.products.repository import ProductMatches

    stmt = select(Product)
    if tenant_id is not None:
        stmt = stmt.where(Product.tenant_id == tenant_id)
    tokens = re.findall(r"\w+", (q or "").casefold())
    if tokens:
        query = " & ".join(f"{t}:*" for t in tokens)
        stmt = stmt.where(
            literal_column(_OLD_DOCUMENT).op("@@")(func.to_tsquery(literal_column("'simple'"), query))
        )
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    page = stmt.order_by(Product.pim_id, Product.id).limit(limit)  # the first page: all the bench asks
    found = (await session.scalars(page)).all()
    return ProductMatches([((0, p.pim_id, p.id), p) for p in found], int(total or 0))


def _admin_sql(statement: str) -> None:
    from sqlalchemy import create_engine, text

    from automat.config import get_settings
    from automat.core.urls import admin_url

    engine = create_engine(admin_url(get_settings()), isolation_level="AUTOCOMMIT")  # VACUUM needs it
    with engine.connect() as conn:
        conn.execute(text("SET ROLE automat_owner"))
        conn.execute(text(statement))
    engine.dispose()


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def _run(
    get: Callable[[str], dict[str, Any]], *, check: bool, rounds: int
) -> tuple[list[float], dict[str, float]]:
    """``rounds`` passes over QUERIES (after one untimed pass); every request's seconds, and the
    median per query."""
    for q, _ in QUERIES:
        get(q)
    samples: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q, _ in QUERIES}
    for _ in range(rounds):
        for q, first in QUERIES:
            started = time.perf_counter()
            body = get(q)
            elapsed = time.perf_counter() - started
            samples.append(elapsed)
            per_query[q].append(elapsed)
            if check and first is not None:
                found = [p["pim_id"] for p in body["items"][:1]]
                assert found == [first], (q, found)
    return samples, {q: round(statistics.median(v), 4) for q, v in per_query.items()}


def main() -> None:
    with private_database():
        from fastapi.testclient import TestClient

        from automat.app import create_app
        from automat.products import repository

        tenant_id, email = tenant_with_pm("bench-search")
        other_id, _ = tenant_with_pm("bench-other")
        started = time.perf_counter()
        _seed(tenant_id, PRODUCTS)
        _seed(other_id, OTHER_PRODUCTS)
        _admin_sql("VACUUM ANALYZE products")
        _admin_sql("VACUUM ANALYZE product_terms")
        seed_s = time.perf_counter() - started

        with TestClient(create_app()) as client:
            login = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
            assert login.status_code == 200, login.text
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            totals: dict[str, int] = {}

            def get(q: str) -> dict[str, Any]:
                response = client.get("/api/products", params={"q": q, "page_size": PAGE}, headers=headers)
                assert response.status_code == 200, response.text
                body: dict[str, Any] = response.json()
                totals[q] = body["total"]
                return body

            value_samples, value_per_query = _run(get, check=True, rounds=ROUNDS)
            value_totals = dict(totals)
            assert value_totals["Vierpunktlager"] == 0
            assert value_totals["P-1003"] >= 1

            _admin_sql(_OLD_INDEX)
            _admin_sql("ANALYZE products")
            current = repository.list_products
            repository.list_products = _previous_list_products  # type: ignore[assignment]
            try:
                baseline_samples, baseline_per_query = _run(get, check=False, rounds=BASELINE_ROUNDS)
            finally:
                repository.list_products = current  # type: ignore[assignment]
                _admin_sql("DROP INDEX ix_products_search")
            baseline_totals = dict(totals)

        value_s, baseline_s = _p95(value_samples), _p95(baseline_samples)
        report(
            "product_search",
            baseline_s,
            value_s,
            products=PRODUCTS,
            other_tenant_products=OTHER_PRODUCTS,
            requests=len(value_samples),
            target_s=TARGET_S,
            within_target=value_s <= TARGET_S,
            value_median_s=round(statistics.median(value_samples), 4),
            value_max_s=round(max(value_samples), 4),
            baseline_median_s=round(statistics.median(baseline_samples), 4),
            seed_s=round(seed_s, 1),
            per_query_median_s=value_per_query,
            baseline_per_query_median_s=baseline_per_query,
            totals=value_totals,
            baseline_totals=baseline_totals,
            note=(
                "p95 of GET /api/products?q=…&page_size=50 in-process (test client), page + total; "
                "baseline = the search before migration 0008 with its index, same endpoint"
            ),
        )

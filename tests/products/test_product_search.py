"""GET /api/products?q=: PIM ids however they are typed, exact and prefix before words, per tenant."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.user import Role
from automat.products import repository
from tests.products.conftest import AsRole
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

CATALOGUE = [
    ("P-1003", "Deep groove ball bearing"),
    ("P-10030", "Deep groove ball bearing, sealed"),
    ("P-1004", "Cylindrical roller bearing"),
    ("B-00042", "Needle roller bearing"),
    ("B-01003", "Tapered roller bearing"),
    ("X-7", "Housing for P1003 and similar"),  # names the PIM id as a word
    ("NU 205 E", "Cylindrical roller bearing NU design"),
    ("Z-9", "Adapter P 1003"),
]


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant, client: TestClient) -> Party:
    party = as_role(tenant, Role.PROJECT_MANAGER)
    for pim_id, name in CATALOGUE:
        made = client.post("/api/products", json={"pim_id": pim_id, "name": name}, headers=party.headers)
        assert made.status_code == 201, made.text
    return party


def search(client: TestClient, party: Party, q: str, **params: Any) -> dict[str, Any]:
    response = client.get("/api/products", params={"q": q, **params}, headers=party.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def pims(body: dict[str, Any]) -> list[str]:
    return [p["pim_id"] for p in body["items"]]


def walk(client: TestClient, party: Party, q: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every page of a search, following next_cursor."""
    cursor = None
    while True:
        page = search(client, party, q, **params, **({"cursor": cursor} if cursor else {}))
        yield page
        if (cursor := page["next_cursor"]) is None:
            return


@pytest.mark.parametrize("typed", ["P-1003", "p1003", "P 1003", "p-1003", " P - 1003 ", "P_1003", "P.1003"])
def test_a_pim_id_is_found_first_however_it_is_typed(client: TestClient, pm: Party, typed: str) -> None:
    found = pims(search(client, pm, typed))
    assert found[0] == "P-1003"
    assert "B-01003" not in found  # "1003" is no prefix of "b01003"


def test_prefixes_follow_the_exact_match_and_words_come_last(client: TestClient, pm: Party) -> None:
    # Exact, then the PIM ids starting with it, then the product whose name has the word.
    assert pims(search(client, pm, "p1003")) == ["P-1003", "P-10030", "X-7"]
    assert pims(search(client, pm, "P-100")) == ["P-1003", "P-10030", "P-1004"]
    assert pims(search(client, pm, "b-000")) == ["B-00042"]
    assert pims(search(client, pm, "nu205e")) == ["NU 205 E"]
    assert pims(search(client, pm, "NU 20")) == ["NU 205 E"]


def test_words_of_names_and_pim_ids_are_prefixes(client: TestClient, pm: Party) -> None:
    assert pims(search(client, pm, "deep gro")) == ["P-1003", "P-10030"]
    assert pims(search(client, pm, "CYLIND")) == ["NU 205 E", "P-1004"]
    # "1003" is a word of P-1003's PIM id and the start of P-10030's; B-01003 has neither.
    assert pims(search(client, pm, "1003")) == ["P-1003", "P-10030", "Z-9"]
    body = search(client, pm, "roller bearing")
    assert body["total"] == len(body["items"]) == 4
    assert search(client, pm, "nothing-like-this")["total"] == 0
    assert search(client, pm, "'&|!:*")["total"] == len(CATALOGUE)  # nothing to search for: all


def test_several_words_matching_pim_ids_are_taken_as_a_pim_id(client: TestClient, pm: Party) -> None:
    # "P 1003" matches PIM ids, so its pieces are not looked for in names ("Adapter P 1003").
    assert pims(search(client, pm, "P 1003")) == ["P-1003", "P-10030"]
    # Matching no PIM id, the same words find the name.
    assert pims(search(client, pm, "adapter p 1003")) == ["Z-9"]


def test_pages_and_totals_agree_across_the_pim_and_the_word_part(client: TestClient, pm: Party) -> None:
    whole = search(client, pm, "p1003")
    assert whole["total"] == 3
    pages = list(walk(client, pm, "p1003", page_size=1))
    assert [pims(p) for p in pages] == [["P-1003"], ["P-10030"], ["X-7"]]
    assert all(p["total"] == 3 for p in pages)


@pytest.mark.parametrize(
    "path",
    [
        {"SAMPLE_MOST_TERMS": 0},  # no sample: counted exactly, then walked
        {"SAMPLE_BITS": 0},  # the "sample" is every product: the estimate is the count
    ],
)
def test_dense_word_matches_are_walked_in_order_with_the_same_answer(
    client: TestClient, pm: Party, monkeypatch: pytest.MonkeyPatch, path: dict[str, int]
) -> None:
    collected = search(client, pm, "bearing")
    monkeypatch.setattr(repository, "WORD_IDS_FIRST", 1)  # more matches than that: the walk
    for name, value in path.items():
        monkeypatch.setattr(repository, name, value)
    walked = search(client, pm, "bearing")
    assert pims(walked) == pims(collected)
    assert walked["total"] == collected["total"] == 6
    assert not walked["total_is_estimate"] and not collected["total_is_estimate"]
    paged = [pim for page in walk(client, pm, "bearing", page_size=2) for pim in pims(page)]
    assert paged == pims(collected)


def test_a_product_with_two_words_of_the_same_start_counts_once(client: TestClient, pm: Party) -> None:
    made = client.post(
        "/api/products", json={"pim_id": "K-1", "name": "Kugellager mit Kugelkorb"}, headers=pm.headers
    )
    assert made.status_code == 201, made.text
    body = search(client, pm, "kugel")
    assert pims(body) == ["K-1"]
    assert body["total"] == 1


def _ids_in_and_out_of_the_sample(count: int, sampled: int) -> list[uuid.UUID]:
    """``count`` product ids, ``sampled`` of them below the sample's bound (first hex digit 0)."""
    bound = 1 << (128 - repository.SAMPLE_BITS)
    return [uuid.UUID(int=i if i <= sampled else bound + i) for i in range(1, count + 1)]


def test_a_broad_word_match_is_counted_on_a_sample_and_paged_in_order(
    client: TestClient, pm: Party, app_db: SyncDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text

    # 64 "Spindellager" of which 9 are in the sample (1 in 16 of random ids): about 9 x 16 = 144.
    with app_db.session(pm.user.tenant_id) as session:
        for i, product_id in enumerate(_ids_in_and_out_of_the_sample(64, 9)):
            session.execute(
                text("INSERT INTO products (id, tenant_id, pim_id, name) VALUES (:id, :t, :pim, :name)"),
                {"id": product_id, "t": pm.user.tenant_id, "pim": f"S-{i:03d}", "name": f"Spindellager {i}"},
            )
    monkeypatch.setattr(repository, "WORD_IDS_FIRST", 10)  # broad beyond 10 (5,000 in production)

    first = search(client, pm, "spindel", page_size=50)
    assert (first["total"], first["total_is_estimate"]) == (140, True)  # 144 to two digits
    assert pims(first) == [f"S-{i:03d}" for i in range(50)]  # walked in PIM-id order
    # The last page ends the matches: the total is then known.
    last = search(client, pm, "spindel", page_size=50, cursor=first["next_cursor"])
    assert pims(last) == [f"S-{i:03d}" for i in range(50, 64)]
    assert (last["total"], last["total_is_estimate"], last["next_cursor"]) == (64, False, None)
    # Narrow matches are counted exactly.
    narrow = search(client, pm, "spindellager 7")
    assert (pims(narrow), narrow["total"], narrow["total_is_estimate"]) == (["S-007"], 1, False)


def test_renaming_a_product_renews_its_words(client: TestClient, pm: Party) -> None:
    product = search(client, pm, "X-7")["items"][0]
    renamed = client.patch(f"/api/products/{product['id']}", json={"name": "Spacer ring"}, headers=pm.headers)
    assert renamed.status_code == 200, renamed.text
    assert pims(search(client, pm, "spacer")) == ["X-7"]
    assert pims(search(client, pm, "p1003")) == ["P-1003", "P-10030"]  # no longer by its name


def test_a_deleted_product_takes_its_words_along(client: TestClient, pm: Party, app_db: SyncDatabase) -> None:
    from sqlalchemy import func, select

    from automat.models.product import ProductTerm

    product = search(client, pm, "Z-9")["items"][0]
    assert client.delete(f"/api/products/{product['id']}", headers=pm.headers).status_code == 204
    assert search(client, pm, "adapter")["total"] == 0
    with app_db.session(pm.user.tenant_id) as session:
        left = session.scalar(select(func.count()).where(ProductTerm.product_id == product["id"]))
    assert left == 0


def test_another_tenants_products_are_never_found(
    client: TestClient, pm: Party, as_role: AsRole, other_tenant: MadeTenant
) -> None:
    stranger = as_role(other_tenant, Role.PROJECT_MANAGER)
    made = client.post("/api/products", json={"pim_id": "P-1003", "name": "Theirs"}, headers=stranger.headers)
    assert made.status_code == 201
    ours = search(client, pm, "P-1003")
    assert [p["name"] for p in ours["items"] if p["pim_id"] == "P-1003"] == ["Deep groove ball bearing"]
    assert ours["total"] == 2  # P-1003, P-10030
    theirs = search(client, stranger, "p 1003")
    assert pims(theirs) == ["P-1003"]
    assert theirs["items"][0]["name"] == "Theirs"
    assert search(client, stranger, "deep groove")["total"] == 0

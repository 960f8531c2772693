"""/api/products: CRUD, search, pagination, roles and tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.models.user import Role
from tests.products.conftest import AsRole
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


def create(client: TestClient, party: Party, **body: Any) -> Any:
    return client.post("/api/products", json=body, headers=party.headers)


def test_crud_round_trip(client: TestClient, pm: Party) -> None:
    made = create(
        client, pm, pim_id="81113-TV", name="Axial cylindrical roller bearing", category_key="axial",
        lagertyp="Axial-Zylinderrollenlager", attributes={"d_mm": 65}, material_overrides={"Cage": "X"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    product = made.json()
    assert product["pim_id"] == "81113-TV"
    assert product["attributes"] == {"d_mm": 65}

    got = client.get(f"/api/products/{product['id']}", headers=pm.headers)
    assert got.status_code == 200
    assert got.json() == product

    patched = client.patch(
        f"/api/products/{product['id']}", json={"name": "Renamed", "category_key": None}, headers=pm.headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Renamed"
    assert patched.json()["category_key"] is None
    assert patched.json()["lagertyp"] == "Axial-Zylinderrollenlager"

    assert create(client, pm, pim_id="81113-TV", name="again").json()["error"]["code"] == "duplicate_pim_id"
    assert client.delete(f"/api/products/{product['id']}", headers=pm.headers).status_code == 204
    assert client.get(f"/api/products/{product['id']}", headers=pm.headers).status_code == 404


def test_validation(client: TestClient, pm: Party) -> None:
    assert create(client, pm, pim_id="", name="x").status_code == 422
    assert create(client, pm, pim_id="x", name="y", price=3).json()["error"]["code"] == "unknown_field"
    unknown_cad = create(client, pm, pim_id="x", name="y", cad_file_id="00000000-0000-0000-0000-000000000001")
    assert unknown_cad.json()["error"]["code"] == "unknown_cad_file"
    made = create(client, pm, pim_id="x", name="y").json()
    nulled = client.patch(f"/api/products/{made['id']}", json={"name": None}, headers=pm.headers)
    assert nulled.status_code == 422


def test_search_and_pagination(client: TestClient, pm: Party) -> None:
    for pim_id, name in [
        ("81113-TV", "Axial cylindrical roller bearing"),
        ("6205-2RSR", "Deep groove ball bearing"),
        ("6206", "Deep groove ball bearing, open"),
        ("NU205", "Cylindrical roller bearing"),
    ]:
        assert create(client, pm, pim_id=pim_id, name=name).status_code == 201

    def search(q: str, **params: Any) -> dict[str, Any]:
        response = client.get("/api/products", params={"q": q, **params}, headers=pm.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    assert [p["pim_id"] for p in search("81113")["items"]] == ["81113-TV"]
    assert [p["pim_id"] for p in search("deep groove")["items"]] == ["6205-2RSR", "6206"]
    assert [p["pim_id"] for p in search("CYLIND")["items"]] == ["81113-TV", "NU205"]
    assert search("nothing-like-this")["total"] == 0
    assert search("'&|!:*")["total"] == 4  # no words: no filter, and no SQL error

    page = search("", page_size=3)
    assert page["total"] == 4
    assert [p["pim_id"] for p in page["items"]] == ["6205-2RSR", "6206", "81113-TV"]
    last = search("", page_size=3, cursor=page["next_cursor"])
    assert ([p["pim_id"] for p in last["items"]], last["next_cursor"]) == (["NU205"], None)


def test_clients_read_but_do_not_write(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, pm: Party
) -> None:
    product = create(client, pm, pim_id="6205", name="Ball bearing").json()
    reader = as_role(tenant, Role.CLIENT)
    assert client.get("/api/products", headers=reader.headers).json()["total"] == 1
    assert client.get(f"/api/products/{product['id']}", headers=reader.headers).status_code == 200
    assert create(client, reader, pim_id="x", name="y").status_code == 403
    assert (
        client.patch(f"/api/products/{product['id']}", json={"name": "z"}, headers=reader.headers).status_code
        == 403
    )
    assert client.delete(f"/api/products/{product['id']}", headers=reader.headers).status_code == 403
    assert client.get("/api/products").status_code == 401


def test_other_tenants_products_are_404(
    client: TestClient, as_role: AsRole, other_tenant: MadeTenant, pm: Party
) -> None:
    product = create(client, pm, pim_id="6205", name="Ball bearing").json()
    stranger = as_role(other_tenant, Role.TENANT_ADMIN)
    assert client.get("/api/products", headers=stranger.headers).json()["total"] == 0
    for method in ("get", "delete"):
        assert (
            client.request(method, f"/api/products/{product['id']}", headers=stranger.headers).status_code
            == 404
        )
    patched = client.patch(f"/api/products/{product['id']}", json={"name": "mine"}, headers=stranger.headers)
    assert patched.status_code == 404
    # The same PIM id is free in another tenant.
    assert create(client, stranger, pim_id="6205", name="Theirs").status_code == 201
    assert client.get(f"/api/products/{product['id']}", headers=pm.headers).json()["name"] == "Ball bearing"


def test_products_carry_their_cad_files_name_and_status_for_every_reader(
    client: TestClient, pm: Party, as_role: AsRole, tenant: MadeTenant, app_db: Any
) -> None:
    from automat.models.cad import CadFile

    with app_db.session(tenant.id) as session:
        cad = CadFile(
            tenant_id=tenant.id, original_name="6204.stp", sha256="c" * 64, size_bytes=1,
            storage_key="k", status="failed", error="not a solid",
        )  # fmt: skip
        session.add(cad)
        session.flush()
        cad_id = str(cad.id)
    linked = create(client, pm, pim_id="6204", name="Linked", cad_file_id=cad_id).json()
    create(client, pm, pim_id="6205", name="Unlinked")
    expected = {"id": cad_id, "original_name": "6204.stp", "status": "failed", "error": "not a solid"}
    assert linked["cad_file"] == expected
    reader = as_role(tenant, Role.CLIENT)  # clients list no CAD files, but see what a product is linked to
    items = {p["pim_id"]: p for p in client.get("/api/products", headers=reader.headers).json()["items"]}
    assert items["6204"]["cad_file"] == expected
    assert items["6205"]["cad_file"] is None

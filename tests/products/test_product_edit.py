"""Editing a product: fields, material overrides, linking and unlinking a CAD file, the audit trail,
and the products a CAD file is linked to (asked before the file is deleted)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.user import Role
from tests.products.conftest import AsRole
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


def cad_file(app_db: SyncDatabase, tenant: MadeTenant, name: str, status: str = "ready") -> str:
    from automat.models.cad import CadFile

    with app_db.session(tenant.id) as session:
        cad = CadFile(
            tenant_id=tenant.id, original_name=name, sha256=uuid.uuid4().hex, size_bytes=1,
            storage_key=f"k/{uuid.uuid4()}", status=status,
        )  # fmt: skip
        session.add(cad)
        session.flush()
        return str(cad.id)


def product(client: TestClient, party: Party, pim_id: str = "6204-2RSR", **body: Any) -> dict[str, Any]:
    made = client.post(
        "/api/products", json={"pim_id": pim_id, "name": "Ball bearing", **body}, headers=party.headers
    )
    assert made.status_code == 201, made.text
    result: dict[str, Any] = made.json()
    return result


def patch(client: TestClient, party: Party, product_id: str, body: dict[str, Any]) -> Any:
    return client.patch(f"/api/products/{product_id}", json=body, headers=party.headers)


def test_fields_and_overrides_are_edited(client: TestClient, pm: Party) -> None:
    made = product(client, pm, category_key="ball", lagertyp="Rillenkugellager")
    edited = patch(
        client, pm, made["id"],
        {"name": "  Deep groove ball bearing ", "category_key": None, "lagertyp": "Schrägkugellager",
         "material_overrides": {"Cage": "Brass", "Seal": "Rubber black"}},
    )  # fmt: skip
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["name"] == "Deep groove ball bearing"
    assert body["category_key"] is None
    assert body["lagertyp"] == "Schrägkugellager"
    assert body["material_overrides"] == {"Cage": "Brass", "Seal": "Rubber black"}
    again = client.get(f"/api/products/{made['id']}", headers=pm.headers).json()
    assert again["material_overrides"] == {"Cage": "Brass", "Seal": "Rubber black"}
    cleared = patch(client, pm, made["id"], {"material_overrides": {}})
    assert cleared.json()["material_overrides"] == {}


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "   "},
        {"name": None},
        {"name": "x" * 501},
        {"lagertyp": "y" * 101},
        {"material_overrides": {"Cage": "m" * 121}},
        {"material_overrides": {"": "Brass"}},
        {"material_overrides": None},
        {"price": 3},
        {"cad_file_id": "not-a-uuid"},
    ],
)
def test_bad_edits_are_refused_and_change_nothing(
    client: TestClient, pm: Party, body: dict[str, Any]
) -> None:
    made = product(client, pm)
    refused = patch(client, pm, made["id"], body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] in {"validation_error", "unknown_field"}
    assert client.get(f"/api/products/{made['id']}", headers=pm.headers).json() == made


def test_a_cad_file_is_linked_changed_and_unlinked(
    client: TestClient, pm: Party, app_db: SyncDatabase, tenant: MadeTenant
) -> None:
    first = cad_file(app_db, tenant, "6204-2RSR.stp")
    second = cad_file(app_db, tenant, "6204-2RSR v2.stp", status="processing")
    made = product(client, pm)
    assert made["cad_file"] is None

    linked = patch(client, pm, made["id"], {"cad_file_id": first})
    assert linked.status_code == 200, linked.text
    assert linked.json()["cad_file"] == {
        "id": first,
        "original_name": "6204-2RSR.stp",
        "status": "ready",
        "error": None,
    }
    changed = patch(client, pm, made["id"], {"cad_file_id": second}).json()
    assert changed["cad_file"]["original_name"] == "6204-2RSR v2.stp"
    assert changed["cad_file"]["status"] == "processing"
    unlinked = patch(client, pm, made["id"], {"cad_file_id": None}).json()
    assert unlinked["cad_file_id"] is None
    assert unlinked["cad_file"] is None


def test_another_tenants_cad_file_is_not_found(
    client: TestClient, pm: Party, app_db: SyncDatabase, other_tenant: MadeTenant, tenant: MadeTenant
) -> None:
    theirs = cad_file(app_db, other_tenant, "theirs.stp")
    made = product(client, pm, cad_file_id=cad_file(app_db, tenant, "ours.stp"))
    refused = patch(client, pm, made["id"], {"cad_file_id": theirs})
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "unknown_cad_file"
    missing = patch(client, pm, made["id"], {"cad_file_id": str(uuid.uuid4())})
    assert missing.status_code == 404
    assert (
        client.get(f"/api/products/{made['id']}", headers=pm.headers).json()["cad_file"]["original_name"]
        == "ours.stp"
    )


def test_clients_cannot_edit_or_link(
    client: TestClient, pm: Party, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase
) -> None:
    made = product(client, pm)
    reader = as_role(tenant, Role.CLIENT)
    for body in ({"name": "mine"}, {"cad_file_id": cad_file(app_db, tenant, "x.stp")}, {"cad_file_id": None}):
        refused = patch(client, reader, made["id"], body)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "insufficient_role"
    assert client.get(f"/api/products/{made['id']}", headers=pm.headers).json() == made


def test_the_audit_trail_keeps_each_change_before_and_after(
    client: TestClient, pm: Party, as_role: AsRole, tenant: MadeTenant, app_db: SyncDatabase
) -> None:
    cad_id = cad_file(app_db, tenant, "a.stp")
    made = product(client, pm, lagertyp="Rillenkugellager")
    patch(client, pm, made["id"], {"name": "Renamed", "lagertyp": None, "cad_file_id": cad_id})
    patch(client, pm, made["id"], {"name": "Renamed"})  # no change: no entry
    admin = as_role(tenant, Role.TENANT_ADMIN)
    entries = [
        e
        for e in client.get("/api/audit", params={"page_size": 50}, headers=admin.headers).json()["items"]
        if e["action"] == "product.update" and e["target_id"] == made["id"]
    ]
    assert len(entries) == 1
    assert entries[0]["actor_id"] == str(pm.user.id)
    assert entries[0]["detail"]["changes"] == {
        "name": {"from": "Ball bearing", "to": "Renamed"},
        "lagertyp": {"from": "Rillenkugellager", "to": None},
    }  # the CAD link has an entry of its own (below)


def history(client: TestClient, party: Party, product_id: str) -> list[dict[str, Any]]:
    """The product's history as the product page shows it: the activity feed about it, oldest first."""
    response = client.get(
        "/api/activity", params={"target_type": "product", "target_id": product_id}, headers=party.headers
    )
    assert response.status_code == 200, response.text
    return list(reversed(response.json()["items"]))


def test_a_link_by_hand_is_in_the_history_with_who_linked(
    client: TestClient, pm: Party, app_db: SyncDatabase, tenant: MadeTenant
) -> None:
    first, second = cad_file(app_db, tenant, "6204.stp"), cad_file(app_db, tenant, "6204-v2.stp")
    made = product(client, pm)
    for cad_id in (first, second, second, None):
        assert patch(client, pm, made["id"], {"cad_file_id": cad_id}).status_code == 200
    entries = [e for e in history(client, pm, made["id"]) if e["action"] != "product.create"]
    name = pm.user.email.split("@")[0]  # the factory's full name
    # Linked, changed, the same again (nothing), unlinked; each by the project manager.
    assert [(e["action"], e["actor_id"], e["actor_name"]) for e in entries] == [
        ("product.cad_linked", str(pm.user.id), name),
        ("product.cad_linked", str(pm.user.id), name),
        ("product.cad_unlinked", str(pm.user.id), name),
    ]
    assert [e["detail"] for e in entries] == [
        {"pim_id": "6204-2RSR", "cad_file_id": first, "cad_file_name": "6204.stp",
         "previous_cad_file_id": None, "reason": "by_hand"},
        {"pim_id": "6204-2RSR", "cad_file_id": second, "cad_file_name": "6204-v2.stp",
         "previous_cad_file_id": first, "reason": "by_hand"},
        {"pim_id": "6204-2RSR", "cad_file_id": None, "cad_file_name": None,
         "previous_cad_file_id": second, "reason": "by_hand"},
    ]  # fmt: skip


def test_the_products_of_a_cad_file_are_listed(
    client: TestClient,
    pm: Party,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    as_role: AsRole,
    other_tenant: MadeTenant,
) -> None:
    cad_id = cad_file(app_db, tenant, "shared.stp")
    other_cad = cad_file(app_db, tenant, "other.stp")
    for pim_id in ("A-2", "A-1", "A-3"):
        product(client, pm, pim_id, cad_file_id=cad_id)
    product(client, pm, "B-1", cad_file_id=other_cad)
    product(client, pm, "C-1")
    listed = client.get(
        "/api/products", params={"cad_file_id": cad_id, "page_size": 2}, headers=pm.headers
    ).json()
    assert listed["total"] == 3
    assert [p["pim_id"] for p in listed["items"]] == ["A-1", "A-2"]
    searched = client.get(
        "/api/products", params={"cad_file_id": cad_id, "q": "a-3"}, headers=pm.headers
    ).json()
    assert [p["pim_id"] for p in searched["items"]] == ["A-3"]
    stranger = as_role(other_tenant, Role.PROJECT_MANAGER)
    assert (
        client.get("/api/products", params={"cad_file_id": cad_id}, headers=stranger.headers).json()["total"]
        == 0
    )

"""POST /api/imports/excel → the parse_excel step on a real worker → GET /api/imports/{id}."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.kit.storage import OWNERS_DIR
from automat.models.cad import CadFile
from automat.models.user import Role
from tests.products.conftest import AsRole, xlsx
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party
from tests.support.workbooks import dimension_bomb, inflate_bomb

pytestmark = pytest.mark.usefixtures("celery_worker_process")


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


def upload(
    client: TestClient, party: Party, data: bytes, mapping: Any = None, name: str = "list.xlsx"
) -> Any:
    form = {"mapping": mapping if isinstance(mapping, str) else json.dumps(mapping)} if mapping else None
    return client.post(
        "/api/imports/excel",
        files={"file": (name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
        data=form,
        headers=party.headers,
    )


def wait_done(client: TestClient, party: Party, import_id: str, timeout_s: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = client.get(f"/api/imports/{import_id}", headers=party.headers).json()
        if body["status"] in ("completed", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"import {import_id} still {body.get('status')} after {timeout_s} s")


def run(client: TestClient, party: Party, data: bytes, mapping: Any = None) -> dict[str, Any]:
    started = upload(client, party, data, mapping)
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "pending"
    return wait_done(client, party, started.json()["id"])


def log_rows(client: TestClient, party: Party, import_id: str, **params: Any) -> list[dict[str, Any]]:
    """The whole row log, page after page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"/api/imports/{import_id}/rows", params=query, headers=party.headers)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def products(client: TestClient, party: Party) -> dict[str, dict[str, Any]]:
    page = client.get("/api/products", params={"page_size": 200}, headers=party.headers).json()
    return {p["pim_id"]: p for p in page["items"]}


def notifications(admin_engine: Engine, tenant: MadeTenant) -> list[dict[str, Any]]:
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT detail FROM audit_log WHERE tenant_id = :t AND channel = 'notification' "
                "AND action = 'product_import.finished' ORDER BY id"
            ),
            {"t": tenant.id},
        )
        return [r[0] for r in rows]


def test_three_rows_one_broken(
    client: TestClient, pm: Party, tenant: MadeTenant, admin_engine: Engine
) -> None:
    data = xlsx(
        [
            ["pim_id", "name", "category", "lagertyp", "Bore mm"],
            ["6205", "Deep groove ball bearing", "ball", "Rillenkugellager", 25],
            ["6206", None, "ball", "Rillenkugellager", 30],
            ["NU205", "Cylindrical roller bearing", "roller", "Zylinderrollenlager", 25],
        ]
    )
    done = run(client, pm, data)
    assert done["status"] == "completed", done
    assert (done["imported"], done["updated"], done["skipped"]) == (2, 0, 1)
    assert "log" not in done
    assert done["row_counts"] == {"imported": 2, "updated": 0, "warning": 0, "skipped": 1}
    assert log_rows(client, pm, done["id"]) == [
        {"row": 2, "status": "imported", "pim_id": "6205", "reason": None},
        {"row": 3, "status": "skipped", "pim_id": "6206", "reason": "missing name"},
        {"row": 4, "status": "imported", "pim_id": "NU205", "reason": None},
    ]
    assert done["column_mapping"]["columns"]["category"] == "category_key"
    made = products(client, pm)
    assert set(made) == {"6205", "NU205"}
    assert made["6205"]["lagertyp"] == "Rillenkugellager"
    assert made["6205"]["attributes"] == {"Bore mm": 25}

    assert notifications(admin_engine, tenant)[-1]["message"] == (
        "Excel import: 2 imported, 1 skipped (see import log)"
    )


def test_german_headers_cad_names_and_formula_text(
    client: TestClient, pm: Party, tenant: MadeTenant, app_db: SyncDatabase
) -> None:
    with app_db.session(tenant.id) as session:
        cad = CadFile(
            tenant_id=tenant.id, original_name="Lager_6205.STEP", sha256=uuid.uuid4().hex, size_bytes=1,
            storage_key="k", status="ready",
        )  # fmt: skip
        session.add(cad)
        session.flush()
        cad_id = str(cad.id)
    data = xlsx(
        [
            ["Artikelnummer", "Bezeichnung", "Kategorie", "Lagertyp", "STEP-Datei"],
            ["6205", "Rillenkugellager", "kugel", "Rillenkugellager", "lager_6205.step"],
            ["6206", '=HYPERLINK("http://evil.test","klick")', "-kugel", "@typ", "fehlt.stp"],
        ],
        text_cells=[(3, 2)],
    )
    done = run(client, pm, data)
    assert (done["imported"], done["skipped"]) == (2, 0)
    warning = log_rows(client, pm, done["id"])[1]
    assert warning["status"] == "warning"
    assert "waiting for CAD file 'fehlt.stp'" in warning["reason"]
    made = products(client, pm)
    assert made["6205"]["cad_file_id"] == cad_id
    assert made["6206"]["cad_file_id"] is None
    assert made["6206"]["name"] == '=HYPERLINK("http://evil.test","klick")'
    assert (made["6206"]["category_key"], made["6206"]["lagertyp"]) == ("-kugel", "@typ")


def test_every_count_of_the_summary_is_one_a_log_filter_shows(
    client: TestClient, pm: Party, admin_engine: Engine, tenant: MadeTenant
) -> None:
    """8 products stored, one of them waiting for its CAD file: the summary said "8 imported" while
    the log's Imported filter showed 7."""
    rows = [["pim_id", "name", "cad_file"], *[[f"A-{i}", f"Part {i}", None] for i in range(7)]]
    rows += [["A-7", "Part 7", "not-uploaded.stp"], ["A-8", None, None]]
    done = run(client, pm, xlsx(rows))
    assert done["row_counts"] == {"imported": 7, "updated": 0, "warning": 1, "skipped": 1}
    for status, count in done["row_counts"].items():
        page = client.get(f"/api/imports/{done['id']}/rows", params={"status": status}, headers=pm.headers)
        assert (page.json()["total"], len(page.json()["items"])) == (count, count)
    assert notifications(admin_engine, tenant)[-1]["message"] == (
        "Excel import: 7 imported, 1 with a warning, 1 skipped (see import log)"
    )


def test_a_pim_export_with_a_title_line_above_its_header_imports(client: TestClient, pm: Party) -> None:
    data = xlsx([["Artikelstamm Export 01.12.2026"], [], ["Artikelnummer", "Bezeichnung"], ["6205", "Lager"]])
    done = run(client, pm, data)
    assert (done["status"], done["imported"]) == ("completed", 1)
    assert done["column_mapping"]["header_row"] == 3
    assert log_rows(client, pm, done["id"]) == [
        {"row": 4, "status": "imported", "pim_id": "6205", "reason": None}
    ]


def test_mapping_override(client: TestClient, pm: Party) -> None:
    data = xlsx([["Nr.", "Text", "Artikelnummer"], ["A-1", "Custom headers", "not the id"]])
    refused = upload(client, pm, data)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "missing_columns"

    done = run(client, pm, data, mapping={"nr.": "pim_id", "TEXT": "name", "Artikelnummer": "ignore"})
    assert (done["status"], done["imported"]) == ("completed", 1)
    made = products(client, pm)["A-1"]
    assert (made["name"], made["attributes"]) == ("Custom headers", {})

    bad = upload(client, pm, data, mapping={"Nr.": "price"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_mapping")
    assert upload(client, pm, data, mapping="{not json").json()["error"]["code"] == "invalid_mapping"


def test_reimport_updates_instead_of_duplicating(
    client: TestClient, pm: Party, admin_engine: Engine, tenant: MadeTenant
) -> None:
    first = run(
        client, pm, xlsx([["PIM-ID", "Name", "Farbe"], ["6205", "Old name", "grau"], ["6206", "Keep", "rot"]])
    )
    assert (first["imported"], first["updated"]) == (2, 0)
    second = run(
        client, pm, xlsx([["pim_id", "name", "Gewicht"], ["6205", "New name", 0.12], [6207, "Third", None]])
    )
    assert (second["imported"], second["updated"], second["skipped"]) == (1, 1, 0)
    assert [e["status"] for e in log_rows(client, pm, second["id"])] == ["updated", "imported"]
    made = products(client, pm)
    assert sorted(made) == ["6205", "6206", "6207"]
    assert made["6205"]["name"] == "New name"
    assert made["6205"]["attributes"] == {"Farbe": "grau", "Gewicht": 0.12}
    assert notifications(admin_engine, tenant)[-1]["message"] == (
        "Excel import: 1 imported, 1 updated, 0 skipped (see import log)"
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"this is not a workbook", "list.xlsx"),
        (b"PK\x03\x04broken zip" * 20, "list.xlsx"),
        (b"", "empty.xlsx"),
    ],
    ids=["text", "broken-zip", "empty"],
)
def test_broken_file_is_422_and_nothing_imported(
    client: TestClient, pm: Party, data: bytes, name: str
) -> None:
    response = upload(client, pm, data, name=name)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_excel"
    assert client.get("/api/imports", headers=pm.headers).json()["items"] == []
    assert products(client, pm) == {}


@pytest.mark.parametrize(
    ("data", "limit"),
    [(dimension_bomb(), "excel_max_rows"), (inflate_bomb(1024), "excel_max_inflated_mb")],
    ids=["dimension-bomb", "inflate-bomb"],
)
def test_workbook_bombs_are_422_naming_the_limit_and_nothing_is_kept(
    client: TestClient, pm: Party, tenant: MadeTenant, data: bytes, limit: str
) -> None:
    storage = default_storage()
    temp_before = {p for p in (storage.root / ".tmp").iterdir() if p.name != OWNERS_DIR}
    response = upload(client, pm, data)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "workbook_too_large"
    assert error["details"]["limit"] == limit
    assert limit in error["message"]
    assert client.get("/api/imports", headers=pm.headers).json()["items"] == []
    assert not (storage.root / "tenants" / str(tenant.id)).exists()
    temp_after = {p for p in (storage.root / ".tmp").iterdir() if p.name != OWNERS_DIR}
    assert temp_after <= temp_before  # not even the upload's temp file
    # The API goes on serving this tenant.
    assert run(client, pm, xlsx([["pim_id", "name"], ["6205", "Ball bearing"]]))["status"] == "completed"


def test_roles_and_tenant_isolation(
    client: TestClient, as_role: AsRole, tenant: MadeTenant, other_tenant: MadeTenant, pm: Party
) -> None:
    data = xlsx([["pim_id", "name"], ["6205", "Ball bearing"]])
    reader = as_role(tenant, Role.CLIENT)
    assert upload(client, reader, data).status_code == 403
    done = run(client, pm, data)
    assert client.get(f"/api/imports/{done['id']}", headers=reader.headers).status_code == 403

    stranger = as_role(other_tenant, Role.TENANT_ADMIN)
    assert client.get(f"/api/imports/{done['id']}", headers=stranger.headers).status_code == 404
    assert client.get("/api/imports", headers=stranger.headers).json()["items"] == []
    assert products(client, stranger) == {}
    product_id = products(client, pm)["6205"]["id"]
    assert client.get(f"/api/products/{product_id}", headers=stranger.headers).status_code == 404
    # The same file in the other tenant makes that tenant's own product.
    theirs = run(client, stranger, data)
    assert (theirs["imported"], theirs["updated"]) == (1, 0)
    assert products(client, stranger)["6205"]["id"] != product_id

"""Products and CAD files find each other in either order, through the API and a real worker:
an import names STEP files nobody has uploaded yet; uploading them later links the products; a
newer ready version of a name takes over, and the product's history says so."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.models.user import Role
from tests.cad.conftest import fixture
from tests.cad.test_endpoints import upload as upload_cad
from tests.cad.test_endpoints import wait_done as wait_cad
from tests.products.conftest import AsRole, xlsx
from tests.products.test_import_endpoints import log_rows, products, run
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

pytestmark = pytest.mark.usefixtures("celery_worker_process")
SCREW = "screw_m6x12_countersunk.step"
PULLEY = "pulley_at3_t10_center.STEP"


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


def history(admin_engine: Engine, product_id: str) -> list[dict[str, Any]]:
    """The product's ``product.cad_linked`` entries; Automat linked them (no person acted)."""
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT detail, actor_id, actor_role FROM audit_log WHERE target_type = 'product' "
                "AND target_id = :p AND action = 'product.cad_linked' ORDER BY id"
            ),
            {"p": product_id},
        ).all()
    assert {(actor_id, role) for _, actor_id, role in rows} <= {(None, "system")}
    return [detail for detail, _, _ in rows]


def test_products_imported_first_are_linked_when_their_files_are_ready(
    client: TestClient, pm: Party, admin_engine: Engine
) -> None:
    done = run(
        client,
        pm,
        xlsx(
            [
                ["pim_id", "name", "cad_file"],
                ["S-1", "Countersunk screw", "Screw_M6x12_Countersunk.STP"],  # other case and extension
                ["P-1", "Pulley", " pulley_at3_t10_center "],
                ["P-2", "Pulley, long hub", "pulley_at3_t10_center.step"],
            ]
        ),
    )
    rows = log_rows(client, pm, done["id"])
    assert [r["status"] for r in rows] == ["warning"] * 3
    assert rows[0]["reason"] == (
        "imported, but waiting for CAD file 'Screw_M6x12_Countersunk.STP': it is linked when a file of "
        "that name is uploaded"
    )
    before = products(client, pm)
    assert before["S-1"]["cad_file_id"] is None
    assert before["S-1"]["waiting_for_cad_file"] == "Screw_M6x12_Countersunk.STP"
    assert before["P-1"]["waiting_for_cad_file"] == "pulley_at3_t10_center"

    screw = upload_cad(client, pm, fixture(SCREW).read_bytes(), name=SCREW).json()
    pulley = upload_cad(client, pm, fixture(PULLEY).read_bytes(), name=PULLEY).json()
    assert wait_cad(client, pm, screw["id"])["status"] == "ready"
    assert wait_cad(client, pm, pulley["id"])["status"] == "ready"

    after = products(client, pm)
    assert after["S-1"]["cad_file_id"] == screw["id"]
    assert (after["P-1"]["cad_file_id"], after["P-2"]["cad_file_id"]) == (pulley["id"], pulley["id"])
    assert {p["waiting_for_cad_file"] for p in after.values()} == {None}
    assert after["S-1"]["cad_file"]["status"] == "ready"
    # The product's page names who linked it: Automat, when the file became ready.
    (linked,) = client.get(
        "/api/activity",
        params={"target_type": "product", "target_id": after["P-1"]["id"]},
        headers=pm.headers,
    ).json()["items"]
    assert (linked["action"], linked["actor_role"], linked["actor_name"]) == (
        "product.cad_linked",
        "system",
        "Automat",
    )
    assert history(admin_engine, after["P-1"]["id"]) == [
        {
            "pim_id": "P-1",
            "cad_file_id": pulley["id"],
            "cad_file_name": PULLEY,
            "previous_cad_file_id": None,
            "reason": "cad_file_ready",
        }
    ]


def test_a_newer_ready_version_takes_over_and_a_failed_one_does_not(
    client: TestClient, pm: Party, admin_engine: Engine
) -> None:
    first = upload_cad(client, pm, fixture(SCREW).read_bytes(), name=SCREW).json()
    assert wait_cad(client, pm, first["id"])["status"] == "ready"
    run(client, pm, xlsx([["pim_id", "name", "cad_file"], ["S-9", "Screw", SCREW]]))
    product = products(client, pm)["S-9"]
    assert product["cad_file_id"] == first["id"]
    assert product["waiting_for_cad_file"] is None

    # A broken upload of the same name fails and takes nothing over.
    broken = upload_cad(client, pm, fixture("madehere_truncated.step").read_bytes(), name=SCREW).json()
    assert wait_cad(client, pm, broken["id"])["status"] == "failed"
    assert products(client, pm)["S-9"]["cad_file_id"] == first["id"]

    # The part exported again (another FILE_NAME time stamp): a new file of the same name.
    again = fixture(SCREW).read_bytes().replace(b"FILE_NAME(", b"FILE_NAME( ", 1)
    second = upload_cad(client, pm, again, name=SCREW.upper()).json()
    assert second["id"] != first["id"]
    assert wait_cad(client, pm, second["id"])["status"] == "ready"
    product = products(client, pm)["S-9"]
    assert product["cad_file_id"] == second["id"]
    assert history(admin_engine, product["id"]) == [
        {
            "pim_id": "S-9",
            "cad_file_id": second["id"],
            "cad_file_name": SCREW.upper(),
            "previous_cad_file_id": first["id"],
            "reason": "newer_version",
        }
    ]

    # The older file processed again is ready again, but does not take its product back.
    assert client.post(f"/api/cad-files/{first['id']}/reprocess", headers=pm.headers).status_code in (
        200,
        202,
    )
    assert wait_cad(client, pm, first["id"])["status"] == "ready"
    assert products(client, pm)["S-9"]["cad_file_id"] == second["id"]

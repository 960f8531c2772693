"""An Excel import runs the built-in "Product import" workflow on a real worker: its run is
listed with the import, a failure names its reason on the node, and a retry of the failed node
imports the list once the cause is gone."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.core.storage import default_storage
from automat.models.product import ProductImport
from automat.models.user import Role
from automat.models.workflow import Workflow, WorkflowVersion
from automat.pipeline import executor
from automat.products.tasks import SOURCE_MISSING
from automat.workflows.catalogue import steps
from automat.workflows.repository import PRODUCT_IMPORT_ID
from tests.products.conftest import AsRole, xlsx
from tests.products.test_import_endpoints import run, wait_done
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

pytestmark = pytest.mark.usefixtures("celery_worker_process")

SHEET = [["pim_id", "name"], ["6205", "Deep groove ball bearing"], ["NU205", "Cylindrical roller bearing"]]


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


def _run_of(client: TestClient, party: Party, import_id: str, done: bool = True) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    runs: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        response = client.get("/api/workflow-runs", params={"subject_id": import_id}, headers=party.headers)
        assert response.status_code == 200, response.text
        runs = response.json()
        if runs and (not done or runs[0]["status"] != "running"):
            return runs[0]
        time.sleep(0.2)
    raise AssertionError(f"no finished run of import {import_id}: {runs}")


def test_an_import_is_a_run_of_the_product_import_workflow(client: TestClient, pm: Party) -> None:
    done = run(client, pm, xlsx(SHEET))
    assert done["status"] == "completed", done
    found = _run_of(client, pm, done["id"])
    assert (found["workflow_name"], found["version"], found["status"]) == ("Product import", 1, "completed")
    assert [(n["step"], n["status"], n["attempts"]) for n in found["nodes"]] == [
        ("parse_excel", "completed", 1)
    ]


def test_a_failed_import_names_its_reason_on_the_node_and_its_retry_imports_the_list(
    client: TestClient, pm: Party, tenant: MadeTenant, app_db: SyncDatabase
) -> None:
    """The stored workbook is missing when the task runs (a storage mount that was away): the
    import and its node fail with the reason; once the file is back, Retry imports it."""
    steps()
    key = f"tenants/{tenant.id}/imports/{uuid.uuid4()}/source.xlsx"
    with app_db.session(tenant.id) as session:
        record = ProductImport(
            tenant_id=tenant.id, original_name="list.xlsx", storage_key=key, status="pending",
            column_mapping={}, created_by=pm.user.id,
        )  # fmt: skip
        session.add(record)
        session.flush()
        import_id = str(record.id)
        workflow = session.get(Workflow, PRODUCT_IMPORT_ID)
        assert workflow is not None
        version = session.query(WorkflowVersion).filter_by(workflow_id=PRODUCT_IMPORT_ID, version=1).one()
        executor.dispatch_workflow(session, workflow, version, tenant_id=tenant.id, subject_id=record.id)

    failed = wait_done(client, pm, import_id)
    assert failed["status"] == "failed", failed
    assert failed["error"] == SOURCE_MISSING
    found = _run_of(client, pm, import_id)
    assert found["status"] == "failed"
    (parse,) = found["nodes"]
    assert parse["status"] == "failed" and parse["error"] == failed["error"]

    target = default_storage().path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(xlsx(SHEET))
    retried = client.post(
        f"/api/workflow-runs/{found['id']}/nodes/{parse['node_id']}/retry", headers=pm.headers
    )
    assert retried.status_code == 200, retried.text
    done = wait_done(client, pm, import_id)
    assert done["status"] == "completed" and done["imported"] == 2, done
    again = _run_of(client, pm, import_id)
    nodes = [(n["status"], n["attempts"], n["error"]) for n in again["nodes"]]
    assert (again["status"], nodes) == ("completed", [("completed", 2, None)]), again["error"]
    assert wait_done(client, pm, import_id)["status"] == "completed"  # and it stays so
    refused = client.post(
        f"/api/workflow-runs/{found['id']}/nodes/{parse['node_id']}/retry", headers=pm.headers
    )
    assert refused.status_code == 409

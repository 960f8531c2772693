"""The CAD library searched by name on the server (the product page's CAD picker asks it): every
word of the search in the name, ignoring case, spaces and punctuation, names starting with it
first; the tenant's files only, and a global admin's pick of a tenant narrows it to that tenant."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from automat.core.db import SyncDatabase
from automat.models.user import Role
from tests.products.conftest import AsRole
from tests.products.test_product_edit import cad_file
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party


@pytest.fixture
def pm(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.PROJECT_MANAGER)


def names(client: TestClient, party: Party, **params: str) -> list[str]:
    response = client.get("/api/cad-files", params=params, headers=party.headers)
    assert response.status_code == 200, response.text
    return [f["original_name"] for f in response.json()["items"]]


def test_a_name_search_ignores_case_and_separators_and_puts_prefixes_first(
    client: TestClient, pm: Party, app_db: SyncDatabase, tenant: MadeTenant
) -> None:
    for name in ("housing_05-2RSR.stp", "05-2RSR.STEP", "6204 2RS.stp", "05-2RSR_old.stp"):
        cad_file(app_db, tenant, name)
    cad_file(app_db, tenant, "05-2rsr broken.stp", status="failed")

    # Newest first among the names starting with the search, then the names containing it.
    assert names(client, pm, q="05-2rsr") == [
        "05-2rsr broken.stp",
        "05-2RSR_old.stp",
        "05-2RSR.STEP",
        "housing_05-2RSR.stp",
    ]
    assert names(client, pm, q="052RSR", status="ready") == [
        "05-2RSR_old.stp",
        "05-2RSR.STEP",
        "housing_05-2RSR.stp",
    ]
    assert names(client, pm, q="rsr old") == ["05-2RSR_old.stp"]  # every word, in any place
    assert names(client, pm, q="6204-2rs") == ["6204 2RS.stp"]
    assert names(client, pm, q="nothing like it") == []
    # Wildcards are text, not patterns; a search of separators only is no search.
    assert names(client, pm, q="%") == names(client, pm, q=" - ") == names(client, pm)
    assert names(client, pm, q="05_2rsr", page_size="1") == ["05-2rsr broken.stp"]
    too_long = client.get("/api/cad-files", params={"q": "x" * 201}, headers=pm.headers)
    assert too_long.status_code == 422


def test_the_search_stays_in_the_tenant_and_a_global_admin_can_narrow_it(
    client: TestClient,
    pm: Party,
    as_role: AsRole,
    app_db: SyncDatabase,
    tenant: MadeTenant,
    other_tenant: MadeTenant,
) -> None:
    cad_file(app_db, tenant, "shaft-ours.stp")
    cad_file(app_db, other_tenant, "shaft-theirs.stp")
    assert names(client, pm, q="shaft") == ["shaft-ours.stp"]
    admin = as_role(None, Role.GLOBAL_ADMIN)
    assert sorted(names(client, admin, q="shaft")) == ["shaft-ours.stp", "shaft-theirs.stp"]
    assert names(client, admin, q="shaft", tenant_id=str(other_tenant.id)) == ["shaft-theirs.stp"]

"""Hostile input is a 422, never a 500: integers beyond PostgreSQL's bigint, the NUL character,
unpaired surrogates and NaN/Infinity (which PostgreSQL refuses in text and jsonb) are refused
before they reach a query."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from automat.kit.bounds import BIGINT_MAX
from automat.models.user import Role
from tests.support.factories import MadeTenant, unique
from tests.support.fixtures import UserFactory, login

TOO_BIG = 2**63  # one past bigint

# --- every integer input of the API has bounds ---------------------------------------------------


def _integer_inputs(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every integer in a parameter or request body of every operation, ``$ref``s followed."""
    components = schema.get("components", {}).get("schemas", {})
    found: list[tuple[str, dict[str, Any]]] = []

    def walk(node: Any, where: str, seen: frozenset[str]) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in seen:
                    walk(components[name], f"{where} -> {name}", seen | {name})
                return
            if node.get("type") == "integer" or (
                isinstance(node.get("type"), list) and "integer" in node["type"]
            ):
                found.append((where, node))
            for key, child in node.items():
                walk(child, f"{where}/{key}", seen)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{where}[{index}]", seen)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                walk(parameter.get("schema"), f"{label} {parameter['in']} {parameter['name']}", frozenset())
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                walk(content.get("schema"), f"{label} body ({media})", frozenset())
    return found


def test_every_integer_input_is_bounded_within_bigint() -> None:
    """So an endpoint added later cannot take ``2**63`` to PostgreSQL either."""
    from automat.app import create_app

    inputs = _integer_inputs(create_app().openapi())
    assert any("page_size" in where for where, _ in inputs), "the walk found no integer inputs at all"
    unbounded = [
        where
        for where, node in inputs
        if not (node.get("minimum", -(2**64)) >= -BIGINT_MAX - 1 and node.get("maximum", 2**64) <= BIGINT_MAX)
    ]
    assert unbounded == [], "integer inputs without minimum/maximum within bigint (use automat.kit.bounds)"


def test_the_walk_finds_an_unbounded_integer() -> None:
    """The check above can fail: an app with an unbounded integer parameter is caught."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/things")
    async def things(page: int = 0) -> int:
        return page

    assert [where for where, node in _integer_inputs(app.openapi()) if "maximum" not in node] == [
        "GET /things query page"
    ]


@pytest.fixture
def admin_headers(client: TestClient, tenant: MadeTenant, user_factory: UserFactory) -> dict[str, str]:
    return login(client, user_factory(tenant, Role.TENANT_ADMIN))


def error(response: httpx.Response, status: int, code: str) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == code, body
    details: list[dict[str, Any]] = body.get("details") or []
    return details


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", f"/api/products?page_size={TOO_BIG}"),
        ("GET", f"/api/cad-files?page_size={TOO_BIG}"),
        ("GET", f"/api/users?page_size={TOO_BIG}"),
        ("GET", f"/api/imports?page_size={TOO_BIG}"),
        ("GET", "/api/orders?page_size=201"),
        ("GET", "/api/audit?page_size=201"),
        ("GET", "/api/notifications?page_size=201"),
        ("GET", "/api/activity?page_size=0"),
        ("GET", "/api/alerts?page_size=-1"),
        ("POST", f"/api/notifications/{TOO_BIG}/read"),
        ("GET", "/api/users?page_size=201"),
        ("GET", "/api/notifications?cursor=not%20a%20cursor"),
    ],
)
def test_integers_beyond_their_bounds_are_a_422(
    client: TestClient, admin_headers: dict[str, str], method: str, url: str
) -> None:
    details = error(client.request(method, url, headers=admin_headers), 422, "validation_error")
    assert details[0]["loc"][0] in ("query", "path")


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/api/products?page_size=200", 200),
        ("GET", "/api/notifications?page_size=200", 200),
        ("GET", "/api/alerts?page_size=200", 200),
        ("POST", f"/api/notifications/{BIGINT_MAX}/read", 404),
    ],
)
def test_integers_at_their_bounds_are_answered(
    client: TestClient, admin_headers: dict[str, str], method: str, url: str, status: int
) -> None:
    assert client.request(method, url, headers=admin_headers).status_code == status


def test_a_tenant_config_patch_is_bounded(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    headers = login(client, user_factory(None, Role.GLOBAL_ADMIN))
    response = client.patch(
        f"/api/tenants/{tenant.id}", json={"tenant_config": {"max_order_size": TOO_BIG}}, headers=headers
    )
    details = error(response, 422, "validation_error")
    assert details[0]["loc"][:3] == ["body", "tenant_config", "max_order_size"]


@pytest.mark.parametrize(
    ("url", "body"),
    [("/api/products", {"pim_id": "p-1", "name": "Bearing"}), ("/api/orders", {"title": "t"})],
)
def test_a_global_admin_naming_a_tenant_that_does_not_exist_gets_a_404(
    client: TestClient, user_factory: UserFactory, url: str, body: dict[str, str]
) -> None:
    """Found by the fuzzer as a global admin: the row's foreign key to tenants failed, a 500."""
    headers = login(client, user_factory(None, Role.GLOBAL_ADMIN))
    response = client.post(url, json={**body, "tenant_id": str(uuid.uuid4())}, headers=headers)
    error(response, 404, "not_found")
    assert response.json()["error"]["message"] == "Tenant not found."


# --- what PostgreSQL cannot store ---------------------------------------------------------------


def nul_locations(response: httpx.Response) -> list[list[str]]:
    return [d["loc"] for d in error(response, 422, "nul_character")]


def post_raw(client: TestClient, url: str, raw: bytes, headers: dict[str, str]) -> httpx.Response:
    return client.post(url, content=raw, headers={**headers, "Content-Type": "application/json"})


@pytest.fixture
def pm_headers(client: TestClient, tenant: MadeTenant, user_factory: UserFactory) -> dict[str, str]:
    return login(client, user_factory(tenant, Role.PROJECT_MANAGER))


def test_nul_in_a_new_product_is_refused_and_nothing_is_stored(
    client: TestClient, pm_headers: dict[str, str]
) -> None:
    pim = unique("pim")
    response = client.post(
        "/api/products", json={"pim_id": pim + "\x00", "name": "a\x00b"}, headers=pm_headers
    )
    assert sorted(nul_locations(response)) == [["body", "name"], ["body", "pim_id"]]
    assert client.get(f"/api/products?q={pim}", headers=pm_headers).json()["total"] == 0


def test_nul_in_attribute_keys_and_values_is_refused(client: TestClient, pm_headers: dict[str, str]) -> None:
    created = client.post(
        "/api/products", json={"pim_id": unique("pim"), "name": "Bearing"}, headers=pm_headers
    )
    assert created.status_code == 201, created.text
    url = f"/api/products/{created.json()['id']}"
    body = {"name": "ok", "attributes": {"bad\x00key": 1, "list": [1, {"deep": "v\x00"}]}}
    assert sorted(nul_locations(client.patch(url, json=body, headers=pm_headers))) == [
        ["body", "attributes", "bad\x00key"],
        ["body", "attributes", "list", "1", "deep"],
    ]
    assert client.get(url, headers=pm_headers).json()["attributes"] == {}


def test_nul_in_an_order_title_is_refused(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    headers = login(client, user_factory(tenant, Role.CLIENT))
    response = client.post("/api/orders", json={"title": "\x00"}, headers=headers)
    assert nul_locations(response) == [["body", "title"]]


def test_nul_in_json_of_any_encoding_is_refused(client: TestClient, pm_headers: dict[str, str]) -> None:
    raw = '{"pim_id": "p\\u0000", "name": "n"}'.encode("utf-16")
    assert nul_locations(post_raw(client, "/api/products", raw, pm_headers)) == [["body", "pim_id"]]


def test_an_escaped_backslash_before_u0000_is_plain_text(
    client: TestClient, pm_headers: dict[str, str]
) -> None:
    raw = f'{{"pim_id": "{unique("pim")}", "name": "C:\\\\u0000"}}'.encode()
    response = post_raw(client, "/api/products", raw, pm_headers)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "C:\\u0000"


@pytest.mark.parametrize(
    ("attributes", "code", "loc"),
    [
        ('{"\\udc00": 1}', "invalid_unicode", ["body", "attributes", "\\udc00"]),
        ('{"k": ["x\\ud800"]}', "invalid_unicode", ["body", "attributes", "k", "0"]),
        ('{"k": NaN}', "non_finite_number", ["body", "attributes", "k"]),
        ('{"k": -Infinity}', "non_finite_number", ["body", "attributes", "k"]),
        ('{"k": 1e400}', "non_finite_number", ["body", "attributes", "k"]),
    ],
)
def test_unpaired_surrogates_and_non_finite_numbers_are_refused(
    client: TestClient, pm_headers: dict[str, str], attributes: str, code: str, loc: list[str]
) -> None:
    pim = unique("pim")
    raw = f'{{"pim_id": "{pim}", "name": "n", "attributes": {attributes}}}'.encode()
    assert [d["loc"] for d in error(post_raw(client, "/api/products", raw, pm_headers), 422, code)] == [loc]
    assert client.get(f"/api/products?q={pim}", headers=pm_headers).json()["total"] == 0


def test_surrogate_pairs_and_big_integers_are_stored(client: TestClient, pm_headers: dict[str, str]) -> None:
    """What PostgreSQL can store is not refused: an emoji written as a surrogate pair, an integer
    beyond bigint inside free-form attributes (jsonb numbers have arbitrary precision)."""
    pim = unique("pim")
    raw = f'{{"pim_id": "{pim}", "name": "\\ud83d\\ude00", "attributes": {{"n": {2**70}}}}}'.encode()
    response = post_raw(client, "/api/products", raw, pm_headers)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "\U0001f600"
    assert response.json()["attributes"] == {"n": 2**70}


@pytest.mark.parametrize(
    ("url", "loc"),
    [
        ("/api/products?q=ab%00", ["query", "q"]),
        ("/api/products?limit=5&%00=1", ["query", "\x00"]),
        ("/api/users/abc%00def", ["path", "user_id"]),
        ("/api/settings/a%00b", ["path", "key"]),  # a GET on a PUT/DELETE route: named all the same
        ("/api/no-such%00thing", ["path"]),
    ],
)
def test_nul_in_query_and_path_parameters_is_refused(
    client: TestClient, pm_headers: dict[str, str], url: str, loc: list[str]
) -> None:
    assert nul_locations(client.get(url, headers=pm_headers)) == [loc]


def test_nul_in_a_text_field_of_an_upload_is_refused(client: TestClient, pm_headers: dict[str, str]) -> None:
    before = client.get("/api/imports", headers=pm_headers).json()["items"]
    response = client.post(
        "/api/imports/excel",
        files={"file": ("products.xlsx", io.BytesIO(b"PK\x03\x04 not really a workbook"))},
        data={"mapping": '{"Name\x00": "name"}'},
        headers=pm_headers,
    )
    assert nul_locations(response) == [["body", "mapping"]]
    assert client.get("/api/imports", headers=pm_headers).json()["items"] == before

"""Bad input never becomes a 500: every error is ``{"error": {"code", "message"}}`` with a 4xx."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from automat.config import Settings
from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import UserFactory, login

LOGIN = "/api/auth/login"
JSON = {"Content-Type": "application/json"}


def error_code(response: httpx.Response, status: int) -> str:
    """The stable code of an error response, after checking its status and shape."""
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert isinstance(error["message"], str)
    assert error["message"]
    return str(error["code"])


@pytest.mark.parametrize("raw", [b"{not json", b'{"email": "a@b.c",}', b"[1, 2", b'{"email": "a@b.c"'])
def test_malformed_json_is_a_400(client: TestClient, raw: bytes) -> None:
    assert error_code(client.post(LOGIN, content=raw, headers=JSON), 400) == "malformed_json"


@pytest.mark.parametrize(
    "body",
    [
        {"email": 123, "password": "x"},
        {"email": "a@b.test", "password": ["x"]},
        {"email": None, "password": "x"},
        {"email": "a@b.test"},
        [],
        "just a string",
    ],
)
def test_wrong_types_are_a_validation_error(client: TestClient, body: object) -> None:
    response = client.post(LOGIN, json=body)
    assert error_code(response, 422) == "validation_error"
    assert response.json()["error"]["details"]


def test_validation_details_name_the_field(client: TestClient) -> None:
    response = client.post(LOGIN, json={"email": "a@b.test", "password": 5})
    assert error_code(response, 422) == "validation_error"
    assert ["body", "password"] in [d["loc"] for d in response.json()["error"]["details"]]


def test_unknown_fields_are_refused(client: TestClient) -> None:
    response = client.post(LOGIN, json={"email": "a@b.test", "password": "x", "is_admin": True})
    assert error_code(response, 422) == "unknown_field"
    assert ["body", "is_admin"] in [d["loc"] for d in response.json()["error"]["details"]]


def test_a_bad_path_parameter_is_a_validation_error(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    headers = login(client, user_factory(tenant, Role.TENANT_ADMIN))
    assert error_code(client.get("/api/users/not-a-uuid", headers=headers), 422) == "validation_error"


def test_a_bad_query_parameter_is_a_validation_error(
    client: TestClient, tenant: MadeTenant, user_factory: UserFactory
) -> None:
    headers = login(client, user_factory(tenant, Role.TENANT_ADMIN))
    assert error_code(client.get("/api/users?page_size=0", headers=headers), 422) == "validation_error"


# --- body size ---------------------------------------------------------------------------------


def oversize_json(settings: Settings) -> bytes:
    padding = "x" * settings.max_body_bytes
    return f'{{"email": "a@b.test", "password": "{padding}"}}'.encode()


def test_an_oversize_body_with_content_length_is_a_413(client: TestClient, settings: Settings) -> None:
    raw = oversize_json(settings)
    response = client.post(LOGIN, content=raw, headers={**JSON, "Content-Length": str(len(raw))})
    assert error_code(response, 413) == "payload_too_large"


def test_an_oversize_streamed_body_is_a_413(client: TestClient, settings: Settings) -> None:
    raw = oversize_json(settings)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(raw), 64 * 1024):
            yield raw[start : start + 64 * 1024]

    response = client.post(LOGIN, content=chunks(), headers=JSON)
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in response.request.headers
    assert error_code(response, 413) == "payload_too_large"


def test_a_body_just_under_the_limit_is_read(client: TestClient, settings: Settings) -> None:
    """The limit is the configured one, not lower: a body below it reaches validation."""
    envelope = len(b'{"email": "a@b.test", "password": ""}')
    raw = f'{{"email": "a@b.test", "password": "{"x" * (settings.max_body_bytes - envelope)}"}}'.encode()
    assert len(raw) == settings.max_body_bytes
    assert error_code(client.post(LOGIN, content=raw, headers=JSON), 422) == "validation_error"


# --- routing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/health/nowhere", "/api/auth/login/extra"])
def test_an_unknown_route_is_a_404(client: TestClient, path: str) -> None:
    # Other paths belong to the web UI when it is built (its router answers them; tests/test_web.py).
    assert error_code(client.get(path), 404) == "not_found"


@pytest.mark.parametrize(
    ("method", "path"), [("GET", LOGIN), ("PUT", "/api/auth/me"), ("DELETE", "/api/users")]
)
def test_a_wrong_method_is_a_405(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert error_code(response, 405) == "method_not_allowed"
    assert response.headers["Allow"]


# --- no tracebacks, ever -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "content"),
    [
        ("POST", LOGIN, b"\xff\xfe\x00garbage"),
        ("POST", LOGIN, b'{"email": "\\ud800", "password": "x"}'),
        ("POST", LOGIN, b"null"),
        ("POST", "/api/auth/refresh", b'{"refresh_token": "' + b"a" * 5000 + b'"}'),
        ("POST", "/api/auth/refresh", b'{"refresh_token": "aaaaaaaaaa.bbbbbbbbbb.cccccccccc"}'),
        ("PATCH", "/api/tenants/00000000-0000-0000-0000-000000000000", b"{}"),
        ("GET", "/api/users/%00", b""),
    ],
)
def test_odd_requests_get_a_4xx_error_body_without_traceback(
    client: TestClient, method: str, path: str, content: bytes
) -> None:
    response = client.request(method, path, content=content, headers=JSON)
    assert 400 <= response.status_code < 500, response.text
    assert "Traceback" not in response.text
    assert set(response.json()["error"]) >= {"code", "message"}

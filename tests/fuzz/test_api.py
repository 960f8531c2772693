"""The fuzz stage: schemathesis against the app's own OpenAPI schema, as a project manager and as a
client, failing on any 5xx and on a keep-alive connection the server dropped.

Every operation in the schema is fuzzed, so an endpoint added later is too. The app runs under a
real uvicorn on a loopback port (a 500 used to make uvicorn close the connection, which the
in-process client cannot show) with the session's PostgreSQL and Redis; the two users are real,
logged in with the real login, in a tenant of their own, so what the fuzzer creates or deletes
touches nobody else. Values PostgreSQL refuses or overflows on (NUL, 2**63, 1e308) are mixed into
the generated ones. Bounded: ``AUTOMAT_FUZZ_MAX_EXAMPLES`` random cases per operation and role
(default below) besides schemathesis' coverage cases (bounds, wrong types, unknown methods), no
shrinking, a request timeout: about two minutes. Select it with ``pytest -m fuzz``; leave it out
with ``-m "not fuzz"``.

Nothing is excluded: the WebSocket (``/api/ws``) is not in the OpenAPI schema, and uploads are
fuzzed as their schema declares them (no body), which the upload parser must refuse with a 4xx.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from schemathesis import Case

from automat.core.db import SyncDatabase
from automat.models.user import Role
from tests.support.factories import make_tenant, make_user
from tests.support.uvicorn_thread import serve_in_thread

MAX_EXAMPLES = int(os.environ.get("AUTOMAT_FUZZ_MAX_EXAMPLES", "12"))
REQUEST_TIMEOUT_S = 20
ROLES = (Role.PROJECT_MANAGER, Role.CLIENT)

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def fuzz_server() -> Iterator[str]:
    from automat.app import create_app

    with serve_in_thread(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def fuzz_tokens(fuzz_server: str, app_db: SyncDatabase) -> dict[Role, str]:
    """Access tokens of a PM and a client of a tenant made for the fuzzer, from the real login
    (both taken before any fuzzing: fuzzed logins may throttle this address afterwards)."""
    tenant = make_tenant(app_db)
    tokens: dict[Role, str] = {}
    with httpx.Client(base_url=fuzz_server, timeout=30) as http:
        for role in ROLES:
            user = make_user(app_db, tenant=tenant, role=role)
            response = http.post("/api/auth/login", json={"email": user.email, "password": user.password})
            assert response.status_code == 200, response.text
            tokens[role] = response.json()["access_token"]
    return tokens


@pytest.fixture(scope="module", params=ROLES, ids=lambda role: role.value)
def fuzz_role(request: pytest.FixtureRequest) -> Role:
    role: Role = request.param
    return role


def _schema() -> Any:
    """The app's schema, as ``make openapi`` dumps it (no server needed to load it)."""
    from automat.app import create_app

    config = schemathesis.Config.from_dict(
        {
            "request-timeout": REQUEST_TIMEOUT_S,
            "suppress-health-check": ["all"],
            # What PostgreSQL refuses or overflows on, mixed into generated values (schemathesis
            # sends those that fit a field's schema in positive cases, the rest in negative ones).
            "dictionaries": {
                "hostile-text": {"values": ["\x00", "a\x00b", "pim-\x00-1"]},
                "hostile-integer": {"values": [2**63, -(2**63) - 1, 2**64, 2**63 - 1, -1]},
                "hostile-number": {"values": [1e308, -1e308, 2**63, 5e-324]},
            },
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "no-shrink": True,
                "database": "none",
                "dictionaries": {
                    "string": {"dictionary": "hostile-text", "probability": 0.25},
                    "integer": {"dictionary": "hostile-integer", "probability": 0.25},
                    "number": {"dictionary": "hostile-number", "probability": 0.25},
                },
            },
            "phases": {"stateful": {"enabled": False}},
            "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
            "operations": [
                {
                    # 503 is /health's answer when no Celery worker is up (none is, here): by design.
                    "include-path": "/health",
                    "checks": {"not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx", "503"]}},
                }
            ],
        }
    )
    return schemathesis.openapi.from_dict(create_app().openapi(), config=config)


@dataclass
class KeepAlive:
    """One HTTP session for the whole run, and the case before the current one: a new connection
    opened for a request means the server closed the previous one."""

    session: requests.Session = field(default_factory=requests.Session)
    previous: str | None = None

    def connections(self, base_url: str) -> int:
        pool = self.session.get_adapter(base_url).poolmanager.connection_from_url(base_url)  # type: ignore[attr-defined]
        return int(pool.num_connections)


@pytest.fixture(scope="module")
def keep_alive() -> Iterator[KeepAlive]:
    state = KeepAlive()
    yield state
    state.session.close()


schema = _schema()


@schema.parametrize()
def test_no_request_gets_a_server_error(
    case: Case, fuzz_server: str, fuzz_tokens: dict[Role, str], fuzz_role: Role, keep_alive: KeepAlive
) -> None:
    opened = keep_alive.connections(fuzz_server)
    case.call_and_validate(
        base_url=fuzz_server,
        session=keep_alive.session,
        headers={"Authorization": f"Bearer {fuzz_tokens[fuzz_role]}"},
    )
    if keep_alive.previous is not None and keep_alive.connections(fuzz_server) > opened:
        raise AssertionError(f"the server closed the keep-alive connection after:\n{keep_alive.previous}")
    keep_alive.previous = case.as_curl_command()

"""Login throttling that holds: under parallel guessing, behind (or without) a proxy, and without
giving an attacker a button that locks the owner out.

Parallel and address tests run against ``automat api`` in a child process (real uvicorn, a real
TCP peer); a password check is counted by its ``auth.login_failed`` audit entry, which only an
attempt that reached the password check writes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.config import Settings
from automat.models.user import Role
from tests.support.api_process import api_process
from tests.support.factories import MadeTenant, MadeUser, unique
from tests.support.fixtures import UserFactory

WRONG = "not the password"


@pytest.fixture(scope="module")
def direct_api(tmp_root: Path) -> Iterator[str]:
    """The API with no trusted proxies, as `make up` runs it: the peer is the client."""
    with api_process(tmp_root) as url:
        yield url


@pytest.fixture(scope="module")
def proxied_api(tmp_root: Path) -> Iterator[str]:
    """The API behind a reverse proxy on this host (AUTOMAT_TRUSTED_PROXIES=127.0.0.1)."""
    with api_process(tmp_root, AUTOMAT_TRUSTED_PROXIES="127.0.0.1") as url:
        yield url


def checked(admin_engine: Engine, user: MadeUser) -> list[str | None]:
    """Client addresses of the failed attempts for ``user`` that reached the password check."""
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT client_address FROM audit_log"
                " WHERE action = 'auth.login_failed' AND target_id = :id ORDER BY id"
            ),
            {"id": str(user.id)},
        )
        return [row.client_address for row in rows]


def login_body(user: MadeUser, password: str) -> dict[str, str]:
    return {"email": user.email, "password": password}


def assert_throttled(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    error = response.json()["error"]
    assert error["code"] == "too_many_attempts"
    wait = int(error["details"]["retry_after_s"])
    assert wait > 0
    assert int(response.headers["Retry-After"]) == wait
    return wait


# --- parallel guessing -------------------------------------------------------------------------


def test_forty_parallel_wrong_passwords_check_at_most_the_limit(
    direct_api: str, tenant: MadeTenant, user_factory: UserFactory, admin_engine: Engine, settings: Settings
) -> None:
    user = user_factory(tenant, Role.PROJECT_MANAGER)

    async def guess_all() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=40, max_keepalive_connections=40)
        async with httpx.AsyncClient(base_url=direct_api, limits=limits, timeout=60, trust_env=False) as http:
            return await asyncio.gather(
                *(http.post("/api/auth/login", json=login_body(user, f"{WRONG} {i}")) for i in range(40))
            )

    responses = asyncio.run(guess_all())

    limit = settings.login_max_failures_per_email
    statuses = [r.status_code for r in responses]
    assert statuses.count(401) == limit, statuses
    assert statuses.count(429) == 40 - limit, statuses
    assert len(checked(admin_engine, user)) == limit
    for response in responses:
        if response.status_code == 429:
            assert_throttled(response)


# --- the client address ------------------------------------------------------------------------


def test_rotating_x_forwarded_for_from_an_untrusted_peer_changes_nothing(
    direct_api: str, tenant: MadeTenant, user_factory: UserFactory, admin_engine: Engine, settings: Settings
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    limit = settings.login_max_failures_per_email
    with httpx.Client(base_url=direct_api, timeout=30, trust_env=False) as http:
        statuses = [
            http.post(
                "/api/auth/login",
                json=login_body(user, WRONG),
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            ).status_code
            for i in range(1, 16)
        ]
        assert_throttled(
            http.post(
                "/api/auth/login",
                json=login_body(user, user.password),
                headers={"X-Forwarded-For": "1.2.3.4"},
            )
        )
    assert statuses == [401] * limit + [429] * (15 - limit)
    assert checked(admin_engine, user) == ["127.0.0.1"] * limit


def test_rotating_x_forwarded_for_does_not_escape_the_per_address_limit(
    direct_api: str, settings: Settings
) -> None:
    """Credential stuffing: one guess per account, a new X-Forwarded-For for each."""
    limit = settings.login_max_failures_per_address
    with httpx.Client(base_url=direct_api, timeout=30, trust_env=False) as http:
        statuses = [
            http.post(
                "/api/auth/login",
                json={"email": f"{unique('stuffed')}@example.test", "password": WRONG},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            ).status_code
            for i in range(1, limit + 4)
        ]
    assert statuses == [401] * limit + [429] * 3


def test_x_forwarded_for_is_honoured_from_a_trusted_proxy(
    proxied_api: str, tenant: MadeTenant, user_factory: UserFactory, admin_engine: Engine, settings: Settings
) -> None:
    user = user_factory(tenant, Role.CLIENT)
    clients = [f"198.51.100.{i}" for i in range(1, settings.login_max_failures_per_email + 4)]
    with httpx.Client(base_url=proxied_api, timeout=30, trust_env=False) as http:
        for address in clients:
            response = http.post(
                "/api/auth/login", json=login_body(user, WRONG), headers={"X-Forwarded-For": address}
            )
            assert response.status_code == 401, response.text  # each client its own counter
        # What the client wrote itself, left of what the proxy appended, is not believed.
        forged = http.post(
            "/api/auth/login",
            json=login_body(user, WRONG),
            headers={"X-Forwarded-For": "10.9.8.7, 192.0.2.50"},
        )
        assert forged.status_code == 401
        logged_in = http.post(
            "/api/auth/login", json=login_body(user, user.password), headers={"X-Forwarded-For": "192.0.2.99"}
        )
        assert logged_in.status_code == 200, logged_in.text
        # What the user then does is audited with the same client address.
        changed = http.post(
            "/api/auth/password",
            json={"current_password": user.password, "new_password": "a brand new passphrase"},
            headers={
                "Authorization": f"Bearer {logged_in.json()['access_token']}",
                "X-Forwarded-For": "192.0.2.99",
            },
        )
        assert changed.status_code == 200, changed.text
    assert checked(admin_engine, user) == [*clients, "192.0.2.50"]
    with admin_engine.connect() as conn:
        addresses = dict(
            conn.execute(
                text(
                    "SELECT action, client_address FROM audit_log"
                    " WHERE action IN ('auth.login', 'auth.password_change') AND target_id = :id"
                ),
                {"id": str(user.id)},
            ).all()
        )
    assert addresses == {"auth.login": "192.0.2.99", "auth.password_change": "192.0.2.99"}


# --- no lock-out button ------------------------------------------------------------------------


@pytest.fixture
def from_address() -> Iterator[Any]:
    """Test clients whose requests come from a given address (each its own app instance)."""
    from automat.app import create_app

    opened: list[TestClient] = []

    def make(address: str) -> TestClient:
        test_client = TestClient(create_app(), client=(address, 40000))
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


def test_the_owner_logs_in_while_an_attackers_address_is_throttled(
    from_address: Any, tenant: MadeTenant, user_factory: UserFactory, settings: Settings
) -> None:
    owner = user_factory(tenant, Role.PROJECT_MANAGER)
    attacker, home = from_address("203.0.113.66"), from_address("198.51.100.7")
    for _ in range(settings.login_max_failures_per_email):
        assert attacker.post("/api/auth/login", json=login_body(owner, WRONG)).status_code == 401
    # The attacker's address is slowed down for this account, even with the right password ...
    assert_throttled(attacker.post("/api/auth/login", json=login_body(owner, WRONG)))
    assert_throttled(attacker.post("/api/auth/login", json=login_body(owner, owner.password)))
    # ... but the owner, from an address with no failures, is not.
    assert home.post("/api/auth/login", json=login_body(owner, owner.password)).status_code == 200
    # Nor does the owner's login give the attacker new guesses.
    assert_throttled(attacker.post("/api/auth/login", json=login_body(owner, WRONG)))


def test_repeated_failures_slow_down_rather_than_lock(
    client: TestClient,
    tenant: MadeTenant,
    user_factory: UserFactory,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "login_backoff_base_s", 1)
    user = user_factory(tenant, Role.CLIENT)
    for _ in range(settings.login_max_failures_per_email):
        assert client.post("/api/auth/login", json=login_body(user, WRONG)).status_code == 401
    assert assert_throttled(client.post("/api/auth/login", json=login_body(user, WRONG))) == 1
    time.sleep(1.1)
    # After the wait one more guess is checked; the next wait is twice as long.
    assert client.post("/api/auth/login", json=login_body(user, WRONG)).status_code == 401
    assert assert_throttled(client.post("/api/auth/login", json=login_body(user, WRONG))) == 2
    time.sleep(2.1)
    # No lock: after the wait the right password gets in, and the slate is clean again.
    assert client.post("/api/auth/login", json=login_body(user, user.password)).status_code == 200
    assert client.post("/api/auth/login", json=login_body(user, WRONG)).status_code == 401

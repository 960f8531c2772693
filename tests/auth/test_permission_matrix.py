"""Every route of the OpenAPI schema, as every role: the matrix of core/permissions.py holds.

The routes are read from the app's OpenAPI schema, so a new route is tested the day it is added.
Each route must declare what it needs (``require(Permission.X)``, ``Authenticated`` or ``PUBLIC``
from core/deps.py); one that declares nothing fails ``test_every_route_declares_what_it_needs``.
Then each route is called as each role with made-up ids and an empty body: a role the matrix
allows gets past the guard (anything but 401/403: usually 404 for the made-up id or 422 for the
empty body), any other role gets 403 ``insufficient_role``, and nobody logged in gets 401.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from automat.core.deps import ACCESS_ATTR, Authenticated, CurrentActor, require
from automat.core.permissions import MATRIX, Permission
from automat.models.user import Role
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]
Access = Permission | str  # a permission, "authenticated" or "public"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    dependant: Dependant  # the effective one: the router's dependencies included

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def declarations(dependant: Dependant) -> set[Access]:
    """What the route's dependency tree declares (guards mark themselves with ACCESS_ATTR)."""
    found: set[Access] = set()
    for sub in dependant.dependencies:
        declared = getattr(sub.call, ACCESS_ATTR, None)
        if declared is not None:
            found.add(declared)
        found |= declarations(sub)
    return found


def operations(app: FastAPI) -> Iterator[Operation]:
    """Every operation of the OpenAPI schema, with the route that serves it."""
    routes = {
        (method, context.path): context.dependant
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in context.methods or ()
    }
    for path, item in app.openapi()["paths"].items():
        for method in item:
            yield Operation(method.upper(), path, routes[(method.upper(), path)])


def allowed_roles(declared: set[Access]) -> set[Role]:
    permissions = {d for d in declared if isinstance(d, Permission)}
    return {role for role in Role if permissions <= MATRIX[role]}


@pytest.fixture(scope="module")
def app(client: TestClient) -> FastAPI:
    application: FastAPI = client.app  # type: ignore[assignment]
    return application


def test_every_route_declares_what_it_needs(app: FastAPI) -> None:
    undeclared = [str(op) for op in operations(app) if not declarations(op.dependant)]
    assert undeclared == [], "routes that declare no permission (use require(...), Authenticated or PUBLIC)"


def test_the_declaration_reader_finds_an_undeclared_route() -> None:
    """A route with only the current user (no declaration) is found; declared ones are read."""
    probe = FastAPI()

    @probe.get("/bare")
    async def bare(actor: CurrentActor) -> None: ...

    @probe.get("/any")
    async def anyone(actor: Authenticated) -> None: ...

    @probe.get("/materials", dependencies=[require(Permission.MANAGE_MATERIALS)])
    async def materials() -> None: ...

    found = {str(op): declarations(op.dependant) for op in operations(probe)}
    assert found == {
        "GET /bare": set(),
        "GET /any": {"authenticated"},
        "GET /materials": {Permission.MANAGE_MATERIALS},
    }
    assert allowed_roles({Permission.MANAGE_MATERIALS}) == {Role.TENANT_ADMIN, Role.GLOBAL_ADMIN}


def _value(schema: dict[str, Any]) -> Any:
    kinds = {schema.get("type"), *(s.get("type") for s in schema.get("anyOf", []))}
    if schema.get("format") == "uuid" or any(s.get("format") == "uuid" for s in schema.get("anyOf", [])):
        return str(uuid.uuid4())
    if "integer" in kinds:
        return 1
    return "x"


def _request(client: TestClient, op: Operation, headers: dict[str, str]) -> Any:
    spec = client.app.openapi()["paths"][op.path][op.method.lower()]  # type: ignore[attr-defined]
    path, query = op.path, {}
    for param in spec.get("parameters", []):
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", str(_value(param["schema"])))
        elif param["in"] == "query" and param.get("required"):
            query[param["name"]] = _value(param["schema"])
    body = {"json": {}} if op.method in ("POST", "PUT", "PATCH") else {}
    return client.request(op.method, path, params=query, headers=headers, **body)


def test_every_route_lets_the_allowed_roles_in_and_keeps_the_others_out(
    client: TestClient, app: FastAPI, as_role: AsRole, tenant: MadeTenant
) -> None:
    parties = {role: as_role(None if role is Role.GLOBAL_ADMIN else tenant, role) for role in Role}
    wrong: list[str] = []
    for op in operations(app):
        declared = declarations(op.dependant)
        if op.path == "/api/auth/password" or "public" in declared:
            continue  # changing the password revokes the token the loop goes on with; public: below
        allowed = allowed_roles(declared)
        anonymous = _request(client, op, {})
        if anonymous.status_code != 401:
            wrong.append(f"{op} anonymous: {anonymous.status_code}, expected 401")
        for role, party in parties.items():
            got = _request(client, op, party.headers)
            if role in allowed and got.status_code in (401, 403):
                wrong.append(f"{op} as {role.value}: {got.status_code} {got.text[:120]}, expected through")
            elif role not in allowed and (
                got.status_code != 403 or got.json()["error"]["code"] != "insufficient_role"
            ):
                wrong.append(f"{op} as {role.value}: {got.status_code}, expected 403 insufficient_role")
    assert wrong == []


def test_public_routes_need_no_login(client: TestClient, app: FastAPI) -> None:
    public = sorted(str(op) for op in operations(app) if "public" in declarations(op.dependant))
    assert public == [
        "GET /api/media/downloads/{download_id}/file",  # a signed, expiring link is the permission
        "GET /health",
        "GET /health/live",
        "GET /metrics",  # its own guard: the monitoring network or the metrics token (tests/workers)
        "POST /api/auth/login",
        "POST /api/auth/refresh",
    ]
    for op in operations(app):
        if "public" in declarations(op.dependant) and op.path != "/metrics":
            assert _request(client, op, {}).status_code not in (401, 403), op

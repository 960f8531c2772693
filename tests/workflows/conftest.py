from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from automat.models.user import Role
from tests.support.factories import MadeTenant, unique
from tests.support.fixtures import Party

AsRole = Callable[[MadeTenant | None, Role], Party]

CAD_PROCESSING = "00000000-0000-4000-8000-00000000f001"
STILL = "00000000-0000-4000-8000-00000000f002"


@pytest.fixture
def admin(as_role: AsRole, tenant: MadeTenant) -> Party:
    return as_role(tenant, Role.TENANT_ADMIN)


def node(node_id: str, step: str, **params: Any) -> dict[str, Any]:
    return {"id": node_id, "step": step, "params": params}


def edge(a: str, b: str) -> dict[str, str]:
    return {"from": a, "to": b}


def still_config(**params: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "nodes": [
            node("check", "check_cad"),
            node("render", "render_still", **params),
            node("deliver", "deliver"),
        ],
        "edges": [edge("check", "render"), edge("render", "deliver")],
    }


def create_workflow(client: TestClient, party: Party, **body: Any) -> Response:
    body.setdefault("name", unique("wf"))
    body.setdefault("subject", "order_line")
    body.setdefault("config", still_config())
    response: Response = client.post("/api/workflows", json=body, headers=party.headers)
    return response


def code_of(response: Response) -> str:
    code: str = response.json()["error"]["code"]
    return code

"""/api/material-aliases: CRUD with validation, preview, reset-defaults, tenant isolation."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.materials.library import DEFAULT_ALIASES, FALLBACK_MATERIAL
from tests.materials.conftest import audit_actions, error_code, ok
from tests.materials.test_resolve import BEARING_PARTS
from tests.support.factories import MadeTenant, unique
from tests.support.fixtures import Party

STEEL = "SCHAEFFLER_010101_Steel-Bare"
POLISHED = "SCHAEFFLER_010102_Steel-Polished"
BRASS = "SCHAEFFLER_020201_Brass-Cage"
URL = "/api/material-aliases"


def create(client: TestClient, party: Party, **body: Any) -> httpx.Response:
    body.setdefault("pattern", unique("Part"))
    body.setdefault("material", STEEL)
    response: httpx.Response = client.post(URL, json=body, headers=party.headers)
    return response


def created(client: TestClient, party: Party, **body: Any) -> dict[str, Any]:
    return dict(ok(create(client, party, **body), 201))


def aliases(client: TestClient, party: Party, query: str = "") -> list[dict[str, Any]]:
    return list(ok(client.get(f"{URL}{query}", headers=party.headers)))


def preview(client: TestClient, party: Party, parts: list[str], **body: Any) -> dict[str, dict[str, Any]]:
    result = ok(client.post(f"{URL}/preview", json={"parts": parts, **body}, headers=party.headers))
    return {r["part"]: r for r in result["results"]}


def reset(client: TestClient, party: Party, **body: Any) -> list[dict[str, Any]]:
    return list(ok(client.post(f"{URL}/reset-defaults", json=body, headers=party.headers)))


def default_set() -> set[tuple[str, str, str, int]]:
    return {(d.pattern, d.kind, d.material, d.priority) for d in DEFAULT_ALIASES}


def as_set(listing: list[dict[str, Any]]) -> set[tuple[str, str, str, int]]:
    return {(a["pattern"], a["kind"], a["material"], a["priority"]) for a in listing}


# --- CRUD ----------------------------------------------------------------------------------------


def test_create_and_read(client: TestClient, ta: Party, pm: Party, admin_engine: Engine) -> None:
    body = created(client, ta, pattern="  Outer_Ring ", material=STEEL.lower(), priority=5)
    assert (body["pattern"], body["kind"], body["material"]) == ("Outer_Ring", "exact", STEEL)
    assert (body["priority"], body["is_default"]) == (5, False)
    assert ok(client.get(f"{URL}/{body['id']}", headers=pm.headers)) == body
    assert aliases(client, pm) == [body]
    assert audit_actions(admin_engine, body["id"]) == ["material_alias.create"]


def test_list_is_ordered_by_priority(client: TestClient, ta: Party) -> None:
    for priority in (5, 50, -3, 20):
        created(client, ta, kind="glob", pattern=f"*p{priority}*", priority=priority)
    assert [a["priority"] for a in aliases(client, ta)] == [50, 20, 5, -3]


def test_roles(client: TestClient, ta: Party, pm: Party, client_party: Party) -> None:
    alias = created(client, ta)
    assert error_code(create(client, pm), 403) == "insufficient_role"
    assert error_code(
        client.patch(f"{URL}/{alias['id']}", json={"priority": 1}, headers=pm.headers), 403
    ) == ("insufficient_role")
    assert error_code(client.delete(f"{URL}/{alias['id']}", headers=pm.headers), 403) == "insufficient_role"
    assert error_code(client.post(f"{URL}/reset-defaults", json={}, headers=pm.headers), 403) == (
        "insufficient_role"
    )
    for method, path, body in [
        ("GET", URL, None),
        ("GET", f"{URL}/{alias['id']}", None),
        ("POST", f"{URL}/preview", {"parts": ["Ball"]}),
        ("POST", URL, {"pattern": "x", "material": STEEL}),
    ]:
        response = client.request(method, path, json=body, headers=client_party.headers)
        assert error_code(response, 403) == "insufficient_role"
    assert client.get(URL).status_code == 401
    assert preview(client, pm, ["Ball"])["Ball"]["reason"] == "fallback"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "fuzzy"}, "validation_error"),
        ({"kind": "regex", "pattern": "(unclosed"}, "invalid_pattern"),
        ({"kind": "regex", "pattern": "ball[0-"}, "invalid_pattern"),
        ({"kind": "regex", "pattern": "^(a+)+$"}, "invalid_pattern"),
        ({"pattern": "   "}, "invalid_pattern"),
        ({"pattern": ""}, "validation_error"),
        ({"material": "SCHAEFFLER_999999_Nope"}, "unknown_material"),
        ({"material": "Steel"}, "unknown_material"),
        ({"priority": 10**6}, "validation_error"),
        ({"colour": "red"}, "unknown_field"),
    ],
)
def test_validation(client: TestClient, ta: Party, body: dict[str, Any], code: str) -> None:
    assert error_code(create(client, ta, **body), 422) == code


def test_aliases_may_name_the_tenants_own_materials(client: TestClient, ta: Party, other_ta: Party) -> None:
    own = "SCHAEFFLER_912345_Tenant-Red"
    ok(client.post("/api/materials", json={"name": own, "base_color": [1, 0, 0]}, headers=ta.headers), 201)
    assert created(client, ta, material=own)["material"] == own
    # Another tenant's material is unknown here.
    assert error_code(create(client, other_ta, material=own), 422) == "unknown_material"


def test_duplicates(client: TestClient, ta: Party) -> None:
    created(client, ta, pattern="*ball*", kind="glob")
    assert error_code(create(client, ta, pattern="*BALL*", kind="glob"), 409) == "duplicate_alias"
    assert created(client, ta, pattern="*ball*", kind="exact")["kind"] == "exact"


def test_update(client: TestClient, ta: Party, admin_engine: Engine) -> None:
    alias = created(client, ta, pattern="Ball", material=STEEL)
    changed = ok(
        client.patch(
            f"{URL}/{alias['id']}",
            json={"kind": "glob", "pattern": "ball*", "material": POLISHED, "priority": 7},
            headers=ta.headers,
        )
    )
    assert (changed["kind"], changed["pattern"], changed["material"], changed["priority"]) == (
        "glob",
        "ball*",
        POLISHED,
        7,
    )
    bad = client.patch(f"{URL}/{alias['id']}", json={"kind": "regex", "pattern": "*ball"}, headers=ta.headers)
    assert error_code(bad, 422) == "invalid_pattern"
    unknown = client.patch(
        f"{URL}/{alias['id']}", json={"material": "SCHAEFFLER_000000_X"}, headers=ta.headers
    )
    assert error_code(unknown, 422) == "unknown_material"
    other = created(client, ta, pattern="roller*", kind="glob")
    clash = client.patch(f"{URL}/{other['id']}", json={"pattern": "BALL*"}, headers=ta.headers)
    assert error_code(clash, 409) == "duplicate_alias"
    assert ok(client.get(f"{URL}/{alias['id']}", headers=ta.headers)) == changed
    assert audit_actions(admin_engine, alias["id"]) == ["material_alias.create", "material_alias.update"]


def test_delete(client: TestClient, ta: Party, admin_engine: Engine) -> None:
    alias = created(client, ta)
    assert client.delete(f"{URL}/{alias['id']}", headers=ta.headers).status_code == 204
    assert error_code(client.get(f"{URL}/{alias['id']}", headers=ta.headers), 404) == "not_found"
    assert error_code(client.delete(f"{URL}/{alias['id']}", headers=ta.headers), 404) == "not_found"
    assert audit_actions(admin_engine, alias["id"]) == ["material_alias.create", "material_alias.delete"]


# --- preview -------------------------------------------------------------------------------------


def test_preview_resolves_without_saving(
    client: TestClient, ta: Party, pm: Party, admin_engine: Engine
) -> None:
    created(client, ta, pattern="Outer_Ring", material=STEEL)
    created(client, ta, kind="glob", pattern="*ball*", material=POLISHED, priority=10)
    before = aliases(client, ta)
    result = ok(
        client.post(
            f"{URL}/preview", json={"parts": ["Outer_Ring", "Ball_13", BRASS, "Gizmo"]}, headers=pm.headers
        )
    )
    assert result["fallback_material"] == FALLBACK_MATERIAL
    assert result["results"] == [
        {
            "part": "Outer_Ring",
            "material": STEEL,
            "reason": "alias",
            "pattern": "Outer_Ring",
            "log_line": f"[MATERIAL] part 'Outer_Ring' → '{STEEL}' (alias match)",
            "before": None,  # no candidate alias to compare with
        },
        {
            "part": "Ball_13",
            "material": POLISHED,
            "reason": "pattern",
            "pattern": "*ball*",
            "log_line": f"[MATERIAL] part 'Ball_13' → '{POLISHED}' (pattern match)",
            "before": None,  # no candidate alias to compare with
        },
        {
            "part": BRASS,
            "material": BRASS,
            "reason": "exact",
            "pattern": None,
            "log_line": f"[MATERIAL] part '{BRASS}' → '{BRASS}' (exact match)",
            "before": None,  # no candidate alias to compare with
        },
        {
            "part": "Gizmo",
            "material": FALLBACK_MATERIAL,
            "reason": "fallback",
            "pattern": None,
            "log_line": f"[MATERIAL] part 'Gizmo' → '{FALLBACK_MATERIAL}' (no match)",
            "before": None,  # no candidate alias to compare with
        },
    ]
    assert aliases(client, ta) == before


def test_preview_uses_the_tenants_fallback(
    client: TestClient, ta: Party, ga: Party, tenant: MadeTenant
) -> None:
    iron = "SCHAEFFLER_050503_Cast-Iron"
    ok(
        client.patch(
            f"/api/tenants/{tenant.id}",
            json={"tenant_config": {"fallback_material": iron}},
            headers=ga.headers,
        )
    )
    assert preview(client, ta, ["Gizmo"])["Gizmo"]["material"] == iron


def test_preview_validation(client: TestClient, pm: Party) -> None:
    assert error_code(client.post(f"{URL}/preview", json={"parts": []}, headers=pm.headers), 422) == (
        "validation_error"
    )
    assert error_code(client.post(f"{URL}/preview", json={"parts": [""]}, headers=pm.headers), 422) == (
        "validation_error"
    )


def test_a_broken_regex_stored_behind_the_apis_back_does_not_break_resolution(
    client: TestClient, ta: Party, tenant: MadeTenant, admin_engine: Engine
) -> None:
    created(client, ta, kind="glob", pattern="*ball*", material=POLISHED, priority=1)
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO material_aliases (tenant_id, pattern, kind, material, priority) "
                "VALUES (:t, '(broken', 'regex', :m, 100)"
            ),
            {"t": tenant.id, "m": BRASS},
        )
    assert preview(client, ta, ["Ball"])["Ball"]["material"] == POLISHED


# --- defaults ------------------------------------------------------------------------------------


def test_the_bearing_resolves_with_the_defaults_and_falls_back_without(client: TestClient, ta: Party) -> None:
    restored = reset(client, ta)
    assert as_set(restored) == default_set()
    assert all(a["is_default"] for a in restored)
    resolved = preview(client, ta, BEARING_PARTS)
    assert {part: r["material"] for part, r in resolved.items() if r["reason"] == "fallback"} == {}
    assert {resolved[p]["material"] for p in ("Inner_Ring", "Outer_Ring")} == {STEEL}
    assert {resolved[p]["material"] for p in BEARING_PARTS[2:]} == {POLISHED}
    for alias in restored:
        assert client.delete(f"{URL}/{alias['id']}", headers=ta.headers).status_code == 204
    assert {r["reason"] for r in preview(client, ta, BEARING_PARTS).values()} == {"fallback"}
    assert {r["material"] for r in preview(client, ta, BEARING_PARTS).values()} == {FALLBACK_MATERIAL}


def test_reset_defaults_restores_changed_and_deleted_defaults(
    client: TestClient, ta: Party, admin_engine: Engine, tenant: MadeTenant
) -> None:
    first = {a["pattern"]: a for a in reset(client, ta)}
    changed = ok(client.patch(f"{URL}/{first['*ball*']['id']}", json={"material": BRASS}, headers=ta.headers))
    assert changed["is_default"] is False
    assert client.delete(f"{URL}/{first['*seal*']['id']}", headers=ta.headers).status_code == 204
    custom = created(client, ta, pattern="Widget", material=BRASS)
    after = reset(client, ta)
    assert as_set(after) == default_set() | {("Widget", "exact", BRASS, 0)}
    by_pattern = {a["pattern"]: a for a in after}
    assert by_pattern["*ball*"]["id"] == first["*ball*"]["id"]  # restored in place
    assert by_pattern["*ball*"]["is_default"] is True
    assert by_pattern["Widget"]["is_default"] is False
    assert as_set(reset(client, ta, remove_custom=True)) == default_set()
    assert error_code(client.get(f"{URL}/{custom['id']}", headers=ta.headers), 404) == "not_found"
    assert audit_actions(admin_engine, str(tenant.id)).count("material_alias.reset_defaults") == 3


def test_a_new_tenant_gets_the_default_aliases(client: TestClient, ga: Party) -> None:
    new = ok(
        client.post("/api/tenants", json={"slug": unique("mat"), "name": "New"}, headers=ga.headers), 201
    )
    listing = aliases(client, ga, f"?tenant_id={new['id']}")
    assert as_set(listing) == default_set()
    assert all(a["is_default"] and a["tenant_id"] == new["id"] for a in listing)
    assert [a["priority"] for a in listing] == sorted((a["priority"] for a in listing), reverse=True)
    resolved = preview(client, ga, BEARING_PARTS, tenant_id=new["id"])
    assert all(r["reason"] == "pattern" for r in resolved.values())


# --- tenants -------------------------------------------------------------------------------------


def test_tenants_cannot_see_or_touch_each_others_aliases(
    client: TestClient, ta: Party, other_ta: Party, other_tenant: MadeTenant
) -> None:
    mine = created(client, ta, pattern="Outer_Ring", material=BRASS)
    theirs = created(client, other_ta, kind="glob", pattern="*", material=POLISHED, priority=1000)
    assert [a["id"] for a in aliases(client, ta)] == [mine["id"]]
    for method, body in [("GET", None), ("PATCH", {"priority": 9}), ("DELETE", None)]:
        response = client.request(method, f"{URL}/{theirs['id']}", json=body, headers=ta.headers)
        assert error_code(response, 404) == "not_found"
    unknown = client.get(f"{URL}/{uuid.uuid4()}", headers=ta.headers)
    foreign = client.get(f"{URL}/{theirs['id']}", headers=ta.headers)
    assert (unknown.status_code, unknown.json()) == (foreign.status_code, foreign.json())
    assert ok(client.get(f"{URL}/{theirs['id']}", headers=other_ta.headers)) == theirs
    # B's catch-all does not leak into A's resolution, and A cannot act on B by naming it.
    assert preview(client, ta, ["Outer_Ring", "Gizmo"])["Gizmo"]["reason"] == "fallback"
    assert (
        error_code(client.get(f"{URL}?tenant_id={other_tenant.id}", headers=ta.headers), 404) == "not_found"
    )
    assert error_code(create(client, ta, tenant_id=str(other_tenant.id)), 404) == "not_found"
    response = client.post(
        f"{URL}/reset-defaults", json={"tenant_id": str(other_tenant.id)}, headers=ta.headers
    )
    assert error_code(response, 404) == "not_found"
    response = client.post(
        f"{URL}/preview", json={"parts": ["x"], "tenant_id": str(other_tenant.id)}, headers=ta.headers
    )
    assert error_code(response, 404) == "not_found"
    assert aliases(client, other_ta) == [theirs]


def test_global_admins_name_the_tenant(client: TestClient, ga: Party, ta: Party, tenant: MadeTenant) -> None:
    assert error_code(client.get(URL, headers=ga.headers), 422) == "tenant_required"
    assert error_code(create(client, ga), 422) == "tenant_required"
    assert error_code(client.get(f"{URL}?tenant_id={uuid.uuid4()}", headers=ga.headers), 404) == "not_found"
    alias = created(client, ga, tenant_id=str(tenant.id))
    assert alias["tenant_id"] == str(tenant.id)
    assert aliases(client, ta) == [alias]
    # An alias id is enough to change or delete it.
    assert ok(client.patch(f"{URL}/{alias['id']}", json={"priority": 3}, headers=ga.headers))["priority"] == 3
    assert as_set(reset(client, ga, tenant_id=str(tenant.id))) == default_set() | {
        (alias["pattern"], "exact", STEEL, 3)
    }
    assert client.delete(f"{URL}/{alias['id']}", headers=ga.headers).status_code == 204

"""Ordering a tenant's aliases in one request and resetting them to the defaults after a preview."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from automat.materials.library import DEFAULT_ALIASES
from automat.materials.service import ordered_priorities
from tests.materials.conftest import error_code, ok
from tests.materials.test_alias_endpoints import BRASS, POLISHED, STEEL, URL, aliases, created, preview, reset
from tests.support.factories import MadeTenant
from tests.support.fixtures import Party


def order(client: TestClient, party: Party, ids: list[str], **body: Any) -> Any:
    return client.put(f"{URL}/order", json={"ids": ids, **body}, headers=party.headers)


def reset_preview(client: TestClient, party: Party, **body: Any) -> dict[str, Any]:
    return dict(ok(client.post(f"{URL}/reset-defaults/preview", json=body, headers=party.headers)))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ([100, 90, 80], [100, 90, 80]),  # already in order: nothing changes
        ([80, 100, 90], [110, 100, 90]),  # the last one moved to the top
        ([100, 80, 90], [100, 80, 70]),
        ([100, 90, 90, 90, 80], [100, 90, 87, 84, 80]),  # ties get an order
        ([5, 6], [5, -5]),
        ([10, 10, 9, 9], [40, 30, 20, 10]),  # no room between neighbours: numbered afresh
    ],
)
def test_ordered_priorities_change_as_few_as_the_order_needs(before: list[int], after: list[int]) -> None:
    got = ordered_priorities(before)
    assert got == after
    assert all(a > b for a, b in pairwise(got))


def test_the_order_decides_which_pattern_wins_and_persists(
    client: TestClient, ta: Party, pm: Party, admin_engine: Engine, tenant: MadeTenant
) -> None:
    ball = created(client, ta, kind="glob", pattern="*ball*", material=POLISHED, priority=50)
    cage = created(client, ta, kind="glob", pattern="*cage*", material=BRASS, priority=40)
    plain = created(client, ta, kind="glob", pattern="*part*", material=STEEL, priority=30)
    assert preview(client, pm, ["ball_cage"])["ball_cage"]["material"] == POLISHED

    listing = ok(order(client, ta, [cage["id"], ball["id"], plain["id"]]))
    assert [a["id"] for a in listing] == [cage["id"], ball["id"], plain["id"]]
    assert [a["id"] for a in aliases(client, pm)] == [cage["id"], ball["id"], plain["id"]]
    assert preview(client, pm, ["ball_cage"])["ball_cage"]["material"] == BRASS
    # One alias got a new priority: as few as the new order needs.
    old = {a["id"]: a["priority"] for a in (ball, cage, plain)}
    assert sum(a["priority"] != old[a["id"]] for a in listing) == 1
    with admin_engine.connect() as conn:
        actions = conn.execute(
            text("SELECT action FROM audit_log WHERE action = 'material_alias.reorder' AND tenant_id = :t"),
            {"t": tenant.id},
        ).all()
    assert len(actions) == 1


def test_a_stale_list_is_409_and_changes_nothing(client: TestClient, ta: Party) -> None:
    one = created(client, ta, kind="glob", pattern="*one*", priority=10)
    two = created(client, ta, kind="glob", pattern="*two*", priority=5)
    seen = [two["id"], one["id"]]
    three = created(client, ta, kind="glob", pattern="*three*", priority=1)  # added meanwhile
    assert error_code(order(client, ta, seen), 409) == "aliases_changed"
    assert error_code(order(client, ta, [*seen, three["id"], one["id"]]), 409) == "aliases_changed"
    assert [a["id"] for a in aliases(client, ta)] == [one["id"], two["id"], three["id"]]
    assert len(ok(order(client, ta, [*seen, three["id"]]))) == 3


def test_moving_a_default_makes_it_the_tenants_own_and_reset_restores_it(
    client: TestClient, ta: Party
) -> None:
    listing = reset(client, ta)
    ids = [a["id"] for a in listing]
    moved = listing[-1]  # the lowest default to the top
    after = ok(order(client, ta, [moved["id"], *ids[:-1]]))
    assert after[0]["id"] == moved["id"] and after[0]["is_default"] is False
    assert sum(not a["is_default"] for a in after) == 1

    plan = reset_preview(client, ta)
    assert [(c["alias"]["id"], c["after"]["priority"]) for c in plan["restored"]] == [
        (moved["id"], moved["priority"])
    ]
    assert (plan["removed"], plan["added"], plan["unchanged"]) == ([], [], len(DEFAULT_ALIASES) - 1)
    assert [a["id"] for a in reset(client, ta)] == ids


def test_reset_preview_says_what_reset_does_and_saves_nothing(
    client: TestClient, ta: Party, pm: Party
) -> None:
    listing = reset(client, ta)
    by_pattern = {a["pattern"]: a for a in listing}
    changed = by_pattern["*seal*"]
    ok(client.patch(f"{URL}/{changed['id']}", json={"material": STEEL}, headers=ta.headers))
    deleted = by_pattern["*shaft*"]
    ok(client.delete(f"{URL}/{deleted['id']}", headers=ta.headers), 204)
    own = created(client, ta, kind="glob", pattern="*mine*")
    before = aliases(client, ta)

    plan = reset_preview(client, ta)
    assert [
        (c["alias"]["pattern"], c["alias"]["material"], c["after"]["material"]) for c in plan["restored"]
    ] == [("*seal*", STEEL, changed["material"])]
    assert [a["pattern"] for a in plan["added"]] == ["*shaft*"]
    assert plan["removed"] == []
    assert plan["unchanged"] == len(DEFAULT_ALIASES) - 1  # the other defaults and the own alias
    assert aliases(client, ta) == before, "a preview saves nothing"

    wiping = reset_preview(client, ta, remove_custom=True)
    assert {a["id"] for a in wiping["removed"]} == {a["id"] for a in before}
    assert len(wiping["added"]) == len(DEFAULT_ALIASES)

    after = reset(client, ta)
    assert own["id"] in {a["id"] for a in after}
    assert {a["pattern"]: a["material"] for a in after}["*seal*"] == changed["material"]
    assert reset_preview(client, ta)["restored"] == []
    assert error_code(client.post(f"{URL}/reset-defaults/preview", json={}, headers=pm.headers), 403) == (
        "insufficient_role"
    )


def test_tenants_cannot_order_or_preview_each_others_aliases(
    client: TestClient, ta: Party, other_ta: Party, tenant: MadeTenant
) -> None:
    mine = created(client, ta, kind="glob", pattern="*mine*")
    theirs = created(client, other_ta, kind="glob", pattern="*theirs*")
    assert error_code(order(client, other_ta, [mine["id"]]), 409) == "aliases_changed"
    assert error_code(order(client, other_ta, [theirs["id"], mine["id"]]), 409) == "aliases_changed"
    assert error_code(order(client, other_ta, [theirs["id"]], tenant_id=str(tenant.id)), 404) == "not_found"
    assert (
        error_code(
            client.post(
                f"{URL}/reset-defaults/preview", json={"tenant_id": str(tenant.id)}, headers=other_ta.headers
            ),
            404,
        )
        == "not_found"
    )
    assert reset_preview(client, other_ta, remove_custom=True)["removed"][0]["id"] == theirs["id"]
    assert [a["id"] for a in aliases(client, ta)] == [mine["id"]]

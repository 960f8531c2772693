"""Resolution rules: exact material name, exact alias, glob/regex pattern by priority, fallback."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from automat.core.db import BYPASS, SyncDatabase
from automat.materials.library import BUILTIN_BY_NAME, DEFAULT_ALIASES, FALLBACK_MATERIAL, AliasDef
from automat.materials.resolve import (
    Resolution,
    compile_regex,
    log_line,
    name_variants,
    part_colours,
    regex_problem,
    resolve_for_tenant,
    resolve_material_map,
)
from automat.materials.service import seed_default_aliases_sync
from tests.support.factories import MadeTenant

STEEL = "SCHAEFFLER_010101_Steel-Bare"
POLISHED = "SCHAEFFLER_010102_Steel-Polished"
BRASS = "SCHAEFFLER_020201_Brass-Cage"
RUBBER = "SCHAEFFLER_040401_Rubber-Seal-Black"
KNOWN = set(BUILTIN_BY_NAME)
# Part names of the FreeCAD bearing fixture as they come out of the GLB: 14 balls, all called "Ball".
BEARING_PARTS = ["Inner_Ring", "Outer_Ring", "Ball", *(f"Ball_{i}" for i in range(1, 14))]


@dataclass(frozen=True)
class Alias:
    pattern: str
    kind: str
    material: str
    priority: int = 0


def resolve(
    parts: list[str], aliases: list[Alias] | tuple[AliasDef, ...], **kw: object
) -> dict[str, Resolution]:
    kw.setdefault("fallback", FALLBACK_MATERIAL)
    kw.setdefault("known", KNOWN)
    return resolve_material_map(parts, aliases, **kw)  # type: ignore[arg-type]


def one(part: str, aliases: list[Alias], **kw: object) -> Resolution:
    return resolve([part], aliases, **kw)[part]


# --- the four reasons ----------------------------------------------------------------------------


def test_a_part_named_like_a_material_is_an_exact_match() -> None:
    assert one(STEEL, []) == Resolution(STEEL, "exact")
    assert one(STEEL.lower(), []) == Resolution(STEEL, "exact")
    assert one(f"{STEEL}.001", []) == Resolution(STEEL, "exact")


def test_exact_material_beats_every_alias() -> None:
    aliases = [Alias(STEEL, "exact", BRASS, 1000), Alias("*", "glob", RUBBER, 1000)]
    assert one(STEEL, aliases).reason == "exact"


def test_exact_alias_is_case_insensitive() -> None:
    aliases = [Alias("Outer_Ring", "exact", STEEL)]
    assert one("OUTER_RING", aliases) == Resolution(STEEL, "alias", "Outer_Ring")
    assert one("outer_ring", aliases) == Resolution(STEEL, "alias", "Outer_Ring")


@pytest.mark.parametrize(
    "part", ["Ball_13", "Ball.001", "Ball:2", "Ball-2", "Ball (2)", "Ball<1>", "Ball_13.001", " Ball "]
)
def test_exact_alias_matches_names_with_instance_suffixes(part: str) -> None:
    assert one(part, [Alias("ball", "exact", POLISHED)]) == Resolution(POLISHED, "alias", "ball")


def test_the_full_name_wins_over_the_stripped_name() -> None:
    aliases = [Alias("Ball", "exact", POLISHED, 100), Alias("Ball_2", "exact", BRASS, 0)]
    assert one("Ball_2", aliases).material == BRASS
    assert one("Ball_3", aliases).material == POLISHED


def test_name_variants() -> None:
    assert name_variants("Ball_13.001") == ["Ball_13.001", "Ball_13", "Ball"]
    assert name_variants("Ball") == ["Ball"]
    assert name_variants("_13") == ["_13"]  # nothing left after stripping: keep the name
    assert name_variants("6205-2RS") == ["6205-2RS"]


def test_exact_alias_beats_patterns_of_higher_priority() -> None:
    aliases = [Alias("*ring*", "glob", BRASS, 1000), Alias("Inner_Ring", "exact", STEEL, 0)]
    assert one("Inner_Ring", aliases) == Resolution(STEEL, "alias", "Inner_Ring")


def test_glob_is_case_insensitive() -> None:
    assert one("Big_BALL_7", [Alias("*ball*", "glob", POLISHED)]) == Resolution(POLISHED, "pattern", "*ball*")


def test_regex_searches_case_insensitively() -> None:
    aliases = [Alias(r"seal|gasket", "regex", RUBBER)]
    assert one("Shaft_SEAL_left", aliases) == Resolution(RUBBER, "pattern", r"seal|gasket")
    assert one("ring", aliases).reason == "fallback"


def test_anchored_patterns_also_try_the_name_without_suffix() -> None:
    assert one("Ball_13", [Alias("^ball$", "regex", POLISHED)]).reason == "pattern"
    assert one("Ball.001", [Alias("ball", "glob", POLISHED)]).reason == "pattern"


def test_highest_priority_pattern_wins() -> None:
    aliases = [Alias("*ring*", "glob", STEEL, 10), Alias("^outer", "regex", BRASS, 20)]
    assert one("Outer_Ring", aliases) == Resolution(BRASS, "pattern", "^outer")
    aliases = [Alias("*ring*", "glob", STEEL, 30), Alias("^outer", "regex", BRASS, 20)]
    assert one("Outer_Ring", aliases) == Resolution(STEEL, "pattern", "*ring*")


def test_ties_are_broken_the_same_way_whatever_the_order() -> None:
    a = Alias("*ring*", "glob", STEEL, 5)
    b = Alias("outer*", "glob", BRASS, 5)
    assert one("Outer_Ring", [a, b]) == one("Outer_Ring", [b, a]) == Resolution(STEEL, "pattern", "*ring*")


def test_nothing_matched_gives_the_fallback() -> None:
    assert one("Widget", [Alias("*ball*", "glob", POLISHED)]) == Resolution(FALLBACK_MATERIAL, "fallback")
    custom = "SCHAEFFLER_050501_Paint-Housing-Grey"
    assert one("Widget", [], fallback=custom) == Resolution(custom, "fallback")


def test_an_invalid_stored_regex_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    aliases = [Alias("(unclosed", "regex", BRASS, 100), Alias("*ball*", "glob", POLISHED, 1)]
    with caplog.at_level(logging.WARNING, logger="automat.materials"):
        assert one("Ball", aliases) == Resolution(POLISHED, "pattern", "*ball*")
    assert "(unclosed" in caplog.text


@pytest.mark.parametrize(
    "pattern", ["^ball$", "(inner|outer)[ _.-]*(ring|race)", "(?:ab)*c", "(a|b)*x", "b.l{2}"]
)
def test_sound_regexes_may_be_stored(pattern: str) -> None:
    assert regex_problem(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("(unclosed", "not a valid"),
        ("a**", "not a valid"),
        ("(a+)+$", "nests"),
        ("(.*x)*", "nests"),
        ("(x(a*))+", "nests"),
    ],
)
def test_broken_or_explosive_regexes_are_refused(pattern: str, problem: str) -> None:
    assert problem in (regex_problem(pattern) or "")


def test_every_part_is_answered_once_in_order() -> None:
    parts = ["b", "a", "b", "c"]
    assert list(resolve(parts, [])) == ["b", "a", "c"]


# --- the default aliases -------------------------------------------------------------------------


def test_the_freecad_bearing_resolves_without_fallback() -> None:
    resolved = resolve(BEARING_PARTS, DEFAULT_ALIASES)
    assert resolved["Inner_Ring"] == Resolution(STEEL, "pattern", r"^(inner|outer)[ _.-]*(ring|race)")
    assert resolved["Outer_Ring"].material == STEEL
    for ball in BEARING_PARTS[2:]:
        assert resolved[ball] == Resolution(POLISHED, "pattern", "*ball*")
    assert all(r.reason != "fallback" for r in resolved.values())


@pytest.mark.parametrize(
    ("part", "material"),
    [
        ("InnerRace", STEEL),
        ("outer race", STEEL),
        ("IR_1", STEEL),
        ("Tapered_Roller_07", POLISHED),
        ("Needle", POLISHED),
        ("Cage", BRASS),
        ("Cage_PA66", "SCHAEFFLER_030301_Polyamide-Cage"),
        ("Retainer", BRASS),
        ("Seal_2RS", RUBBER),
        ("Shield_Z", "SCHAEFFLER_010104_Steel-ZincPlated"),
        ("Plummer_Housing", "SCHAEFFLER_050501_Paint-Housing-Grey"),
        ("Hex_Bolt_M8", "SCHAEFFLER_010104_Steel-ZincPlated"),
        ("Shaft", "SCHAEFFLER_010105_Steel-Chrome"),
        ("Snap_Ring", STEEL),
    ],
)
def test_default_aliases_cover_common_bearing_parts(part: str, material: str) -> None:
    assert one(part, list(DEFAULT_ALIASES)).material == material  # type: ignore[arg-type]


def test_every_default_alias_names_a_builtin_material_and_compiles() -> None:
    for alias in DEFAULT_ALIASES:
        assert alias.material in BUILTIN_BY_NAME
        assert alias.kind in ("exact", "glob", "regex")
        if alias.kind == "regex":
            assert compile_regex(alias.pattern) is not None
            assert regex_problem(alias.pattern) is None


# --- log lines -----------------------------------------------------------------------------------


def test_log_lines() -> None:
    assert (
        log_line("Outer_Ring", Resolution(STEEL, "alias", "Outer_Ring"))
        == "[MATERIAL] part 'Outer_Ring' → 'SCHAEFFLER_010101_Steel-Bare' (alias match)"
    )
    assert (
        log_line("Ball_3", Resolution(POLISHED, "pattern", "*ball*"))
        == "[MATERIAL] part 'Ball_3' → 'SCHAEFFLER_010102_Steel-Polished' (pattern match)"
    )
    assert (
        log_line(STEEL, Resolution(STEEL, "exact"))
        == "[MATERIAL] part 'SCHAEFFLER_010101_Steel-Bare' → 'SCHAEFFLER_010101_Steel-Bare' (exact match)"
    )
    assert (
        log_line("X", Resolution(FALLBACK_MATERIAL, "fallback"))
        == "[MATERIAL] part 'X' → 'SCHAEFFLER_059999_FailedMaterial' (no match)"
    )


# --- resolve_for_tenant (workers: sync session, real database) --------------------------------------


def test_resolve_for_tenant_uses_the_tenants_rows_and_logs(
    app_db: SyncDatabase, tenant: MadeTenant, caplog: pytest.LogCaptureFixture
) -> None:
    own = "SCHAEFFLER_990001_Tenant-Special"
    with app_db.session(BYPASS) as session:  # the tenant row itself is for global admins to change
        seed_default_aliases_sync(session, tenant.id)
        session.execute(
            text(
                "INSERT INTO materials (tenant_id, name, base_color) "
                "VALUES (:t, :n, '[0.1, 0.2, 0.3, 1]'::jsonb)"
            ),
            {"t": tenant.id, "n": own},
        )
        session.execute(
            text(
                "INSERT INTO material_aliases (tenant_id, pattern, kind, material, priority) "
                "VALUES (:t, 'Widget', 'exact', :n, 0)"
            ),
            {"t": tenant.id, "n": own},
        )
        session.execute(
            text(
                "UPDATE tenants SET tenant_config = tenant_config || "
                '\'{"fallback_material": "SCHAEFFLER_050503_Cast-Iron"}\'::jsonb WHERE id = :t'
            ),
            {"t": tenant.id},
        )
    with caplog.at_level(logging.INFO, logger="automat.materials"), app_db.session(tenant.id) as session:
        resolved = resolve_for_tenant(session, tenant.id, ["Outer_Ring", "Widget_2", own, "Gizmo"])
    assert resolved == {
        "Outer_Ring": Resolution(STEEL, "pattern", r"^(inner|outer)[ _.-]*(ring|race)"),
        "Widget_2": Resolution(own, "alias", "Widget"),
        own: Resolution(own, "exact"),
        "Gizmo": Resolution("SCHAEFFLER_050503_Cast-Iron", "fallback"),
    }
    lines = [r.getMessage() for r in caplog.records if r.name == "automat.materials"]
    assert lines == [
        "[MATERIAL] part 'Outer_Ring' → 'SCHAEFFLER_010101_Steel-Bare' (pattern match)",
        f"[MATERIAL] part 'Widget_2' → '{own}' (alias match)",
        f"[MATERIAL] part '{own}' → '{own}' (exact match)",
        "[MATERIAL] part 'Gizmo' → 'SCHAEFFLER_050503_Cast-Iron' (no match)",
    ]


def test_resolve_for_tenant_sees_only_its_own_tenant(
    app_db: SyncDatabase, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    with app_db.session(other_tenant.id) as session:
        seed_default_aliases_sync(session, other_tenant.id)
    with app_db.session(tenant.id) as session:
        resolved = resolve_for_tenant(session, tenant.id, BEARING_PARTS)
    assert {r.reason for r in resolved.values()} == {"fallback"}


@pytest.mark.parametrize(
    ("part", "material"),
    [
        ("Cage_Part", "SCHAEFFLER_020201_Brass-Cage"),  # the "pa" in "Part" is no polyamide
        ("Cage_PA66", "SCHAEFFLER_030301_Polyamide-Cage"),
        ("cage-polyamide", "SCHAEFFLER_030301_Polyamide-Cage"),
        ("SnapRing", "SCHAEFFLER_010101_Steel-Bare"),
        ("Bearing_6205", FALLBACK_MATERIAL),  # the "ring" in "Bearing" is no ring
    ],
)
def test_default_aliases_do_not_match_by_accident(part: str, material: str) -> None:
    resolved = resolve_material_map(
        [part], DEFAULT_ALIASES, fallback=FALLBACK_MATERIAL, known=set(BUILTIN_BY_NAME)
    )
    assert resolved[part].material == material


# --- unmatched parts in their CAD colour (tenant opt-in) ---------------------------------------------

RED_LINEAR = [1.0, 0.0, 0.0, 1.0]
GREY_LINEAR = [0.6039, 0.6039, 0.6039, 1.0]  # the FreeCAD bearing's sRGB 0.8 grey, as the GLB has it


def test_cad_colour_mode_gives_unmatched_parts_a_plain_material_of_their_colour() -> None:
    colours = {"Widget": RED_LINEAR, "Ball": GREY_LINEAR, "Housing_Plain": None}
    resolved = resolve(
        ["Widget", "Ball", "Gizmo", "Housing_Plain"],
        list(DEFAULT_ALIASES),
        colours=colours,
        unmatched="cad_colour",
    )
    assert resolved == {
        "Widget": Resolution("CAD_COLOUR_FF0000", "cad_colour"),
        "Ball": Resolution(POLISHED, "pattern", "*ball*"),  # an alias still wins over the colour
        "Gizmo": Resolution(FALLBACK_MATERIAL, "fallback"),  # no colour in the file: the fallback
        "Housing_Plain": Resolution("SCHAEFFLER_050501_Paint-Housing-Grey", "pattern", "*housing*"),
    }
    assert (
        log_line("Widget", resolved["Widget"])
        == "[MATERIAL] part 'Widget' → 'CAD_COLOUR_FF0000' (no match, CAD colour)"
    )
    assert (
        one("Gear", [], colours={"Gear": GREY_LINEAR}, unmatched="cad_colour").material == "CAD_COLOUR_CCCCCC"
    )


def test_fallback_mode_ignores_cad_colours() -> None:
    assert one("Widget", [], colours={"Widget": RED_LINEAR}) == Resolution(FALLBACK_MATERIAL, "fallback")


def test_parts_of_one_name_take_the_first_colour() -> None:
    @dataclass
    class Part:
        name: str
        color: list[float] | None

    parts = [Part("Pin", None), Part("Pin", RED_LINEAR), Part("Pin", GREY_LINEAR), Part("Cap", None)]
    assert part_colours(parts) == {"Pin": RED_LINEAR}


def test_resolve_for_tenant_follows_the_tenants_unmatched_part_setting(
    app_db: SyncDatabase, tenant: MadeTenant, other_tenant: MadeTenant
) -> None:
    with app_db.session(BYPASS) as session:
        session.execute(
            text(
                "UPDATE tenants SET tenant_config = tenant_config || "
                '\'{"unmatched_part_material": "cad_colour"}\'::jsonb WHERE id = :t'
            ),
            {"t": tenant.id},
        )
    colours = {"Widget": RED_LINEAR}
    with app_db.session(tenant.id) as session:
        opted_in = resolve_for_tenant(session, tenant.id, ["Widget"], colours=colours)
    with app_db.session(other_tenant.id) as session:
        default = resolve_for_tenant(session, other_tenant.id, ["Widget"], colours=colours)
    assert opted_in == {"Widget": Resolution("CAD_COLOUR_FF0000", "cad_colour")}
    assert default == {"Widget": Resolution(FALLBACK_MATERIAL, "fallback")}

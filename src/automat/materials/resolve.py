"""Which material each CAD part gets: exact material name, exact alias, pattern alias, or the fallback.

``resolve_material_map`` is pure: it takes the part names, the tenant's aliases, the fallback and
the known material names, and answers ``{part: Resolution}``. The rules, first match wins:

1. ``exact``: the part is named like a known material (case-insensitive).
2. ``alias``: an alias of kind ``exact`` names the part (case-insensitive). Exact aliases are more
   specific than any pattern, so they win over patterns whatever their priority.
3. ``pattern``: a ``glob`` (fnmatch) or ``regex`` (``re.search``) alias matches, both
   case-insensitive; the highest priority wins, ties go to the lexically first pattern.
4. ``cad_colour``: nothing matched, the tenant renders unmatched parts in their CAD colour
   (``unmatched_part_material: cad_colour``) and the part has one (``CadPart.color``, from the
   STEP file's styling): a plain material of that colour, ``CAD_COLOUR_<sRGB hex>``
   (``materials.library.cad_colour_name``). Parts that share a name share the first one's colour.
5. ``fallback``: nothing matched; the tenant's fallback material (magenta by default).

CAD part names carry instance suffixes (``Ball_13``, ``Ball.001``, ``Ball:2``, ``Ball-2``,
``Ball (2)``, ``Ball<2>``): every rule also tries the name without them, the full name first.
A stored regex that does not compile is skipped (with a warning), never fatal.

``resolve_for_tenant`` loads a tenant's aliases, materials, fallback and unmatched-part mode in a
worker's sync session, resolves and logs one ``[MATERIAL]`` line per part.
"""

from __future__ import annotations

import fnmatch
import logging
import re
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from re import _parser as _re_parser  # type: ignore[attr-defined]
from typing import Any, Literal, Protocol

from sqlalchemy.orm import Session

from automat.materials import repository
from automat.materials.library import BUILTIN_BY_NAME, FALLBACK_MATERIAL, cad_colour_name

log = logging.getLogger("automat.materials")

Reason = Literal["exact", "alias", "pattern", "cad_colour", "fallback"]
REASON_TEXT: dict[str, str] = {
    "exact": "exact match",
    "alias": "alias match",
    "pattern": "pattern match",
    "cad_colour": "no match, CAD colour",
    "fallback": "no match",
}
UnmatchedMode = Literal["fallback", "cad_colour"]
Colour = Sequence[float]
_REPEATS = {_re_parser.MAX_REPEAT, _re_parser.MIN_REPEAT, getattr(_re_parser, "POSSESSIVE_REPEAT", None)}
_INSTANCE_SUFFIX = re.compile(r"(?:[._:-]\d+|\s*\(\d+\)|\s*<\d+>)$")


class AliasLike(Protocol):
    """Anything with an alias's fields: ``MaterialAlias`` rows, ``AliasDef``, API bodies."""

    @property
    def pattern(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def material(self) -> str: ...

    @property
    def priority(self) -> int: ...


@dataclass(frozen=True)
class Resolution:
    material: str
    reason: Reason
    pattern: str | None = None  # the alias pattern that matched (alias and pattern only)


def name_variants(part: str) -> list[str]:
    """The part name, then the name without its instance suffixes, one suffix at a time."""
    variants = [part.strip()]
    while True:
        stripped = _INSTANCE_SUFFIX.sub("", variants[-1]).strip()
        if not stripped or stripped == variants[-1]:
            return [v for v in variants if v]
        variants.append(stripped)


def compile_regex(pattern: str) -> re.Pattern[str] | None:
    """The compiled, case-insensitive regex, or None when it does not compile."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError):
        return None


def _children(value: Any) -> Iterator[Any]:
    if isinstance(value, _re_parser.SubPattern):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _children(item)


def _nested_unbounded_repeat(subpattern: Any, inside: bool = False) -> bool:
    for op, av in subpattern:
        unbounded = op in _REPEATS and av[1] == _re_parser.MAXREPEAT
        if unbounded and inside:
            return True
        if any(_nested_unbounded_repeat(child, inside or unbounded) for child in _children(av)):
            return True
    return False


def regex_problem(pattern: str) -> str | None:
    """Why a regex may not be stored, or None. Besides compiling, it must not nest unbounded
    repetition (``(a+)+``, ``(.*x)*``): such patterns can take exponential time on a long part name
    that does not match, and one tenant's alias must not stall a shared worker."""
    if compile_regex(pattern) is None:
        return f"{pattern!r} is not a valid regular expression."
    if _nested_unbounded_repeat(_re_parser.parse(pattern)):
        return f"{pattern!r} nests unbounded repetition (like (a+)+), which can take exponential time."
    return None


def _pattern_matcher(alias: AliasLike) -> Callable[[str], bool] | None:
    if alias.kind == "glob":
        glob = alias.pattern.casefold()
        return lambda name: fnmatch.fnmatchcase(name.casefold(), glob)
    if alias.kind == "regex":
        regex = compile_regex(alias.pattern)
        if regex is None:
            log.warning("[MATERIAL] skipping alias with invalid regex %r", alias.pattern)
            return None
        return lambda name: regex.search(name) is not None
    return None


def _order(alias: AliasLike) -> tuple[int, str, str, str, str]:
    """Highest priority first; ties broken by pattern, kind and material so the result is stable."""
    return (-alias.priority, alias.pattern.casefold(), alias.pattern, alias.kind, alias.material)


class _Resolver:
    def __init__(
        self,
        aliases: Iterable[AliasLike],
        *,
        fallback: str,
        known: Collection[str],
        colours: Mapping[str, Colour | None],
        unmatched: UnmatchedMode,
    ) -> None:
        self.fallback = fallback
        self.colours = colours if unmatched == "cad_colour" else {}
        self.known = {name.casefold(): name for name in sorted(known)}
        ordered = sorted(aliases, key=_order)
        self.exact: dict[str, AliasLike] = {}
        for alias in ordered:
            if alias.kind == "exact":
                self.exact.setdefault(alias.pattern.strip().casefold(), alias)
        self.patterns: list[tuple[AliasLike, Callable[[str], bool]]] = []
        for alias in ordered:
            matcher = _pattern_matcher(alias)
            if matcher is not None:
                self.patterns.append((alias, matcher))

    def resolve(self, part: str) -> Resolution:
        variants = name_variants(part)
        keys = [v.casefold() for v in variants]
        for key in keys:
            if key in self.known:
                return Resolution(self.known[key], "exact")
        for key in keys:
            alias = self.exact.get(key)
            if alias is not None:
                return Resolution(alias.material, "alias", alias.pattern)
        for alias, matches in self.patterns:
            if any(matches(v) for v in variants):
                return Resolution(alias.material, "pattern", alias.pattern)
        colour = self.colours.get(part)
        if colour is not None and len(colour) >= 3:
            return Resolution(cad_colour_name(colour), "cad_colour")
        return Resolution(self.fallback, "fallback")


def resolve_material_map(
    parts: Sequence[str],
    aliases: Sequence[AliasLike],
    *,
    fallback: str,
    known: Collection[str],
    colours: Mapping[str, Colour | None] | None = None,
    unmatched: UnmatchedMode = "fallback",
) -> dict[str, Resolution]:
    """``{part: Resolution}`` for every distinct part name, in the order given.

    ``colours`` (part -> linear RGBA from the CAD file) matter only with ``unmatched="cad_colour"``.
    """
    resolver = _Resolver(aliases, fallback=fallback, known=known, colours=colours or {}, unmatched=unmatched)
    return {part: resolver.resolve(part) for part in dict.fromkeys(parts)}


class PartLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def color(self) -> Sequence[float] | None: ...


def part_colours(parts: Iterable[PartLike]) -> dict[str, Colour]:
    """Part name -> the CAD colour of the first part of that name that has one."""
    colours: dict[str, Colour] = {}
    for part in parts:
        if part.color is not None:
            colours.setdefault(part.name, part.color)
    return colours


def log_line(part: str, resolution: Resolution) -> str:
    """``[MATERIAL] part 'Outer_Ring' → 'SCHAEFFLER_010101_Steel-Bare' (alias match)``."""
    return f"[MATERIAL] part '{part}' → '{resolution.material}' ({REASON_TEXT[resolution.reason]})"


def log_lines(resolved: dict[str, Resolution]) -> list[str]:
    return [log_line(part, resolution) for part, resolution in resolved.items()]


def known_materials(tenant_material_names: Iterable[str]) -> set[str]:
    """The built-in library plus a tenant's own materials."""
    return {*BUILTIN_BY_NAME, *tenant_material_names}


def fallback_of(tenant_config: dict[str, object] | None) -> str:
    value = (tenant_config or {}).get("fallback_material")
    return value if isinstance(value, str) and value else FALLBACK_MATERIAL


def unmatched_mode_of(tenant_config: dict[str, object] | None) -> UnmatchedMode:
    """What a tenant's unmatched parts render in: the fallback (default) or their CAD colour."""
    return (
        "cad_colour" if (tenant_config or {}).get("unmatched_part_material") == "cad_colour" else "fallback"
    )


def resolve_for_tenant(
    session: Session,
    tenant_id: uuid.UUID | str,
    parts: Sequence[str],
    *,
    colours: Mapping[str, Colour | None] | None = None,
) -> dict[str, Resolution]:
    """Resolve ``parts`` with a tenant's aliases, materials, fallback and unmatched-part mode
    (sync: workers, CLI); ``colours`` are the parts' CAD colours (``part_colours``).

    Logs one ``[MATERIAL]`` line per part to the ``automat.materials`` logger.
    """
    tid = uuid.UUID(str(tenant_id))
    config = repository.tenant_config_sync(session, tid)
    resolved = resolve_material_map(
        parts,
        repository.aliases_sync(session, tid),
        fallback=fallback_of(config),
        known=known_materials(repository.material_names_sync(session, tid)),
        colours=colours,
        unmatched=unmatched_mode_of(config),
    )
    for line in log_lines(resolved):
        log.info("%s", line)
    return resolved

"""Our own Part-21 scan of a STEP file's DATA section, to judge what OpenCASCADE will not say.

OpenCASCADE reads a file whose DATA section is partly broken "successfully": it skips the records
it cannot parse (and everything that refers to them) and converts whatever solids survive. This
scan reads every record with the Part-21 grammar, so a conversion can be checked against it:

- ``scan``: every record of the DATA section; the malformed ones (with line, entity and what is
  wrong), references to entities that are missing or unreadable, and a small index of the
  records that describe products and their shapes;
- ``shaped_leaf_products``: the names of the parts (products that are not assemblies) whose shape
  the file describes, i.e. the products that should come out of a conversion as geometry.

After a malformed record the scan starts again at the next record (``;`` then ``#n =``), so one
stray apostrophe counts as one malformed record, not as every record after it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from automat.cad.step_file import Params, first_text, to_text

# -- the grammar, as regular expressions (atomic groups: no backtracking on broken input) ---------

_WS = r"(?:\s|/\*.*?\*/)*"
_STRING = r"'(?:[^']|'')*+'"
_VALUE = (
    r"(?:" + _STRING + r"|\#\d+|\.[A-Za-z_][A-Za-z0-9_]*\.|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
    r'|"[0-9A-Fa-f]*"|\$|\*)'
)
_KEYWORD = r"!?[A-Za-z_][A-Za-z0-9_]*"
_ITEM = (
    rf"(?>{_VALUE}(?={_WS}[,)])"  # a value ends at a comma or a closing parenthesis
    rf"|{_KEYWORD}(?={_WS}\()"  # an entity or a typed parameter: NAME(
    rf"|\((?!{_WS},)"  # an opening parenthesis is not followed by a comma,
    rf"|,(?!{_WS}[,)])"  # a comma not by another comma or a closing parenthesis
    rf"|\)(?={_WS}[,);!A-Za-z_]))"
)
_RECORD = re.compile(rf"{_WS}\#(\d+){_WS}={_WS}(?=[(!A-Za-z_])(?:{_ITEM}{_WS})++;", re.S)
_STRINGS = re.compile(_STRING + r"|/\*.*?\*/", re.S)
_REFERENCE = re.compile(r"\#(\d+)")
_TYPE = re.compile(rf"{_WS}\#\d+{_WS}={_WS}(\(?){_WS}([A-Za-z_][A-Za-z0-9_]*)", re.S)
_DATA = re.compile(r"(?m)^[ \t]*DATA[ \t]*(?:\([^;]*\))?[ \t]*;")
_END = re.compile(rf"{_WS}ENDSEC{_WS};", re.S)
_NEXT_RECORD = re.compile(rf";{_WS}\#\d+{_WS}=", re.S)
_ENTITY_START = re.compile(r"\s*\#(\d+)\s*=\s*(\(?)\s*([A-Za-z_][A-Za-z0-9_]*)?")

# Records whose parameters the product check reads (every record's type is kept anyway).
_INDEXED = frozenset(
    {
        "PRODUCT",
        "PRODUCT_DEFINITION_FORMATION",
        "PRODUCT_DEFINITION_FORMATION_WITH_SPECIFIED_SOURCE",
        "PRODUCT_DEFINITION",
        "PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS",
        "NEXT_ASSEMBLY_USAGE_OCCURRENCE",
        "PRODUCT_DEFINITION_SHAPE",
        "SHAPE_DEFINITION_REPRESENTATION",
        "SHAPE_REPRESENTATION",
        "SHAPE_REPRESENTATION_RELATIONSHIP",
    }
)
# Representations and items that carry solid or surface geometry.
_GEOMETRIC_REPRESENTATIONS = frozenset(
    {
        "ADVANCED_BREP_SHAPE_REPRESENTATION",
        "FACETED_BREP_SHAPE_REPRESENTATION",
        "MANIFOLD_SURFACE_SHAPE_REPRESENTATION",
        "GEOMETRICALLY_BOUNDED_SURFACE_SHAPE_REPRESENTATION",
        "TESSELLATED_SHAPE_REPRESENTATION",
    }
)
_GEOMETRIC_ITEMS = frozenset(
    {
        "MANIFOLD_SOLID_BREP",
        "BREP_WITH_VOIDS",
        "FACETED_BREP",
        "SHELL_BASED_SURFACE_MODEL",
        "TRIANGULATED_FACE_SET",
        "TESSELLATED_SOLID",
        "TESSELLATED_SHELL",
    }
)
MAX_LISTED = 20


@dataclass(frozen=True)
class MalformedRecord:
    line: int
    entity_id: int | None
    entity: str | None
    problem: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "id": self.entity_id, "entity": self.entity, "problem": self.problem}


@dataclass
class DataScan:
    records: int = 0
    malformed_count: int = 0
    malformed: list[MalformedRecord] = field(default_factory=list)  # the first MAX_LISTED
    unresolved: list[int] = field(default_factory=list)  # ids referred to but not readable
    types: dict[int, str] = field(default_factory=dict)  # every readable record's entity type
    params: dict[int, list[Any]] = field(default_factory=dict)  # parameters of the _INDEXED ones


def _diagnose(span: str) -> str:
    """What is wrong with a malformed record, as far as a person needs to know."""
    if span.count("'") % 2:
        return "an apostrophe (') without its pair"
    code = _STRINGS.sub("", span)
    if code.count("(") != code.count(")"):
        return "unbalanced parentheses"
    return "text that is not STEP syntax"


def _malformed(text: str, pos: int, span: str) -> MalformedRecord:
    head = _ENTITY_START.match(span)
    entity = head.group(3) if head is not None and not head.group(2) else None
    return MalformedRecord(
        line=text.count("\n", 0, pos + len(span) - len(span.lstrip())) + 1,
        entity_id=int(head.group(1)) if head is not None else None,
        entity=entity.upper() if entity else None,
        problem=_diagnose(span),
    )


def _balanced(record: str) -> bool:
    if record.count("(") == record.count(")"):
        return True
    code = _STRINGS.sub("", record)
    return code.count("(") == code.count(")")


def _record_type(record: str) -> str | None:
    match = _TYPE.match(record)
    if match is None:
        return None
    return "(complex)" if match.group(1) else match.group(2).upper()


def scan(data: bytes) -> DataScan:
    """Read every record of the DATA section(s); never raises on odd input."""
    text = to_text(data)
    result = DataScan()
    references: set[int] = set()
    start = _DATA.search(text)
    while start is not None:
        pos = start.end()
        while pos < len(text):
            if _END.match(text, pos):
                break
            record = _RECORD.match(text, pos)
            if record is not None and _balanced(record.group(0)):
                result.records += 1
                entity_id = int(record.group(1))
                body = record.group(0)
                kind = _record_type(body)
                if kind is not None:
                    result.types[entity_id] = kind
                    if kind in _INDEXED:
                        result.params[entity_id] = _parameters(body)
                values = body[body.index("=") + 1 :]
                references.update(int(r) for r in _REFERENCE.findall(_STRINGS.sub("", values)))
                pos = record.end()
                continue
            following = _NEXT_RECORD.search(text, pos)
            end = following.start() + 1 if following else len(text)
            span = text[pos:end]
            if not span.strip():
                break
            result.records += 1
            result.malformed_count += 1
            if len(result.malformed) < MAX_LISTED:
                result.malformed.append(_malformed(text, pos, span))
            pos = end
        start = _DATA.search(text, pos)
    result.unresolved = sorted(references - result.types.keys())
    return result


def _parameters(record: str) -> list[Any]:
    open_at = record.index("(")
    try:
        return Params(record[open_at:]).list()
    except (AssertionError, IndexError):
        return []


# -- which products should come out as geometry --------------------------------------------------


def _ref(value: Any) -> int | None:
    if isinstance(value, str) and value.startswith("#") and value[1:].isdigit():
        return int(value[1:])
    return None


def _arg(scan: DataScan, entity_id: int | None, index: int) -> Any:
    if entity_id is None:
        return None
    params = scan.params.get(entity_id, [])
    return params[index] if index < len(params) else None


def _geometric(scan: DataScan, rep: int | None, related: dict[int, list[int]]) -> bool:
    """Does this representation hold solids or surfaces (itself, or a representation it is tied to)?

    One that the scan could not read counts: the file meant to describe something there."""
    seen: set[int] = set()
    todo = [rep] if rep is not None else []
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        kind = scan.types.get(current)
        if kind is None or kind in _GEOMETRIC_REPRESENTATIONS:
            return True
        items = _arg(scan, current, 1)
        if isinstance(items, list) and any(scan.types.get(_ref(i) or -1) in _GEOMETRIC_ITEMS for i in items):
            return True
        todo.extend(related.get(current, []))
    return False


def shaped_leaf_products(scan: DataScan) -> Counter[str]:
    """Names of the parts whose shape the file describes, counted (14 products called "Ball": 14)."""
    by_type: dict[str, list[int]] = {}
    for entity_id in scan.params:
        by_type.setdefault(scan.types[entity_id], []).append(entity_id)

    def of(*kinds: str) -> list[int]:
        return [i for kind in kinds for i in by_type.get(kind, [])]

    assemblies = {_ref(_arg(scan, n, 3)) for n in of("NEXT_ASSEMBLY_USAGE_OCCURRENCE")}
    related: dict[int, list[int]] = {}
    for rel in of("SHAPE_REPRESENTATION_RELATIONSHIP"):
        a, b = _ref(_arg(scan, rel, 2)), _ref(_arg(scan, rel, 3))
        if a is not None and b is not None:
            related.setdefault(a, []).append(b)
            related.setdefault(b, []).append(a)
    shaped: set[int] = set()  # product definitions with a geometric shape
    for sdr in of("SHAPE_DEFINITION_REPRESENTATION"):
        pds = _ref(_arg(scan, sdr, 0))
        definition = _ref(_arg(scan, pds, 2))
        if definition is not None and _geometric(scan, _ref(_arg(scan, sdr, 1)), related):
            shaped.add(definition)
    names: Counter[str] = Counter()
    for pd in of("PRODUCT_DEFINITION", "PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS"):
        if pd in assemblies or pd not in shaped:
            continue
        product = _ref(_arg(scan, _ref(_arg(scan, pd, 2)), 2))
        params = scan.params.get(product, []) if product is not None else []
        name = first_text(params, 1) or first_text(params, 0)
        if name:
            names[name] += 1
    return names

"""Our Part-21 scan of the DATA section: what OpenCASCADE reads without saying it skipped something."""

from __future__ import annotations

from collections import Counter

import pytest

from automat.cad import step_scan
from tests.cad import broken_steps
from tests.cad.conftest import BROKEN, VALID, fixture


@pytest.mark.parametrize("name", VALID)
def test_the_valid_fixtures_have_no_malformed_record_and_no_dangling_reference(name: str) -> None:
    scan = step_scan.scan(fixture(name).read_bytes())
    assert scan.records > 400
    assert (scan.malformed_count, scan.malformed, scan.unresolved) == (0, [], [])


def test_parts_of_the_bearing_are_the_products_with_a_shape_not_the_assembly() -> None:
    scan = step_scan.scan(broken_steps.bearing())
    assert step_scan.shaped_leaf_products(scan) == Counter({"Ball": 14, "Outer_Ring": 1, "Inner_Ring": 1})


def test_a_lost_apostrophe_is_one_malformed_record_and_the_scan_reads_on() -> None:
    clean = step_scan.scan(broken_steps.bearing())
    scan = step_scan.scan(broken_steps.lost_outer_ring())
    assert scan.records == clean.records  # the records after it are read, not swallowed
    assert scan.malformed_count == 1
    (bad,) = scan.malformed
    assert (bad.line, bad.entity_id, bad.entity) == (641, 520, "MANIFOLD_SOLID_BREP")
    assert "apostrophe" in bad.problem
    assert scan.unresolved == [520]  # the outer ring's shape refers to it


def test_unbalanced_parentheses_and_garbage_are_malformed_too() -> None:
    data = broken_steps.bearing()
    data = data.replace(b"#13 = DIRECTION('',(0.,0.,1.));", b"#13 = DIRECTION('',((0.,0.,1.));", 1)
    data = data.replace(b"#14 = DIRECTION('',(1.,0.,-0.));", b"#14 = DIRECTION('',(1.,0.,-0.)) junk;", 1)
    scan = step_scan.scan(data)
    assert [(m.entity_id, m.problem) for m in scan.malformed] == [
        (13, "unbalanced parentheses"),
        (14, "text that is not STEP syntax"),
    ]


def test_strings_with_quotes_escapes_and_semicolons_are_not_malformed() -> None:
    data = (
        b"ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\n"
        b"#1 = PRODUCT('it''s #2; (odd)','Lager \\X2\\00FC\\X0\\','',(#2));\n"
        b"/* a comment; with a semicolon */\n"
        b"#2 = PRODUCT_CONTEXT('',#3,'mechanical');\n"
        b"#3 = ( GEOMETRIC_REPRESENTATION_CONTEXT(3) REPRESENTATION_CONTEXT('','') );\n"
        b"#4 = MEASURE_REPRESENTATION_ITEM('',LENGTH_MEASURE(1.E-07),#3,.T.,$,*,\"0F\",-2);\n"
        b"ENDSEC;\nEND-ISO-10303-21;\n"
    )
    scan = step_scan.scan(data)
    assert (scan.records, scan.malformed_count, scan.unresolved) == (4, 0, [])


@pytest.mark.parametrize("name", BROKEN)
def test_the_scan_never_raises(name: str) -> None:
    step_scan.scan(fixture(name).read_bytes())

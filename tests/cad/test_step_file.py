from __future__ import annotations

import pytest

from automat.cad import step_file
from tests.cad.conftest import BEARING, fixture

HEAD = b"ISO-10303-21;\nHEADER;\n"


@pytest.mark.parametrize(
    "head",
    [
        HEAD,
        b"\xef\xbb\xbf" + HEAD,
        b"\n\n  \t" + HEAD,
        b"/* exported by a CAD system */\n" + HEAD,
        b"\xef\xbb\xbf /* one */ /* two\nlines */\r\n" + HEAD,
    ],
)
def test_sniff_accepts_part21_after_bom_whitespace_and_comments(head: bytes) -> None:
    assert step_file.sniff(head)


@pytest.mark.parametrize(
    "head",
    [b"", b"\x89PNG\r\n\x1a\n", b"solid cube\n", b"/* unterminated comment ISO-10303-21;", b"ISO-10303-2"],
)
def test_sniff_refuses_everything_else(head: bytes) -> None:
    assert not step_file.sniff(head)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Lager \\X2\\00FC00DF\\X0\\", "Lager üß"),
        ("\\X2\\6D4B8BD5\\X0\\", "测试"),
        ("\\X4\\0001F600\\X0\\", "😀"),
        ("Stra\\X\\DFe", "Straße"),
        ("\\S\\D", "Ä"),
        ("it''s", "it's"),
        ("back\\\\slash", "back\\slash"),
        ("\\PA\\plain", "plain"),
    ],
)
def test_part21_string_escapes(raw: str, text: str) -> None:
    assert step_file.decode_string(raw) == text


def test_broken_escapes_never_crash() -> None:
    assert isinstance(step_file.decode_string(r"\X2\00F\X0\ and \X4\zz\X0\ and \S\ "), str)


def test_header_of_the_freecad_bearing() -> None:
    header = step_file.read_header(fixture(BEARING).read_bytes())
    assert header.application_protocol == "AP214"
    assert header.originating_system == "FreeCAD"
    assert header.schema and "AUTOMOTIVE_DESIGN" in header.schema[0]


@pytest.mark.parametrize(
    ("name", "protocol", "unit"),
    [
        ("base_interface_AP203.STEP", "AP203", "inch"),
        ("base_interface_AP214.STEP", "AP214", "inch"),
        ("featuretype.STEP", "AP214", "inch"),
        ("shaft_motor_antigravity_4004.STEP", "AP214", "millimetre"),
        ("screw_m6x12_countersunk.step", "AP214", "millimetre"),
    ],
)
def test_protocol_and_length_unit(name: str, protocol: str, unit: str) -> None:
    data = fixture(name).read_bytes()
    assert step_file.read_header(data).application_protocol == protocol
    found = step_file.length_unit(data)
    assert found is not None
    assert found.name == unit
    assert found.mm == {"inch": 25.4, "millimetre": 1.0}[unit]


def test_ap242_and_unknown_schemas() -> None:
    assert (
        step_file.application_protocol(["AP242_MANAGED_MODEL_BASED_3D_ENGINEERING_MIM_LF { 1 0 10303 442 }"])
        == "AP242"
    )
    assert step_file.application_protocol(["SOMETHING_ELSE"]) == "other"


def test_product_names_decode_escapes_and_odd_bytes() -> None:
    data = (
        HEAD
        + b"FILE_SCHEMA(('AUTOMOTIVE_DESIGN'));\nENDSEC;\nDATA;\n"
        + b"#1=PRODUCT('A','Au\\X2\\00DF\\X0\\enring','',(#2));\n"
        + b"#3=PRODUCT('B','K\xe4fig','',(#2));\n"  # Latin-1 byte, not UTF-8
        + b"ENDSEC;\nEND-ISO-10303-21;\n"
    )
    assert step_file.product_names(data) == ["Außenring", "Käfig"]


def test_header_with_missing_entities_is_empty_not_an_error() -> None:
    header = step_file.read_header(HEAD + b"ENDSEC;\n")
    assert header.application_protocol == "other"
    assert header.file_name is None

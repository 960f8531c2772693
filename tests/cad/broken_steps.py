"""Broken STEP files made in the tests from the shared fixtures (none is committed).

- ``lost_outer_ring``: the FreeCAD bearing with one apostrophe lost in the record of the outer
  ring's solid (``MANIFOLD_SOLID_BREP('',#521)`` → ``(',#521)``): a text that never ends, as a
  hand edit or a broken exporter leaves it. OpenCASCADE skips the record and converts the rest
  without complaint: a bearing without its outer ring.
- ``moved_ball``: the bearing with the placement of its first ball (the point of the
  ``AXIS2_PLACEMENT_3D`` its ``ITEM_DEFINED_TRANSFORMATION`` moves it to) shifted 20 m along x.
- ``with_bom``: a UTF-8 byte-order mark before ``ISO-10303-21;``, as Windows tools write it.
- ``garbage_at_line_11``: binary bytes where the DATA section's records should be (a file damaged
  in transfer): OpenCASCADE stops at line 11.
"""

from __future__ import annotations

import re

from tests.cad.conftest import BEARING, fixture

OUTER_RING_SOLID = b"#520 = MANIFOLD_SOLID_BREP('',#521);"  # the solid of the product Outer_Ring


def bearing() -> bytes:
    return fixture(BEARING).read_bytes()


def lost_outer_ring() -> bytes:
    data = bearing()
    assert data.count(OUTER_RING_SOLID) == 1, "the bearing fixture changed"
    return data.replace(OUTER_RING_SOLID, b"#520 = MANIFOLD_SOLID_BREP(',#521);")


def moved_ball(dx_mm: float = 20_000.0) -> bytes:
    data = bearing()
    transform = re.search(rb"ITEM_DEFINED_TRANSFORMATION\('[^']*','[^']*',#\d+,#(\d+)\)", data)
    assert transform is not None
    placement = re.search(rb"#" + transform.group(1) + rb" = AXIS2_PLACEMENT_3D\('[^']*',#(\d+),", data)
    assert placement is not None
    point = re.compile(rb"(#" + placement.group(1) + rb" = CARTESIAN_POINT\('[^']*',\()([^,]+)(,)")
    found = point.search(data)
    assert found is not None
    x = float(found.group(2)) + dx_mm
    return point.sub(lambda m: m.group(1) + f"{x:.1f}".encode() + m.group(3), data, count=1)


def with_bom(data: bytes | None = None) -> bytes:
    return b"\xef\xbb\xbf" + (data if data is not None else bearing())


def garbage_at_line_11() -> bytes:
    data = bearing()
    return (
        data[: data.index(b"DATA;")] + b"DATA;\n" + bytes(range(256)) * 4 + b"\nENDSEC;\nEND-ISO-10303-21;\n"
    )

"""STEP files made in the tests: boxes as AP214 solids, each a part with a name, a place and a colour.

``boxes_step([Box("Red_Block", (20, 20, 20), colour=(1, 0, 0)), ...])`` writes the Part-21 text
a CAD system would: one ``PRODUCT`` per box with a ``MANIFOLD_SOLID_BREP`` of six planar faces
in millimetres, and a colour as ``STYLED_ITEM`` → ``COLOUR_RGB`` (STEP colours are sRGB, 0..1).
OpenCASCADE reads every box as a part named like its product.
"""

from __future__ import annotations

from dataclasses import dataclass

# Outward faces of a box whose corners are numbered x + 2y + 4z (each loop counter-clockwise
# seen from outside), with their normals.
_FACES = (
    ((0, 2, 3, 1), (0, 0, -1)),
    ((4, 5, 7, 6), (0, 0, 1)),
    ((0, 1, 5, 4), (0, -1, 0)),
    ((2, 6, 7, 3), (0, 1, 0)),
    ((0, 4, 6, 2), (-1, 0, 0)),
    ((1, 3, 7, 5), (1, 0, 0)),
)


@dataclass(frozen=True)
class Box:
    name: str
    size_mm: tuple[float, float, float]
    at_mm: tuple[float, float, float] = (0.0, 0.0, 0.0)  # the corner with the smallest coordinates
    colour: tuple[float, float, float] | None = None


def _num(value: float) -> str:
    text = repr(float(value))
    return text.replace(".0", ".") if text.endswith(".0") else text


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, entity: str) -> str:
        self.lines.append(f"#{len(self.lines) + 1} = {entity};")
        return f"#{len(self.lines)}"

    def point(self, xyz: tuple[float, ...]) -> str:
        return self.add(f"CARTESIAN_POINT('',({','.join(_num(v) for v in xyz)}))")

    def direction(self, xyz: tuple[float, ...]) -> str:
        return self.add(f"DIRECTION('',({','.join(_num(v) for v in xyz)}))")


def _solid(w: _Writer, box: Box) -> str:
    (x0, y0, z0), (sx, sy, sz) = box.at_mm, box.size_mm
    corners = [(x0 + sx * (i & 1), y0 + sy * (i >> 1 & 1), z0 + sz * (i >> 2 & 1)) for i in range(8)]
    vertices = [w.add(f"VERTEX_POINT('',{w.point(c)})") for c in corners]
    edges: dict[tuple[int, int], str] = {}

    def edge(a: int, b: int) -> tuple[str, str]:
        key = (min(a, b), max(a, b))
        if key not in edges:
            start, end = corners[key[0]], corners[key[1]]
            delta = tuple(e - s for s, e in zip(start, end, strict=True))
            length = max(abs(d) for d in delta)
            vector = w.add(f"VECTOR('',{w.direction(tuple(d / length for d in delta))},{_num(length)})")
            line = w.add(f"LINE('',{w.point(start)},{vector})")
            edges[key] = w.add(f"EDGE_CURVE('',{vertices[key[0]]},{vertices[key[1]]},{line},.T.)")
        return edges[key], ".T." if (a, b) == key else ".F."

    faces = []
    for loop, normal in _FACES:
        oriented = []
        for a, b in zip(loop, loop[1:] + loop[:1], strict=True):
            curve, sense = edge(a, b)
            oriented.append(w.add(f"ORIENTED_EDGE('',*,*,{curve},{sense})"))
        loop_ref = w.add(f"EDGE_LOOP('',({','.join(oriented)}))")
        bound = w.add(f"FACE_OUTER_BOUND('',{loop_ref},.T.)")
        ref = tuple(float(v) for v in (normal[2], normal[0], normal[1]))  # perpendicular to the normal
        placement = w.add(
            f"AXIS2_PLACEMENT_3D('',{w.point(corners[loop[0]])},{w.direction(normal)},{w.direction(ref)})"
        )
        plane = w.add(f"PLANE('',{placement})")
        faces.append(w.add(f"ADVANCED_FACE('',({bound}),{plane},.T.)"))
    shell = w.add(f"CLOSED_SHELL('',({','.join(faces)}))")
    return w.add(f"MANIFOLD_SOLID_BREP('{box.name}',{shell})")


def boxes_step(boxes: list[Box]) -> bytes:
    """A STEP AP214 file with one part per box."""
    w = _Writer()
    app = w.add("APPLICATION_CONTEXT('automotive design')")
    w.add(f"APPLICATION_PROTOCOL_DEFINITION('draft international standard','automotive_design',2000,{app})")
    product_context = w.add(f"PRODUCT_CONTEXT('',{app},'mechanical')")
    definition_context = w.add(f"PRODUCT_DEFINITION_CONTEXT('part definition',{app},'design')")
    mm = w.add("( LENGTH_UNIT() NAMED_UNIT(*) SI_UNIT(.MILLI.,.METRE.) )")
    rad = w.add("( NAMED_UNIT(*) PLANE_ANGLE_UNIT() SI_UNIT($,.RADIAN.) )")
    sr = w.add("( NAMED_UNIT(*) SI_UNIT($,.STERADIAN.) SOLID_ANGLE_UNIT() )")
    accuracy = w.add(
        f"UNCERTAINTY_MEASURE_WITH_UNIT(LENGTH_MEASURE(1.E-07),{mm},'distance_accuracy_value','confusion')"
    )
    context = w.add(
        f"( GEOMETRIC_REPRESENTATION_CONTEXT(3) GLOBAL_UNCERTAINTY_ASSIGNED_CONTEXT(({accuracy})) "
        f"GLOBAL_UNIT_ASSIGNED_CONTEXT(({mm},{rad},{sr})) REPRESENTATION_CONTEXT('3D','3D context') )"
    )
    origin = w.add(
        f"AXIS2_PLACEMENT_3D('',{w.point((0, 0, 0))},{w.direction((0, 0, 1))},{w.direction((1, 0, 0))})"
    )
    for box in boxes:
        product = w.add(f"PRODUCT('{box.name}','{box.name}','',({product_context}))")
        formation = w.add(f"PRODUCT_DEFINITION_FORMATION('','',{product})")
        definition = w.add(f"PRODUCT_DEFINITION('design','',{formation},{definition_context})")
        shape = w.add(f"PRODUCT_DEFINITION_SHAPE('','',{definition})")
        w.add(f"PRODUCT_RELATED_PRODUCT_CATEGORY('part',$,({product}))")
        solid = _solid(w, box)
        representation = w.add(f"ADVANCED_BREP_SHAPE_REPRESENTATION('',({origin},{solid}),{context})")
        w.add(f"SHAPE_DEFINITION_REPRESENTATION({shape},{representation})")
        if box.colour is not None:
            rgb = w.add(f"COLOUR_RGB('',{','.join(_num(c) for c in box.colour)})")
            fill_colour = w.add(f"FILL_AREA_STYLE_COLOUR('',{rgb})")
            fill = w.add(f"FILL_AREA_STYLE('',({fill_colour}))")
            fill_area = w.add(f"SURFACE_STYLE_FILL_AREA({fill})")
            side = w.add(f"SURFACE_SIDE_STYLE('',({fill_area}))")
            usage = w.add(f"SURFACE_STYLE_USAGE(.BOTH.,{side})")
            assignment = w.add(f"PRESENTATION_STYLE_ASSIGNMENT(({usage}))")
            styled = w.add(f"STYLED_ITEM('color',({assignment}),{solid})")
            w.add(f"MECHANICAL_DESIGN_GEOMETRIC_PRESENTATION_REPRESENTATION('',({styled}),{context})")
    header = (
        "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('boxes made by a test'),'2;1');\n"
        "FILE_NAME('boxes.step','2026-01-01T00:00:00',('automat tests'),(''),'automat tests',"
        "'automat tests','');\nFILE_SCHEMA(('AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }'));\n"
        "ENDSEC;\nDATA;\n"
    )
    return (header + "\n".join(w.lines) + "\nENDSEC;\nEND-ISO-10303-21;\n").encode()

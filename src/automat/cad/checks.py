"""Checks of a converted CAD file against what its STEP text says: the warnings of "ready with warnings".

OpenCASCADE converts a partly broken file without complaint, with whatever survived. These checks
find what a person should know before trusting the result. Each warning has a stable ``code``
and a ``message`` in words:

- ``malformed_records``: records of the DATA section that break the Part-21 grammar (our scan);
- ``unresolved_references``: records that refer to entities the file does not contain;
- ``products_without_geometry``: parts the file describes with a shape that the conversion left out;
- ``parts_far_outside``: parts far away from the rest of the model (a broken placement);
- ``parts_without_triangles``: parts that came out without a single triangle;
- ``utf8_bom_stripped`` (severity ``info``, not a problem): the byte-order mark was removed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from automat.cad import step_scan
from automat.cad.geometry import GeometryInfo, MeshNode, PartInfo, mesh_nodes

Severity = Literal["warning", "info"]
FAR_FACTOR = 10.0  # a part this many model sizes away from the rest is "far outside"
MAX_NAMES = 8


@dataclass(frozen=True)
class CadWarning:
    code: str
    message: str
    severity: Severity = "warning"
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "details": self.details,
        }


BOM_STRIPPED = CadWarning(
    code="utf8_bom_stripped",
    severity="info",
    message=(
        "The file starts with a UTF-8 byte-order mark (usual for files saved by Windows tools); "
        "it was removed before the conversion. Nothing is wrong with the model."
    ),
)


def _names(names: Sequence[str]) -> str:
    counted = Counter(names)
    shown = [f"{name} ({n} times)" if n > 1 else name for name, n in list(counted.items())[:MAX_NAMES]]
    more = len(counted) - MAX_NAMES
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _length(mm: float) -> str:
    return f"{mm / 1000:.1f} m" if mm >= 1000 else f"{mm:.0f} mm" if mm >= 10 else f"{mm:.1f} mm"


def _records(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"


# -- the STEP text -------------------------------------------------------------------------------


def text_warnings(scan: step_scan.DataScan) -> list[CadWarning]:
    out = []
    if scan.malformed_count:
        first = scan.malformed[0]
        where = f"line {first.line}" + (f", #{first.entity_id}" if first.entity_id is not None else "")
        where += f" {first.entity}" if first.entity else ""
        out.append(
            CadWarning(
                code="malformed_records",
                message=(
                    f"{_records(scan.malformed_count)} of {scan.records} in the file's DATA section "
                    f"{'is' if scan.malformed_count == 1 else 'are'} malformed (first at {where}: "
                    f"{first.problem}). OpenCASCADE skips what it cannot read, so parts may be "
                    "missing or misplaced."
                ),
                details={
                    "count": scan.malformed_count,
                    "records": scan.records,
                    "first": [m.as_dict() for m in scan.malformed],
                    "unresolved_ids": scan.unresolved[: step_scan.MAX_LISTED],
                },
            )
        )
    elif scan.unresolved:
        ids = ", ".join(f"#{i}" for i in scan.unresolved[:5]) + (", …" if len(scan.unresolved) > 5 else "")
        out.append(
            CadWarning(
                code="unresolved_references",
                message=(
                    f"The file refers to {len(scan.unresolved)} entities it does not contain ({ids}). "
                    "OpenCASCADE skips what depends on them, so parts may be missing."
                ),
                details={"count": len(scan.unresolved), "ids": scan.unresolved[: step_scan.MAX_LISTED]},
            )
        )
    return out


# -- the converted model ---------------------------------------------------------------------------


def missing_products(expected: Counter[str], nodes: Sequence[MeshNode]) -> list[str]:
    """Parts the file describes with a shape that have no mesh in the GLB (one name per missing part).

    A node is matched by its own name or its mesh's; nodes matching no part's name (names decoded
    differently) are taken to stand for missing parts, so that alone never raises a warning."""
    got: Counter[str] = Counter()
    unmatched = 0
    for node in nodes:
        if node.name in expected:
            got[node.name] += 1
        elif node.mesh_name in expected:
            got[node.mesh_name] += 1
        else:
            unmatched += 1
    missing = [name for name, n in expected.items() for _ in range(max(0, n - got[name]))]
    return missing if len(missing) > unmatched else []


def far_outside(parts: Sequence[PartInfo]) -> tuple[list[tuple[int, float]], float]:
    """Parts far away from the rest: ``([(index, distance_mm)], size_mm of the rest)``.

    The rest grows from the part nearest the median of the parts' centres, taking in every part
    that touches it or lies within its size; a part left out that is more than ``FAR_FACTOR``
    times that size away is far outside."""
    if len(parts) < 2:
        return [], 0.0
    lo = np.array([p.bbox_mm["min"] for p in parts], dtype=float)
    hi = np.array([p.bbox_mm["max"] for p in parts], dtype=float)
    centres = (lo + hi) / 2
    sizes = np.linalg.norm(hi - lo, axis=1)
    seed = int(np.argmin(np.linalg.norm(centres - np.median(centres, axis=0), axis=1)))
    inside = np.zeros(len(parts), dtype=bool)
    inside[seed] = True
    core_lo, core_hi = lo[seed].copy(), hi[seed].copy()
    while True:
        gaps = np.linalg.norm(np.maximum(0.0, np.maximum(core_lo - hi, lo - core_hi)), axis=1)
        core_size = float(np.linalg.norm(core_hi - core_lo))
        joining = ~inside & (gaps <= np.maximum(core_size, sizes))
        if not joining.any():
            break
        inside |= joining
        core_lo = np.minimum(core_lo, lo[joining].min(axis=0))
        core_hi = np.maximum(core_hi, hi[joining].max(axis=0))
    limit = FAR_FACTOR * max(core_size, 1e-6)
    far = [(int(i), round(float(gaps[i]), 1)) for i in np.flatnonzero(~inside) if gaps[i] > limit]
    return far, round(core_size, 3)


def model_warnings(expected: Counter[str], info: GeometryInfo, nodes: Sequence[MeshNode]) -> list[CadWarning]:
    out = []
    if missing := missing_products(expected, nodes):
        one = len(missing) == 1
        out.append(
            CadWarning(
                code="products_without_geometry",
                message=(
                    f"{'1 part' if one else f'{len(missing)} parts'} described in the file produced no "
                    f"geometry and {'is' if one else 'are'} missing from the model: {_names(missing)}."
                ),
                details={"count": len(missing), "names": missing[:50], "expected": sum(expected.values())},
            )
        )
    far, core_mm = far_outside(info.parts)
    if far:
        names = [info.parts[i].name for i, _ in far]
        farthest = max(d for _, d in far)
        one = len(far) == 1
        out.append(
            CadWarning(
                code="parts_far_outside",
                message=(
                    f"{'1 part lies' if one else f'{len(far)} parts lie'} far outside the rest of the model "
                    f"({_length(core_mm)} across), {'' if one else 'up to '}{_length(farthest)} away: "
                    f"{_names(names)}. {'Its' if one else 'Their'} placement in the file is probably wrong; "
                    "pictures of the whole model will show it tiny."
                ),
                details={
                    "parts": [{"name": info.parts[i].name, "distance_mm": d} for i, d in far[:50]],
                    "model_size_mm": core_mm,
                },
            )
        )
    empty = [node.name for node in nodes if node.triangles == 0]
    if empty:
        one = len(empty) == 1
        out.append(
            CadWarning(
                code="parts_without_triangles",
                message=(
                    f"{'1 part has' if one else f'{len(empty)} parts have'} no triangles after the "
                    f"conversion and will not be seen in the 3D view or in renders: {_names(empty)}."
                ),
                details={"count": len(empty), "names": empty[:50]},
            )
        )
    return out


def inspect(data: bytes, info: GeometryInfo, gltf: dict[str, Any]) -> list[CadWarning]:
    """Everything worth a warning about a converted file (its STEP bytes, the measured GLB)."""
    scan = step_scan.scan(data)
    return text_warnings(scan) + model_warnings(step_scan.shaped_leaf_products(scan), info, mesh_nodes(gltf))

"""The platform's conversion path, shared by the ``occ_glb_export`` task and ``automat convert``.

1. pre-checks on the bytes: empty, not a STEP file (and what it looks like instead), truncated;
2. a coarse pass (relative tolerance) to learn the part's size;
3. the production and the viewer GLB, each with a linear deflection scaled by the bounding-box
   diagonal (``base * diagonal / 50 mm``) and held between a floor and a ceiling, so a 3 mm ball
   keeps its detail and a 2 m housing stays small.

A UTF-8 byte-order mark before ``ISO-10303-21;`` (Windows tools write one; OpenCASCADE refuses
the file) is removed in a copy in the output folder, and the conversion says so in ``notes``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import trimesh

from automat.cad import failures, step_file
from automat.cad.checks import BOM_STRIPPED, CadWarning
from automat.cad.sandbox import ConversionError, Sandbox, SandboxLimits, default_sandbox

REFERENCE_DIAGONAL_MM = 50.0
VIEWER_LIMITS_MM = (0.01, 2.0)
PRODUCTION_LIMITS_MM = (0.001, 0.5)
VIEWER_ANGULAR = 0.5
PRODUCTION_ANGULAR = 0.2
SOURCE_MISSING = "the uploaded STEP file is missing from storage; delete this CAD file and upload it again"

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an Office document?)"),
    (b"glTF", "a GLB model"),
    (b"\x7fELF", "a program"),
)


def describe_content(head: bytes) -> str | None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def precheck(data: bytes) -> None:
    """Refuse what OpenCASCADE need not see: empty, not STEP, cut off."""
    if not data.strip():
        raise ConversionError("empty_file", "the file is empty")
    if not step_file.sniff(data[:65536]):
        what = describe_content(data[:16])
        suffix = f" (it looks like {what})" if what else ""
        raise ConversionError("not_step", f"the file is not a STEP (ISO 10303-21) file{suffix}")
    if b"END-ISO-10303-21" not in data[-4096:]:
        raise ConversionError(
            "truncated_step",
            "the STEP file is incomplete: it ends before END-ISO-10303-21 (cut off during upload?)",
        )


def scaled_deflection(base_mm: float, diagonal_mm: float, limits: tuple[float, float]) -> float:
    floor, ceiling = limits
    value = base_mm * (diagonal_mm / REFERENCE_DIAGONAL_MM) if diagonal_mm > 0 else base_mm
    return round(min(ceiling, max(floor, value)), 6)


@dataclass(frozen=True)
class ConversionOutput:
    viewer: Path
    production: Path
    diagonal_mm: float
    viewer_tol_mm: float
    production_tol_mm: float
    network_isolated: bool
    durations_s: dict[str, float]
    notes: tuple[CadWarning, ...] = ()


def convert_step(
    step_path: Path,
    out_dir: Path,
    *,
    viewer_base_mm: float,
    production_base_mm: float,
    limits: SandboxLimits,
    sandbox: Sandbox | None = None,
) -> ConversionOutput:
    """Produce ``viewer.glb`` and ``production.glb`` in ``out_dir`` or raise ``ConversionError``
    (worded for people by ``cad.failures.explain``, the converter's words in its ``detail``)."""
    try:
        return _convert(
            step_path, out_dir, viewer_base_mm=viewer_base_mm, production_base_mm=production_base_mm,
            limits=limits, sandbox=sandbox or default_sandbox(),
        )  # fmt: skip
    except ConversionError as exc:
        raise failures.explain(exc, step_path, limits) from None


def _convert(
    step_path: Path,
    out_dir: Path,
    *,
    viewer_base_mm: float,
    production_base_mm: float,
    limits: SandboxLimits,
    sandbox: Sandbox,
) -> ConversionOutput:
    if not step_path.is_file():
        raise ConversionError("source_missing", SOURCE_MISSING)
    data = step_path.read_bytes()
    precheck(data)
    notes: tuple[CadWarning, ...] = ()
    if data.startswith(step_file.BOM):
        out_dir.mkdir(parents=True, exist_ok=True)
        step_path = out_dir / "source-without-bom.step"
        step_path.write_bytes(data[len(step_file.BOM) :])
        notes = (BOM_STRIPPED,)
    del data
    durations: dict[str, float] = {}

    started = time.perf_counter()
    coarse = sandbox.convert(
        step_path,
        out_dir / "coarse.glb",
        tol_linear_mm=0.5,
        tol_angular=1.0,
        tol_relative=True,
        limits=limits,
    )
    bounds = trimesh.load(coarse.output, force="scene").bounds
    coarse.output.unlink(missing_ok=True)
    if bounds is None:
        raise ConversionError("no_geometry", "file has no solid geometry")
    diagonal_mm = float(math.dist(bounds[0], bounds[1])) * 1000.0
    durations["size_probe"] = round(time.perf_counter() - started, 4)

    production_tol = scaled_deflection(production_base_mm, diagonal_mm, PRODUCTION_LIMITS_MM)
    viewer_tol = scaled_deflection(viewer_base_mm, diagonal_mm, VIEWER_LIMITS_MM)
    production = sandbox.convert(
        step_path,
        out_dir / "production.glb",
        tol_linear_mm=production_tol,
        tol_angular=PRODUCTION_ANGULAR,
        limits=limits,
    )
    durations["production"] = production.duration_s
    viewer = sandbox.convert(
        step_path, out_dir / "viewer.glb", tol_linear_mm=viewer_tol, tol_angular=VIEWER_ANGULAR, limits=limits
    )
    durations["viewer"] = viewer.duration_s
    return ConversionOutput(
        viewer=viewer.output,
        production=production.output,
        diagonal_mm=round(diagonal_mm, 4),
        viewer_tol_mm=viewer_tol,
        production_tol_mm=production_tol,
        network_isolated=production.network_isolated,
        durations_s=durations,
        notes=notes,
    )

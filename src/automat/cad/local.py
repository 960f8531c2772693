"""The conversion path without servers (``automat convert``): the same sandbox, metadata, checks
(``warnings``) and default material aliases the platform uses, on a local file."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from automat.cad import checks, failures, geometry, metadata
from automat.cad.conversion import convert_step
from automat.cad.sandbox import ConversionError, SandboxLimits
from automat.settings.registry import SETTINGS


class ConversionFailed(Exception):
    """A failed conversion as the platform words it (``cad.failures``): ``code`` stable, ``message``
    for people, ``detail`` the converter's own words (the API's ``error_detail``), if any."""

    def __init__(self, code: str, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail


def convert_file(step: Path, output: Path, *, kind: str = "production") -> dict[str, Any]:
    """Convert ``step`` to ``output`` and return the metadata with resolved materials."""
    from automat.materials.library import BUILTIN_BY_NAME, DEFAULT_ALIASES, FALLBACK_MATERIAL
    from automat.materials.resolve import resolve_material_map

    if kind not in ("production", "viewer"):
        raise ConversionFailed("bad_kind", "kind must be production or viewer")
    if not step.is_file():
        raise ConversionFailed("file_not_found", f"{step} does not exist or is not a file")
    work = Path(tempfile.mkdtemp(prefix="automat-convert-"))
    try:
        out = convert_step(
            step,
            work,
            viewer_base_mm=float(SETTINGS["gltf_preview_linear_deflection"].default),
            production_base_mm=float(SETTINGS["gltf_production_linear_deflection"].default),
            limits=SandboxLimits(
                timeout_s=float(SETTINGS["conversion_timeout_s"].default),
                memory_mb=int(SETTINGS["conversion_memory_mb"].default),
            ),
        )
        info = geometry.analyze(out.production)
        if not info.parts:
            raise failures.explain(ConversionError("no_geometry", "the converted model has no parts"), step)
        data, gltf = step.read_bytes(), geometry.gltf_json(out.production)
        report = metadata.build_metadata(data, info, gltf)
        warnings = [*out.notes, *checks.inspect(data, info, gltf)]
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out.production if kind == "production" else out.viewer, output)
    except ConversionError as exc:
        raise ConversionFailed(exc.code, exc.message, exc.detail) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    resolved = resolve_material_map(
        [p.name for p in info.parts], DEFAULT_ALIASES, fallback=FALLBACK_MATERIAL, known=set(BUILTIN_BY_NAME)
    )
    report["parts"] = [
        {
            "name": p.name,
            "path": p.path,
            "bbox_mm": p.bbox_mm,
            "volume_mm3": p.volume_mm3,
            "area_mm2": p.area_mm2,
            "triangles": p.triangles,
            "color": p.color,
            "material": resolved[p.name].material,
            "material_reason": resolved[p.name].reason,
        }
        for p in info.parts
    ]
    # What "ready with warnings" means on the platform; an empty list is a clean conversion.
    report["warnings"] = [w.as_dict() for w in warnings]
    report["tessellation"] = {"viewer_mm": out.viewer_tol_mm, "production_mm": out.production_tol_mm}
    report["output"] = str(output)
    return report

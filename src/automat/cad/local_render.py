"""``automat render``: one file to one image, video or export, with no servers.

STEP input goes through the same sandboxed conversion as uploads; materials come from the
default aliases (or an aliases file); the job runs on a render host like on a worker.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import yaml

from automat.cad import geometry
from automat.cad.conversion import convert_step
from automat.cad.sandbox import ConversionError, SandboxLimits
from automat.materials.library import BUILTIN_BY_NAME, DEFAULT_ALIASES, FALLBACK_MATERIAL, AliasDef
from automat.materials.resolve import resolve_material_map
from automat.rendering.host_client import Progress, RenderHost
from automat.rendering.spec import CameraSpec, OutputKind, RenderJobResult, RenderJobSpec

KIND_BY_SUFFIX = {
    ".png": OutputKind.STILL,
    ".jpg": OutputKind.STILL,
    ".jpeg": OutputKind.STILL,
    ".webp": OutputKind.STILL,
    ".mp4": OutputKind.TURNTABLE,
    ".webm": OutputKind.TURNTABLE,
    ".glb": OutputKind.EXPORT_GLB,
    ".blend": OutputKind.EXPORT_BLEND,
}


class RenderFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def load_aliases(path: Path | None) -> list[AliasDef]:
    """Aliases from a YAML/JSON file: a list of {pattern, kind (exact|glob|regex), material, priority}."""
    if path is None:
        return list(DEFAULT_ALIASES)
    try:
        data = yaml.safe_load(path.read_text())
        rows = data.get("aliases", data) if isinstance(data, dict) else data
        return [
            AliasDef(
                str(r["pattern"]), str(r.get("kind", "exact")), str(r["material"]), int(r.get("priority", 0))
            )
            for r in rows
        ]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RenderFailed("bad_aliases", f"cannot read aliases from {path}: {exc}") from None


def _glb_for(source: Path, work: Path) -> Path:
    if source.suffix.lower() == ".glb":
        return source
    try:
        out = convert_step(
            source, work, viewer_base_mm=0.1, production_base_mm=0.01, limits=SandboxLimits(timeout_s=300)
        )
    except ConversionError as exc:
        raise RenderFailed(exc.code, exc.message) from None
    return out.production


def render_file(
    source: Path,
    output: Path,
    *,
    size: int,
    samples: int,
    position: str,
    template: Path | None,
    aliases_file: Path | None,
    frames: int,
    engine: str,
    device: str,
    library_dir: Path,
    on_progress: Progress | None = None,
) -> RenderJobResult:
    if not source.is_file():
        raise RenderFailed("file_not_found", f"{source} does not exist or is not a file")
    kind = KIND_BY_SUFFIX.get(output.suffix.lower())
    if kind is None:
        raise RenderFailed(
            "bad_output",
            f"cannot write {output.suffix or 'files without a suffix'}; "
            f"use one of {', '.join(KIND_BY_SUFFIX)}",
        )
    aliases = load_aliases(aliases_file)
    from automat.materials.blend_library import ensure_library

    work = Path(tempfile.mkdtemp(prefix="automat-render-"))
    try:
        glb = _glb_for(source, work)
        names = [p.name for p in geometry.analyze(glb).parts]
        resolved = resolve_material_map(
            names, aliases, fallback=FALLBACK_MATERIAL, known=set(BUILTIN_BY_NAME)
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            spec = RenderJobSpec(
                job_id=uuid.uuid4().hex[:12],
                kind=kind,
                input_glb=str(glb),
                output_path=str(output.resolve()),
                material_map={name: r.material for name, r in resolved.items()},
                library_blend=str(ensure_library(library_dir)),
                template_blend=str(template.resolve()) if template else None,
                width=size,
                height=size,
                samples=samples,
                engine=engine,
                cycles_device=device,
                camera=CameraSpec(position=position),
                frames=frames,
            )
        except ValueError as exc:
            raise RenderFailed("bad_job", str(exc).splitlines()[-1]) from None
        with RenderHost() as host:
            return host.run(spec, on_progress=on_progress)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def result_json(result: RenderJobResult) -> str:
    data: dict[str, Any] = result.model_dump(mode="json")
    return json.dumps(data, indent=2)

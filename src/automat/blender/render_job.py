"""One render job inside the host: ``run(spec, progress) -> RenderJobResult``.

Phases (each timed): ``reset`` (factory scene, or the Mode A template), ``import``, ``materials``,
``scene`` (studio or template placement, camera, framing), ``gpu`` (Cycles device), then
``coverage`` (a small mask render: a model covering less than ``spec.min_coverage`` of the frame
fails the job here, see ``coverage.py``), ``render`` (``bpy.ops.render.render`` alone) and
``write`` for stills, ``render`` (frames) and ``encode`` for turntables, or ``export``. Any
failure fails the job with a clear message and removes what it had half-written; the next job
starts from a fresh scene anyway.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from automat.blender import camera as cam
from automat.blender import coverage, gpu, importer, materials, output, scene, shadow_pass
from automat.rendering.host_client import coverage_mask_path, frames_dir, poster_path, shadow_pass_path
from automat.rendering.spec import Framing, OutputKind, RenderJobResult, RenderJobSpec

Progress = output.Progress
RENDERED = {OutputKind.THUMBNAIL, OutputKind.STILL, OutputKind.TURNTABLE}


def _log(line: str) -> None:
    print(line, flush=True)


def _sweep_points(points: cam.Points, segments: int = 48) -> cam.Points:
    """A prism around everything ``points`` sweeps when turned about the vertical through its centre."""
    bounds = cam.bounds_of(points)
    center = np.array(bounds.center)
    radius = float(np.linalg.norm(points[:, :2] - center[:2], axis=1).max()) / math.cos(math.pi / segments)
    angles = np.linspace(0, 2 * math.pi, segments, endpoint=False)
    ring = np.stack([center[0] + radius * np.cos(angles), center[1] + radius * np.sin(angles)], axis=1)
    low = np.column_stack([ring, np.full(segments, bounds.min.z)])
    high = np.column_stack([ring, np.full(segments, bounds.max.z)])
    return np.concatenate([low, high])


class _Job:
    def __init__(self, spec: RenderJobSpec, progress: Progress) -> None:
        self.spec = spec
        self.progress = progress
        self.result = RenderJobResult(job_id=spec.job_id, status="failed", engine=spec.engine)

    @contextmanager
    def phase(self, name: str, message: str = "") -> Iterator[None]:
        self.progress(name, None, message or name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.result.timings[name] = round(time.perf_counter() - started, 4)

    def run(self) -> RenderJobResult:
        spec = self.spec
        out = Path(spec.output_path).resolve()
        with self.phase("reset"):
            scene.reset()
            if spec.template_blend:
                scene.open_template(spec.template_blend)
        sc = scene.scene()

        with self.phase("import", f"importing {Path(spec.input_glb).name}"):
            model = importer.import_glb(spec.input_glb, smooth_angle_deg=spec.smooth_angle_deg)
        with self.phase("materials"):
            applied = materials.apply_materials(
                model.meshes,
                model.part_names,
                spec.material_map,
                fallback=spec.fallback_material,
                library=spec.library_blend,
                log=_log,
            )
            scene.purge_orphans()  # the importer's own materials, now unused
            self.result.material_counts = applied.counts(spec.fallback_material)
            if applied.fallback_parts:
                self.result.warnings.append(
                    f"{len(applied.fallback_parts)} part(s) without a material got {spec.fallback_material}: "
                    + ", ".join(applied.fallback_parts[:10])
                )
            if applied.missing:
                pairs = ", ".join(f"{p} → {m}" for p, m in list(applied.missing.items())[:10])
                self.result.warnings.append(f"materials missing from the library (fallback used): {pairs}")

        if spec.kind == OutputKind.EXPORT_GLB:
            with self.phase("export", f"writing {out.name}"):
                output.export_glb(model.objects, out, model.part_names)
            return self._done(sc, [out])

        with self.phase("scene"):
            self._stage(sc, model)
        with self.phase("gpu"):
            if spec.engine == "cycles":
                info, device, warning = gpu.activate(sc, spec.cycles_device, log=_log)
                self.result.gpu_info, self.result.device = info, device
                if warning:
                    self.result.warnings.append(warning)
            else:
                self.result.gpu_info = {
                    "requested": spec.cycles_device,
                    "device_type": None,
                    "devices": [],
                    "fallback": False,
                    "reason": "EEVEE renders through the GPU context",
                }
                self.result.device = "EEVEE"

        if spec.kind == OutputKind.EXPORT_BLEND:
            with self.phase("export", f"writing {out.name}"):
                output.export_blend(out)
            return self._done(sc, [out])
        if spec.min_coverage > 0:
            with self.phase("coverage", "measuring how much of the frame the model covers"):
                self._check_coverage(sc, model)
        if spec.kind == OutputKind.TURNTABLE:
            return self._turntable(sc, model, out)
        shadow = shadow_pass_path(spec) if shadow_pass.applies(spec, sc) else None
        if shadow is not None:
            with self.phase("shadow", f"rendering the floor's shadow, {spec.shadow_pass_px} px"):
                shadow_pass.render_shadow(sc, spec, model.objects, shadow)
        with (
            self.phase("render", f"rendering {spec.width}x{spec.height}, {spec.samples} samples"),
            shadow_pass.floor_out_of_view(sc) if shadow is not None else nullcontext(),
        ):
            output.render_still(sc, self.progress)
        with self.phase("write", f"writing {out.name}"):
            output.write(sc, out)
            if shadow is not None:
                shadow_pass.lay_over_shadow(out, shadow)
                shadow.unlink(missing_ok=True)
        return self._done(sc, [out])

    def _check_coverage(self, sc: Any, model: importer.ImportedModel) -> None:
        """Fail before rendering when the model would cover (almost) nothing of the frame."""
        measured = coverage.measure(sc, model.objects, coverage_mask_path(self.spec))
        self.result.coverage = round(measured.fraction, 6)
        _log(
            f"[COVERAGE] the model covers {measured.fraction:.3%} of the frame "
            f"({measured.width}x{measured.height} mask, {measured.seconds:.3f} s)"
        )
        if measured.fraction < self.spec.min_coverage:
            what = "first frame of the turntable" if self.spec.kind == OutputKind.TURNTABLE else "render"
            raise coverage.NothingToSeeError(
                f"The {what} would show almost nothing: the model covers {measured.fraction:.2%} of the "
                f"frame, less than the {self.spec.min_coverage * 100:g}% a render needs. "
                + coverage.diagnose(model.meshes, model.part_names, self._span())
            )

    def _span(self) -> float | None:
        return self.result.framing.span if self.result.framing is not None else None

    def _stage(self, sc: Any, model: importer.ImportedModel) -> None:
        """Place the model, light it (Mode B) and set camera, engine and image settings."""
        spec = self.spec
        try:
            points = cam.world_points(model.meshes)
        except ValueError:
            raise coverage.NothingToSeeError(
                "The model has no geometry to render: its meshes have no vertices. Check that the CAD "
                "file's parts are solids or surfaces."
            ) from None
        anchor = scene.find_anchor(sc) if spec.template_blend else None
        if spec.template_blend:
            importer.transform(model, scene.placement(cam.bounds_of(points), anchor))
            points = cam.world_points(model.meshes)
        self.points = points
        frame_points = _sweep_points(points) if spec.kind == OutputKind.TURNTABLE else points
        bounds = cam.bounds_of(points)
        self.center = bounds.center

        output.configure_engine(sc, spec)
        transparent = spec.transparent
        if spec.kind in RENDERED and spec.format == "jpeg" and transparent:
            self.result.warnings.append("JPEG has no alpha channel: rendered over the studio background")
            transparent = False
        sc.render.film_transparent = transparent
        if spec.kind in {OutputKind.THUMBNAIL, OutputKind.STILL}:
            output.configure_image(sc, spec.format or "png", transparent)
        else:
            output.configure_image(sc, "png", transparent)

        azimuth, elevation = spec.camera.angles()
        existing = scene.template_camera(sc) if spec.template_blend else None
        if existing is not None:
            camera = cam.reuse_camera(sc, existing, frame_points)
        else:
            camera = cam.setup_camera(sc, frame_points, azimuth, elevation)
        if not spec.template_blend:
            scene.studio_color_management(sc)
            scene.build_studio(sc, bounds, azimuth, camera=camera, floor=spec.engine == "cycles")
        self.camera = camera
        self.result.framing = Framing(**cam.measure_framing(sc, camera, frame_points))

    def _turntable(self, sc: Any, model: importer.ImportedModel, out: Path) -> RenderJobResult:
        spec = self.spec
        folder = frames_dir(spec)
        poster = poster_path(spec)
        bases = {root.name: root.matrix_world.copy() for root in model.roots}

        def pose(index: int) -> None:
            turn = scene.turntable_matrix(self.center, scene.angle_of(index, spec.frames))
            for root in model.roots:
                root.matrix_world = turn @ bases[root.name]

        try:
            with self.phase("render", f"rendering {spec.frames} frames"):
                frames = output.render_frames(sc, folder, spec.frames, pose, self.progress)
            with self.phase("encode", f"encoding {out.name}"):
                output.encode_video(frames, out, spec.format or "mp4", spec.fps, poster, self.progress)
        finally:
            output.remove_dir(folder)
            pose(0)
        self.result.poster = str(poster)
        return self._done(sc, [out])

    def _done(self, sc: Any, outputs: list[Path]) -> RenderJobResult:
        self.result.status = "completed"
        self.result.outputs = [str(p) for p in outputs]
        self.result.materials = scene_materials(sc)
        return self.result


def scene_materials(sc: Any) -> dict[str, str]:
    """Every mesh object in the scene (but the studio's own) and its material: what was rendered."""
    report = {}
    for obj in sc.objects:
        if obj.type != "MESH" or obj.get(scene.STUDIO_TAG):
            continue
        material = obj.active_material
        report[obj.name] = material.name if material is not None else ""
    return dict(sorted(report.items()))


EXPECTED_ERRORS = (
    importer.ImportError_,
    output.RenderError,
    scene.TemplateError,
    coverage.NothingToSeeError,
    FileNotFoundError,
)


def _cleanup(spec: RenderJobSpec) -> None:
    output.remove_dir(frames_dir(spec))
    Path(spec.output_path).unlink(missing_ok=True)
    coverage_mask_path(spec).unlink(missing_ok=True)
    shadow_pass_path(spec).unlink(missing_ok=True)
    if spec.kind == OutputKind.TURNTABLE:
        poster_path(spec).unlink(missing_ok=True)


def run(spec: RenderJobSpec, progress: Progress) -> RenderJobResult:
    """Run one job from a clean scene; failures come back as a failed result, never raised."""
    job = _Job(spec, progress)
    started = time.perf_counter()
    try:
        result = job.run()
    except Exception as exc:
        _cleanup(spec)
        result = job.result
        result.status = "failed"
        result.error = str(exc).strip() or exc.__class__.__name__
        if isinstance(exc, EXPECTED_ERRORS):  # the message says it all
            _log(f"[JOB] {spec.job_id} failed: {result.error}")
        else:
            traceback.print_exc()
            result.error = f"{exc.__class__.__name__}: {result.error}"
    result.timings["total"] = round(time.perf_counter() - started, 4)
    return result

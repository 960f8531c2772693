"""Writing files: stills and thumbnails, turntables (frames → MP4/WebM with PyAV), GLB, .blend.

Stills are rendered with ``bpy.ops.render.render()`` and written with
``Image.save_render(path)`` (the scene's image settings, the exact path: no ``#`` frame-number
substitution and no extension appended, which ``write_still`` with ``render.filepath`` would do).

Engines: ``cycles`` (``CYCLES``) or ``eevee`` (``BLENDER_EEVEE`` in Blender 5.0; 4.2 to 4.x called it
``BLENDER_EEVEE_NEXT``). There is no fallback from one to the other: whatever the engine raises
fails the job with the engine's message.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import bpy
import numpy as np
from numpy.typing import NDArray

ENGINES = {"cycles": "CYCLES", "eevee": "BLENDER_EEVEE"}
IMAGE_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
VIDEO_CODECS = {
    "mp4": ("libx264", {"crf": "20", "preset": "medium"}),
    "webm": ("libvpx-vp9", {"crf": "32", "b": "0"}),
}
VIDEO_BACKGROUND = (240, 240, 240)  # turntables are opaque: frames are laid over light grey
Pixels = NDArray[np.uint8]
_SAMPLE = re.compile(r"Sample (\d+)/(\d+)")


class Progress(Protocol):
    """``progress(phase, fraction, message, frame=…, frames=…, sample=…, samples=…)``: the counts
    are what the platform shows ("Frame 3 / 36", "Sample 40 / 128"), the fraction what its time
    left is estimated from."""

    def __call__(self, phase: str, fraction: float | None, message: str, /, **counts: int) -> None: ...


class RenderError(RuntimeError):
    """The render engine failed; the message is the engine's."""


def configure_engine(sc: Any, spec: Any) -> str:
    engine = ENGINES[spec.engine]
    try:
        sc.render.engine = engine
    except TypeError as exc:
        raise RenderError(f"render engine {engine} is not available in this Blender: {exc}") from None
    if engine == "CYCLES":
        sc.cycles.samples = spec.samples
        sc.cycles.preview_samples = min(spec.samples, 8)
        sc.cycles.use_denoising = spec.denoise
        if spec.denoiser == "fast":  # OIDN: ~0.05 s instead of ~1 s at 256²
            sc.cycles.denoising_quality = "FAST"
            sc.cycles.denoising_prefilter = "NONE"
        sc.cycles.use_light_tree = spec.light_tree
        sc.cycles.use_adaptive_sampling = False  # the sample count is the job's, not a noise guess
        sc.cycles.max_bounces = 6
        sc.cycles.caustics_reflective = sc.cycles.caustics_refractive = False
    else:
        sc.eevee.taa_render_samples = spec.samples
    sc.render.resolution_x = spec.width
    sc.render.resolution_y = spec.height
    sc.render.resolution_percentage = 100
    sc.render.pixel_aspect_x = sc.render.pixel_aspect_y = 1.0
    sc.render.use_compositing = False  # nothing to composite; saves a pass per render
    sc.render.use_sequencer = False
    return engine


def configure_image(sc: Any, fmt: str, transparent: bool) -> None:
    settings = sc.render.image_settings
    if hasattr(settings, "media_type"):  # Blender 5: images and videos are separate media types
        settings.media_type = "IMAGE"
    settings.file_format = IMAGE_FORMATS[fmt]
    settings.color_mode = "RGBA" if transparent and fmt != "jpeg" else "RGB"
    if fmt == "png":
        settings.color_depth = "8"
        settings.compression = 15
    else:
        settings.quality = 90


class _SampleReporter:
    """Relays Cycles' ``Sample n/N`` render stats as progress (only when the count changes).

    ``render_stats`` handlers are called in background mode too (the same text Blender prints as
    ``Fra:1 Mem:… | Sample 3/8``), once per sample pass: the finest honest measure of a still's
    progress. ``counts`` adds the frame being rendered for a turntable."""

    def __init__(
        self,
        progress: Progress,
        phase: str,
        base: float = 0.0,
        weight: float = 1.0,
        label: str = "",
        **counts: int,
    ):
        self.progress, self.phase, self.base, self.weight, self.label = progress, phase, base, weight, label
        self.counts = counts
        self.last = -1

    def __call__(self, stats: str, *_: Any) -> None:
        match = _SAMPLE.search(str(stats))
        if match is None:
            return
        done, total = int(match.group(1)), int(match.group(2))
        if done == self.last or total <= 0:
            return
        self.last = done
        fraction = self.base + self.weight * done / total
        self.progress(
            self.phase,
            round(min(fraction, 1.0), 4),
            f"{self.label}sample {done}/{total}",
            sample=done,
            samples=total,
            **self.counts,
        )

    def __enter__(self) -> _SampleReporter:
        bpy.app.handlers.render_stats.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self in bpy.app.handlers.render_stats:
            bpy.app.handlers.render_stats.remove(self)


def render(sc: Any) -> None:
    """Render the scene's camera view into Blender's ``Render Result`` (the engine's error fails it)."""
    try:
        result = bpy.ops.render.render(scene=sc.name)
    except RuntimeError as exc:
        raise RenderError(f"{sc.render.engine} render failed: {str(exc).strip()}") from None
    if "FINISHED" not in result:
        raise RenderError(f"{sc.render.engine} render did not finish: {sorted(result)}")


def write(sc: Any, path: Path) -> None:
    """Write the last render to ``path`` with the scene's image settings."""
    image = bpy.data.images.get("Render Result")
    if image is None:
        raise RenderError(f"{sc.render.engine} produced no image")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        image.save_render(filepath=str(path), scene=sc)
    except RuntimeError as exc:
        raise RenderError(f"writing {path} failed: {exc}") from None
    if not path.is_file() or path.stat().st_size == 0:
        raise RenderError(f"{sc.render.engine} wrote no image to {path}")


def render_to(sc: Any, path: Path) -> None:
    render(sc)
    write(sc, path)


def render_still(sc: Any, progress: Progress) -> None:
    try:
        with _SampleReporter(progress, "render"):
            render(sc)
    finally:
        sc.render.use_persistent_data = False  # kept on by the coverage mask; off frees it


def render_frames(
    sc: Any, frames_dir: Path, count: int, pose: Callable[[int], None], progress: Progress
) -> list[Path]:
    """Render ``count`` frames as PNG into ``frames_dir``; ``pose(i)`` sets up frame ``i``."""
    frames_dir.mkdir(parents=True, exist_ok=True)
    sc.render.use_persistent_data = True  # keep Cycles' scene between frames: only a transform changes
    paths = []
    try:
        for index in range(count):
            pose(index)
            path = frames_dir / f"frame_{index + 1:04d}.png"
            label = f"frame {index + 1}/{count}: "
            at = {"frame": index + 1, "frames": count}
            progress("render", round(index / count, 4), f"rendering frame {index + 1}/{count}", **at)
            with _SampleReporter(progress, "render", index / count, 1 / count, label, **at):
                render_to(sc, path)
            paths.append(path)
            # The frame is written (what a render_post handler would report, without a handler
            # to register and forget): "frame i/N" once per frame, in order.
            progress("render", round((index + 1) / count, 4), f"frame {index + 1}/{count}", **at)
    finally:
        sc.render.use_persistent_data = False
    return paths


def read_rgba(path: Path) -> Pixels:
    import av

    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        rgba = np.asarray(frame.to_ndarray(format="rgba"), dtype=np.uint8)
    return rgba


def _over_background(rgba: Pixels) -> Pixels:
    """Un-premultiplied RGBA over the video background, even-sized (yuv420p needs even sides)."""
    h, w = rgba.shape[0] // 2 * 2, rgba.shape[1] // 2 * 2
    straight = rgba[:h, :w].astype(np.float32)
    alpha = straight[:, :, 3:4] / 255.0
    background = np.array(VIDEO_BACKGROUND, dtype=np.float32)
    rgb = straight[:, :, :3] * alpha + background * (1 - alpha)
    out: Pixels = np.clip(rgb + 0.5, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(out)


def write_png(rgb: Pixels, path: Path) -> None:
    import av

    h, w = rgb.shape[:2]
    with av.open(str(path), "w", format="image2", options={"update": "1"}) as container:
        stream = container.add_stream("png")
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = w, h, "rgb24"
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def encode_video(
    frames: list[Path], out: Path, fmt: str, fps: int, poster: Path | None, progress: Progress
) -> None:
    """Encode PNG frames to MP4 (H.264) or WebM (VP9), yuv420p; the first frame also as poster."""
    import av

    codec, options = VIDEO_CODECS[fmt]
    out.parent.mkdir(parents=True, exist_ok=True)
    muxer = {"movflags": "+faststart"} if fmt == "mp4" else {}  # playable while it downloads
    with av.open(str(out), "w", format=fmt, container_options=muxer) as container:
        stream = container.add_stream(codec, rate=fps, options=options)
        assert isinstance(stream, av.VideoStream)
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index, path in enumerate(frames):
            rgb = _over_background(read_rgba(path))
            if index == 0:
                stream.width, stream.height = rgb.shape[1], rgb.shape[0]
                if poster is not None:
                    write_png(rgb, poster)
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
            frame.pts = index
            frame.time_base = stream.time_base
            for packet in stream.encode(frame):
                container.mux(packet)
            progress(
                "encode",
                round((index + 1) / len(frames), 4),
                f"encoded frame {index + 1}/{len(frames)}",
                frame=index + 1,
                frames=len(frames),
            )
        for packet in stream.encode(None):
            container.mux(packet)


def remove_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def rename_glb_nodes(path: Path, names: dict[str, str]) -> None:
    """Rename the nodes of a GLB in place (JSON chunk only; the binary chunk is kept as is)."""
    data = path.read_bytes()
    length, kind = struct.unpack_from("<II", data, 12)
    if data[:4] != b"glTF" or kind != 0x4E4F534A:
        raise RenderError(f"{path} is not a GLB with a JSON chunk")
    doc = json.loads(data[20 : 20 + length])
    for node in doc.get("nodes", []):
        if node.get("name") in names:
            node["name"] = names[node["name"]]
    chunk = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    chunk += b" " * (-len(chunk) % 4)  # JSON chunks are padded with spaces to 4 bytes
    rest = data[20 + length :]
    header = struct.pack("<III", 0x46546C67, 2, 12 + 8 + len(chunk) + len(rest))
    path.write_bytes(header + struct.pack("<II", len(chunk), 0x4E4F534A) + chunk + rest)


def export_glb(objects: list[Any], path: Path, part_names: dict[str, str] | None = None) -> None:
    """The model (its objects only: no camera, lights or floor) as GLB with its materials.

    Blender makes object names unique (``Ball.001``); ``part_names`` (object -> part) puts the
    CAD's part names back on the exported nodes, so the GLB names its parts like its source did.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    for obj in bpy.context.view_layer.objects:
        obj.select_set(False)
    for obj in objects:
        obj.select_set(True)
    bpy.context.view_layer.objects.active = objects[0]
    result = bpy.ops.export_scene.gltf(
        filepath=str(path),
        export_format="GLB",
        use_selection=True,
        export_materials="EXPORT",
        export_cameras=False,
        export_lights=False,
        export_yup=True,
        export_apply=True,
    )
    if "FINISHED" not in result or not path.is_file():
        raise RenderError(f"GLB export to {path} failed: {sorted(result)}")
    if part_names:
        rename_glb_nodes(path, part_names)


def export_blend(path: Path) -> None:
    """The whole scene as a self-contained ``.blend`` (resources packed), saved as a copy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    bpy.ops.file.pack_all()
    result = bpy.ops.wm.save_as_mainfile(filepath=str(path), copy=True, check_existing=False, compress=True)
    if "FINISHED" not in result or not path.is_file():
        raise RenderError(f"saving {path} failed: {sorted(result)}")

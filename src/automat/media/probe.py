"""What a published file is: its format (sniffed from the content, the name only as a fallback),
content type, checksum, size, and for images and videos the dimensions (videos also duration
and frame count). Images are read with Pillow (header only), videos with PyAV (demuxed, never
decoded), so probing a long turntable costs milliseconds."""

from __future__ import annotations

import hashlib
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "glb": "model/gltf-binary",
    "blend": "application/x-blender",
}
OCTET_STREAM = "application/octet-stream"
_BY_SUFFIX = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".webp": "webp",
    ".mp4": "mp4",
    ".webm": "webm",
    ".glb": "glb",
    ".blend": "blend",
}
_IMAGES = frozenset({"png", "jpeg", "webp"})
_VIDEOS = frozenset({"mp4", "webm"})
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Probe:
    format: str | None
    content_type: str
    size: int
    sha256: str
    crc32: int  # what a ZIP entry of the file records (bulk downloads need not compute it again)
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    frames: int | None = None
    error: str | None = None


def sniff(head: bytes, name: str) -> str | None:
    """The format of a file from its first bytes; the name's suffix only where the bytes say
    nothing definite (compressed .blend files)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"glTF"):
        return "glb"
    if head.startswith(b"BLENDER"):
        return "blend"
    suffix = Path(name).suffix.lower()
    compressed = head.startswith((b"\x28\xb5\x2f\xfd", b"\x1f\x8b"))  # zstd, gzip
    if suffix == ".blend" and compressed:
        return "blend"
    return None


def _digest(path: Path) -> tuple[int, str, int, bytes]:
    """Size, sha256, CRC-32 and first bytes of the file, in one read."""
    digest = hashlib.sha256()
    crc = size = 0
    head = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if not head:
                head = chunk[:64]
            size += len(chunk)
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
    return size, digest.hexdigest(), crc, head


def _image(path: Path) -> dict[str, int]:
    from PIL import Image

    with Image.open(path) as image:
        return {"width": image.width, "height": image.height}


def _video(path: Path) -> dict[str, float | int | None]:
    import av

    with av.open(str(path)) as container:
        if not container.streams.video:
            return {}
        stream = container.streams.video[0]
        frames = stream.frames
        if not frames:  # WebM keeps no frame count: count packets (no decoding)
            frames = sum(1 for packet in container.demux(stream) if packet.size)
        duration: float | None = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        return {
            "width": stream.codec_context.width,
            "height": stream.codec_context.height,
            "duration_s": round(duration, 4) if duration is not None else None,
            "frames": frames or None,
        }


def probe(path: Path, name: str) -> Probe:
    """Checksum, size, format and (images, videos) dimensions of ``path``. A file the probe
    cannot read is still described (format from its bytes, no dimensions, ``error`` set)."""
    size, sha256, crc, head = _digest(path)
    fmt = sniff(head, name) or _BY_SUFFIX.get(Path(name).suffix.lower())
    measured: dict[str, float | int | None] = {}
    error: str | None = None
    try:
        if fmt in _IMAGES:
            measured.update(_image(path))
        elif fmt in _VIDEOS:
            measured.update(_video(path))
    except Exception as exc:  # a damaged file is published as what it is, without dimensions
        log.warning("could not probe %s as %s: %s", name, fmt, exc)
        error = f"{exc.__class__.__name__}: {str(exc).replace(str(path), name)}"
    width, height, frames = measured.get("width"), measured.get("height"), measured.get("frames")
    duration = measured.get("duration_s")
    return Probe(
        format=fmt,
        content_type=CONTENT_TYPES.get(fmt or "", OCTET_STREAM),
        size=size,
        sha256=sha256,
        crc32=crc,
        width=int(width) if width else None,
        height=int(height) if height else None,
        duration_s=float(duration) if duration is not None else None,
        frames=int(frames) if frames else None,
        error=error,
    )

"""Warm-up: a tiny render job run by a freshly started host before its first real job.

Blender loads much of itself lazily: the glTF importer on the first import, the Cycles device
and kernels on the first render, OpenImageDenoise on the first denoised image. On this project's
2-core test machine that is about 2 s that the first thumbnail after a worker start would pay.
A worker starts its host when the worker process starts (``rendering/worker_host.py``) and asks
for a warm-up right away, with the job it will mostly run (the thumbnail spec): the host renders
that spec on a small cube GLB it writes itself, into a temp folder that goes afterwards.
"""

from __future__ import annotations

import json
import shutil
import struct
import tempfile
from pathlib import Path
from typing import Any

WARM_UP_PX = 64

# A unit cube: 8 corners, 12 triangles (glTF: Y-up, metres).
_CORNERS = [(x, y, z) for x in (-0.01, 0.01) for y in (-0.01, 0.01) for z in (-0.01, 0.01)]
_TRIANGLES = [
    (0, 1, 3), (0, 3, 2), (4, 6, 7), (4, 7, 5), (0, 4, 5), (0, 5, 1),
    (2, 3, 7), (2, 7, 6), (0, 2, 6), (0, 6, 4), (1, 5, 7), (1, 7, 3),
]  # fmt: skip


def cube_glb(path: Path) -> Path:
    """Write a one-node GLB with a small cube (what the warm-up imports)."""
    positions = b"".join(struct.pack("<3f", *c) for c in _CORNERS)
    indices = b"".join(struct.pack("<3H", *t) for t in _TRIANGLES)
    indices += b"\0" * (-len(indices) % 4)
    binary = positions + indices
    doc = {
        "asset": {"version": "2.0", "generator": "automat warm-up"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "warm_up", "mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "buffers": [{"byteLength": len(binary)}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": len(positions), "target": 34962},
            {"buffer": 0, "byteOffset": len(positions), "byteLength": len(_TRIANGLES) * 6, "target": 34963},
        ],
        "accessors": [
            {
                "bufferView": 0, "componentType": 5126, "count": len(_CORNERS), "type": "VEC3",
                "min": [-0.01, -0.01, -0.01], "max": [0.01, 0.01, 0.01],
            },
            {"bufferView": 1, "componentType": 5123, "count": len(_TRIANGLES) * 3, "type": "SCALAR"},
        ],
    }  # fmt: skip
    chunk = json.dumps(doc, separators=(",", ":")).encode()
    chunk += b" " * (-len(chunk) % 4)
    body = struct.pack("<II", len(chunk), 0x4E4F534A) + chunk + struct.pack("<II", len(binary), 0x004E4942)
    path.write_bytes(struct.pack("<III", 0x46546C67, 2, 12 + len(body) + len(binary)) + body + binary)
    return path


def warm_up(message: dict[str, Any]) -> dict[str, Any]:
    """Run ``message["spec"]`` (a render job spec as JSON) on the cube, small; report its timings."""
    from automat.blender import render_job
    from automat.rendering.spec import RenderJobSpec

    folder = Path(tempfile.mkdtemp(prefix="automat-warm-up-"))
    try:
        fields = dict(message["spec"])
        fields.update(
            job_id=str(message.get("job_id") or "warm-up"),
            input_glb=str(cube_glb(folder / "cube.glb")),
            output_path=str(folder / f"warm-up.{fields.get('format') or 'png'}"),
            width=WARM_UP_PX,
            height=WARM_UP_PX,
            material_map={},
            library_blend=None,
            template_blend=None,
        )
        result = render_job.run(RenderJobSpec.model_validate(fields), lambda *_, **__: None)
        print(  # the host's log: operators (and tests) see when a new host is warm
            f"[WARM_UP] {result.status} in {result.timings.get('total', 0.0):.2f} s"
            + (f": {result.error}" if result.error else ""),
            flush=True,
        )
        return {"status": result.status, "timings": result.timings, "error": result.error}
    finally:
        shutil.rmtree(folder, ignore_errors=True)

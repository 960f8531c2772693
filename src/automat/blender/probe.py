"""Which Cycles device this host would render on: ``python -m automat.blender.probe`` (bpy module)
or ``blender -b --factory-startup --python probe.py`` (an installed Blender).

``automat check`` runs it in a subprocess. It asks the render jobs' own device choice
(``gpu.activate`` with ``cycles_device=auto``) on the factory scene, so the answer is the device a
render job on this host would get, and prints one line ``AUTOMAT_PROBE {json}`` on stdout (after
whatever Blender prints itself): the Blender version and the device label, with ``gpu_info``
(back-end, device names, whether it fell back to the CPU and why).
"""

from __future__ import annotations

import json
import sys
from typing import Any

MARKER = "AUTOMAT_PROBE "


def probe() -> dict[str, Any]:
    import bpy

    from automat.blender import gpu

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    lines: list[str] = []
    info, device, _ = gpu.activate(scene, "auto", log=lines.append)
    return {"blender": bpy.app.version_string, "device": device, "gpu_info": info, "log": lines}


def main() -> int:
    print(MARKER + json.dumps(probe()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

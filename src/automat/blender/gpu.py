"""GPU first: find a Cycles compute device and switch the scene to it, or fall back to the CPU.

Written against the Cycles add-on of Blender 5.0 (``scripts/addons_core/cycles/properties.py``):

- ``preferences.addons["cycles"].preferences`` is a ``CyclesPreferences``;
- ``compute_device_type`` is a dynamic enum of the back-ends this build was compiled with
  (``NONE``, ``CUDA``, ``OPTIX``, ``HIP``, ``METAL``, ``ONEAPI``); assigning one that is not
  compiled in raises ``TypeError``;
- ``refresh_devices()`` asks every back-end for its devices and fills ``devices`` (a collection of
  ``CyclesDeviceSettings`` with ``id``, ``name``, ``type`` and ``use``); ``get_devices()`` is the
  deprecated spelling of the same;
- ``get_devices_for_type(kind)`` returns the entries of that back-end followed by the CPU, or an
  empty list when the back-end has no device (what a machine without a GPU sees);
- the scene renders on them with ``scene.cycles.device = "GPU"``.

The preferences are process-wide and a factory reset restores them, so the probe runs once per
job, after the reset (it costs milliseconds once the back-ends have been initialised).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import bpy

PROBE_ORDER = ("OPTIX", "CUDA", "HIP", "ONEAPI")
NO_GPU_LINE = "[GPU_PROBE] No GPU found, falling back to CPU — set cycles_device=cpu to suppress this warning"


def _cycles_preferences() -> Any:
    addon = bpy.context.preferences.addons.get("cycles")
    return addon.preferences if addon is not None else None


def _cpu_label(prefs: Any) -> str:
    """``CPU (<model>)`` once the devices have been listed, else ``CPU``."""
    for device in getattr(prefs, "devices", []):
        if device.type == "CPU":
            return f"CPU ({device.name})"
    return "CPU"


def _try_backend(prefs: Any, kind: str) -> list[Any]:
    """The GPU entries of back-end ``kind`` (empty when not compiled in or no device)."""
    try:
        prefs.compute_device_type = kind
    except TypeError:  # not one of this build's back-ends
        return []
    devices = prefs.get_devices_for_type(kind)
    return [d for d in devices if d.type == kind]


def _use_cpu(scene: Any, prefs: Any) -> None:
    scene.cycles.device = "CPU"
    if prefs is None:
        return
    with contextlib.suppress(TypeError):
        prefs.compute_device_type = "NONE"


def activate(
    scene: Any, requested: str, *, log: Callable[[str], None] = print
) -> tuple[dict[str, Any], str, str | None]:
    """Pick the Cycles device for ``scene``: ``(gpu_info, device label, warning or None)``.

    ``requested`` is ``cycles_device``: ``gpu`` (default: probe, warn when falling back), ``auto``
    (probe, fall back quietly) or ``cpu`` (no probe).
    """
    info: dict[str, Any] = {
        "requested": requested,
        "device_type": "CPU",
        "devices": [],
        "fallback": False,
        "reason": None,
    }
    prefs = _cycles_preferences()
    if requested == "cpu":
        _use_cpu(scene, prefs)
        cpu = _cpu_label(prefs)
        info.update(devices=[cpu], reason="cycles_device=cpu")
        return info, cpu, None

    if prefs is None:
        reason = "the Cycles add-on is not enabled"
    else:
        prefs.refresh_devices()
        for kind in PROBE_ORDER:
            gpus = _try_backend(prefs, kind)
            if not gpus:
                continue
            for device in prefs.devices:  # only this back-end's GPUs; the CPU stays out
                device.use = device.type == kind
            scene.cycles.device = "GPU"
            names = [str(d.name) for d in gpus]
            log(f"[GPU_PROBE] {', '.join(names)} activated ({kind}) — using GPU render")
            info.update(device_type=kind, devices=names)
            return info, f"GPU {kind} ({', '.join(names)})", None
        reason = f"no {'/'.join(PROBE_ORDER)} device found"

    _use_cpu(scene, prefs)
    cpu = _cpu_label(prefs)
    info.update(devices=[cpu], fallback=True, reason=reason)
    if requested == "auto":
        log(f"[GPU_PROBE] No GPU found, using CPU ({reason})")
        return info, cpu, None
    log(NO_GPU_LINE)
    return info, cpu, f"{NO_GPU_LINE} ({reason})"

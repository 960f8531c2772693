"""The material library ``.blend``, built from ``BUILTIN_MATERIALS`` by a bpy subprocess.

The file name carries a hash of the material definitions and of the build script, so a change
to either yields a new file and an unchanged library is never rebuilt. The build writes a
temporary file and renames it into place: readers see the whole file or none, and concurrent
callers (several workers on one host) build it once, serialised by a lock file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import uuid
from importlib.util import find_spec
from pathlib import Path

import automat
from automat.materials.library import BUILTIN_MATERIALS

BUILDER_MODULE = "automat.blender.build_library"
BUILD_TIMEOUT_S = 300.0
_PREFIX = "material-library-"


class LibraryBuildError(RuntimeError):
    """The library .blend could not be built."""


def _builder_source() -> bytes:
    spec = find_spec(BUILDER_MODULE)
    if spec is None or spec.origin is None:
        raise LibraryBuildError(f"{BUILDER_MODULE} is not importable")
    return Path(spec.origin).read_bytes()


def library_hash() -> str:
    """A digest of every built-in material definition and of the script that builds them."""
    digest = hashlib.sha256()
    definitions = [m.as_dict() for m in BUILTIN_MATERIALS]
    digest.update(json.dumps(definitions, sort_keys=True, separators=(",", ":")).encode())
    digest.update(b"\0")
    digest.update(_builder_source())
    return digest.hexdigest()[:16]


def library_path(directory: Path) -> Path:
    return directory / f"{_PREFIX}{library_hash()}.blend"


def _build(target: Path, *, timeout_s: float) -> None:
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.partial.blend")
    src = str(Path(automat.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}
    try:
        try:
            proc = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
                [sys.executable, "-m", BUILDER_MODULE, str(tmp)],
                capture_output=True,
                text=True,
                timeout=timeout_s,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise LibraryBuildError(
                f"building the material library timed out after {timeout_s:.0f} s"
            ) from None
        if proc.returncode != 0 or not tmp.is_file():
            tail = (proc.stderr or proc.stdout or "").strip()[-2000:]
            raise LibraryBuildError(f"building the material library failed (exit {proc.returncode}): {tail}")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_library(directory: Path, *, timeout_s: float = BUILD_TIMEOUT_S) -> Path:
    """The path of the current library ``.blend`` in ``directory``, built first if it is missing."""
    target = library_path(directory)
    if target.is_file():
        return target
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f".{_PREFIX}lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not target.is_file():  # another process may have built it while we waited
                _build(target, timeout_s=timeout_s)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target

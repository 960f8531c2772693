"""File storage under server-chosen keys (``tenants/<tenant>/cad/<id>/source.step``).

The local backend keeps files under ``$AUTOMAT_HOME/storage``. Keys are built by the server
from ids only, never from a client's file name, and are checked to stay inside the root.
An S3-compatible backend can implement the same four operations.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from functools import lru_cache
from pathlib import Path

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".tmp").mkdir(exist_ok=True)

    def path(self, key: str) -> Path:
        """Where ``key`` lives on disk (for workers and for streaming responses)."""
        if not _KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"invalid storage key {key!r}")
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def temp_path(self) -> Path:
        """A fresh temporary file on the same file system, for writing before ``commit``."""
        fd, name = tempfile.mkstemp(dir=self.root / ".tmp")
        os.close(fd)
        return Path(name)

    def commit(self, temp: Path, key: str) -> None:
        """Move a finished temporary file to ``key`` atomically."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def delete_prefix(self, prefix: str) -> None:
        """Remove everything under a key prefix (a whole CAD file's folder)."""
        target = self.path(prefix.rstrip("/"))
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)


def cad_prefix(tenant_id: uuid.UUID, cad_file_id: uuid.UUID) -> str:
    return f"tenants/{tenant_id}/cad/{cad_file_id}"


@lru_cache
def default_storage() -> LocalStorage:
    from automat.config import get_settings

    return LocalStorage(get_settings().resolved_home() / "storage")

"""File storage under server-chosen keys (``tenants/<tenant>/cad/<id>/source.step``).

The local backend keeps files under a root (the installation's is ``$AUTOMAT_HOME/storage``:
``core.storage.default_storage``). Keys are built by the server from ids only, never from a
client's file name, and are checked to stay inside the root. An S3-compatible backend can
implement the same operations.

Work in progress lives in ``<root>/.tmp`` (same file system, so ``commit`` is an atomic rename).
Every temp entry is named after the process that made it (``automat-<kind>-<owner>-…``) and that
process holds an ``flock`` on ``.tmp/.owners/<owner>.lock`` for as long as it lives; the kernel
drops the lock when the process dies, however it dies. ``sweep_temp`` removes only entries whose
owner's lock is free (a killed worker, an API process that was restarted mid-upload) and that are
older than the age it is given, so an entry in use is never touched.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
import socket
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
TEMP_DIR = ".tmp"
OWNERS_DIR = ".owners"
_OWNED = re.compile(r"^automat-[a-z]+-(?P<owner>[0-9a-f]{12})-")
OWNER_LOCK_MIN_AGE_S = 60.0
"""A free owner lock younger than this may belong to a process between ``open`` and ``flock``."""


@dataclass
class _Owner:
    pid: int
    token: str
    fd: int


_owners: dict[Path, _Owner] = {}
_owners_lock = threading.Lock()


def _owner_token(tmp: Path) -> str:
    """This process's owner token for ``tmp``, its lock taken on first use (again after a fork)."""
    with _owners_lock:
        pid = os.getpid()
        owner = _owners.get(tmp)
        if owner is not None and owner.pid == pid:
            return owner.token
        if owner is not None:  # a forked child: the parent's lock is the parent's business
            os.close(owner.fd)
        token = secrets.token_hex(6)
        folder = tmp / OWNERS_DIR
        folder.mkdir(exist_ok=True)
        fd = os.open(folder / f"{token}.lock", os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, f"{socket.gethostname()} {pid}\n".encode())
        _owners[tmp] = _Owner(pid, token, fd)
        return token


def owner_alive(tmp: Path, token: str) -> bool:
    """Whether the process that owns ``token`` still holds its lock (still runs)."""
    try:
        fd = os.open(tmp / OWNERS_DIR / f"{token}.lock", os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # releases the lock if this call took it
    return False


@dataclass
class SweepReport:
    removed: list[str] = field(default_factory=list)
    kept_in_use: int = 0
    kept_young: int = 0
    freed_bytes: int = 0


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / TEMP_DIR).mkdir(exist_ok=True)

    @property
    def tmp(self) -> Path:
        return self.root / TEMP_DIR

    def path(self, key: str) -> Path:
        """Where ``key`` lives on disk (for workers and for streaming responses)."""
        if not _KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"invalid storage key {key!r}")
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def temp_path(self, kind: str = "file") -> Path:
        """A fresh temporary file on the same file system, for writing before ``commit``."""
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix=f"automat-{kind}-{_owner_token(self.tmp)}-")
        os.close(fd)
        return Path(name)

    def temp_dir(self, kind: str) -> Path:
        """A fresh temporary folder (``automat-<kind>-…``) owned by this process; remove it when done."""
        return Path(tempfile.mkdtemp(dir=self.tmp, prefix=f"automat-{kind}-{_owner_token(self.tmp)}-"))

    def commit(self, temp: Path, key: str) -> None:
        """Move a finished temporary file to ``key`` atomically."""
        target = self.path(key)
        for attempt in range(3):
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(temp, target)
                return
            except FileNotFoundError:
                if attempt == 2 or not temp.exists():
                    raise  # the folder was pruned between mkdir and rename: make it again

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def delete_prefix(self, prefix: str) -> None:
        """Remove everything under a key prefix (a whole CAD file's folder)."""
        target = self.path(prefix.rstrip("/"))
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)

    def sweep_temp(self, max_age_s: float, *, now: float | None = None) -> SweepReport:
        """Remove temp entries whose owner process is gone and that are older than ``max_age_s``.

        Entries of a live owner are never touched, whatever their age; entries named by no owner
        (left by an older version) go by age alone."""
        now = time.time() if now is None else now
        report = SweepReport()
        for entry in sorted(self.tmp.iterdir()):
            if entry.name == OWNERS_DIR:
                continue
            match = _OWNED.match(entry.name)
            if match is not None and owner_alive(self.tmp, match["owner"]):
                report.kept_in_use += 1
                continue
            try:
                age = now - entry.lstat().st_mtime
                if age < max_age_s:
                    report.kept_young += 1
                    continue
                size = _size(entry)
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            except FileNotFoundError:
                continue  # its owner finished with it meanwhile
            report.removed.append(entry.name)
            report.freed_bytes += size
        self._sweep_owner_locks(max(max_age_s, OWNER_LOCK_MIN_AGE_S), now)
        return report

    def _sweep_owner_locks(self, min_age_s: float, now: float) -> None:
        folder = self.tmp / OWNERS_DIR
        if not folder.is_dir():
            return
        for lock in folder.glob("*.lock"):
            try:
                if now - lock.stat().st_mtime >= min_age_s and not owner_alive(self.tmp, lock.stem):
                    lock.unlink()
            except FileNotFoundError:
                continue


def cad_prefix(tenant_id: uuid.UUID, cad_file_id: uuid.UUID) -> str:
    return f"tenants/{tenant_id}/cad/{cad_file_id}"

"""Bulk downloads' ZIP: the entries' names, the manifest and the stream (zipstream-ng).

The archive is stored, not deflated (media are compressed already; deflating costs CPU for
nothing), sized up front (``len(archive)`` is the response's ``Content-Length``), and zip64 where
it needs to be (an entry over 4 GB, offsets beyond 4 GB, more than 65,535 entries): zipstream-ng
decides each and writes every record; nothing here writes ZIP bytes. Each file is read in
``CHUNK`` pieces when its turn comes and the pieces are passed on, so memory stays flat however
large the archive is (what is kept per entry is its central-directory record, ~100 bytes).

Every entry records the CRC-32 of its bytes. Computed while streaming (zlib: ~5 GB/s here) it
costs more than reading the file from the page cache, so an asset's CRC is taken when it is
published (``media_assets.file_crc32``) and an entry that brings it (``Entry.crc32``) is streamed
without one (``KnownCrcZipStream``); an entry without it (or whose file has changed since:
``downloads``) is the library's own, CRC computed as it goes.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from zipstream import ZIP_STORED, ZipStream
from zipstream.ng import ZIP64_ESTIMATE_FACTOR, ZIP64_LIMIT, ZipStreamInfo

from automat.kit.spreadsheet import FORMULA_TRIGGERS

CHUNK = 1 << 20  # bytes read from a file at a time
_SMALL = 64 << 10  # pieces below this are joined with their neighbours before they are handed on
MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("file", "asset_id", "product", "pim_id", "output_type", "order", "size_bytes", "sha256")
MAX_NAME = 150  # characters of an entry's name (file systems allow 255 bytes; UTF-8 takes up to 4)

# What Windows, macOS or a shell cannot take in a name, and controls.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)


@dataclass(frozen=True)
class Entry:
    """A file to put in the archive, and its manifest row."""

    path: Path
    size: int
    name: str  # as the asset calls it (made safe and unique here)
    asset_id: str
    product: str
    pim_id: str
    output_type: str
    order: str
    checksum: str
    # The file's CRC-32 when the caller knows it for the file as it is now (size and ctime as when
    # it was taken); None: computed while streaming.
    crc32: int | None = None
    ctime_ns: int | None = None  # the file's st_ctime_ns when its size was taken


def safe_name(name: str, default: str = "file") -> str:
    """One path segment any unzipper writes as it is: no separators or ``..``, no characters that
    Windows refuses, no controls, no leading dots or trailing dots and spaces, not a reserved
    device name, at most MAX_NAME characters with the suffix kept. Unicode (NFC) stays."""
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("_", text).strip().lstrip(".").rstrip(". ")
    if not text:
        text = default
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    if stem.split(".")[0].strip().lower() in _RESERVED:
        stem = f"_{stem}"
    if len(suffix) > 10:  # not a suffix: part of the name
        stem, suffix = text, ""
    room = MAX_NAME - (len(suffix) + 1 if suffix else 0)
    return f"{stem[:room]}.{suffix}" if suffix else stem[:room]


class UniqueNames:
    """Names that differ from every name given before, as file systems compare them (case and
    Unicode form folded): ``a.png``, ``a (2).png``, ``A (3).png``. ``reserved`` are taken at start.
    Each name remembers the last number it got, so n equal names cost n steps, not n²."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken = {self._key(n) for n in reserved}
        self._next: dict[str, int] = {}

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def take(self, name: str) -> str:
        key = self._key(name)
        if key not in self._taken:  # the common case: no clash (one key, no path parsed)
            self._next[key] = 1
            self._taken.add(key)
            return name
        candidate, candidate_key, number = name, key, self._next.get(key, 1)
        path = PurePosixPath(name)
        while candidate_key in self._taken:
            number += 1
            stem = path.stem[: MAX_NAME - len(path.suffix) - 12]
            candidate = f"{stem} ({number}){path.suffix}"
            candidate_key = self._key(candidate)
        self._next[key] = number
        self._taken.add(candidate_key)
        return candidate


def manifest(rows: Iterable[Sequence[str | int]]) -> bytes:
    """``manifest.csv`` (UTF-8 with a BOM, so Excel reads the umlauts): a header, then one row per
    file; cell text a spreadsheet would run as a formula (``=…``, ``+…``, ``-…``, ``@…``) is
    prefixed with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    # escape_for_spreadsheet's rule, inlined (one call per cell was a tenth of an archive's own time)
    writer.writerows(
        ["'" + v if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) else v for v in row] for row in rows
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _read(path: Path, chunk: int, size: int | None = None) -> Iterator[bytes]:
    """The file's bytes in pieces of at most ``chunk``. With its ``size`` known each read asks for
    what is left (a file smaller than ``chunk`` is one read of its exact size: no buffer made larger
    and shrunk, no copy through a ``BufferedReader``), then one more read finds the end, so a file
    longer or shorter than ``size`` still yields what it has (the archive's size check fails it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        left = size if size is not None else chunk
        while piece := os.read(fd, min(left, chunk) if left > 0 else chunk):
            left -= len(piece)
            yield piece
    finally:
        os.close(fd)


_DATA_DESCRIPTOR = 1 << 3  # general purpose flag bit 3: sizes and CRC follow the data


class KnownCrcZipStream(ZipStream):  # type: ignore[misc]  # zipstream has no type hints
    """zipstream-ng's ZipStream, plus entries whose CRC-32 is known before they are read.

    zipstream-ng (1.9) has no way to pass a CRC: its entry generator computes one over every byte
    (``ZipStreamInfo._file_data``). ``add_known`` queues an entry as ``add`` does (the library
    checks the name and sizes the archive) and marks it with the CRC; its entry is generated here
    as the library generates a stored one (its ``FileHeader``, the data, its ``DataDescriptor``,
    the same flags, zip64 rule and offsets; the central directory and the end records are the
    library's), without the CRC loop. The layout is the library's, byte for byte
    (``tests/media/test_archive_crc.py`` compares the two), so ``len()`` stays exact. If the data
    is not ``size`` bytes long the stream fails, as the library's sized stream does."""

    entries: dict[str, Entry]  # by name in the archive (``build``)

    def add_known(self, data: Iterable[bytes], arcname: str, *, size: int, crc: int) -> None:
        self.add(data, arcname, size=size)
        self._queue[-1]["crc"] = crc  # the kwargs the library keeps for _gen_file_entry

    def _gen_file_entry(self, *, crc: int | None = None, **kwargs: object) -> Iterator[bytes]:
        if crc is None:
            yield from super()._gen_file_entry(**kwargs)
            return
        iterable, size, arcname = kwargs["iterable"], kwargs["size"], kwargs["arcname"]
        assert isinstance(size, int)
        assert isinstance(arcname, str)
        info = ZipStreamInfo(arcname)
        info.external_attr = 0o600 << 16  # as the library sets for added data (?rw-------)
        info.file_size = size
        info.compress_type = ZIP_STORED
        info._compresslevel = None
        info.header_offset = self._pos
        info.flag_bits |= _DATA_DESCRIPTOR
        zip64 = size * ZIP64_ESTIMATE_FACTOR > ZIP64_LIMIT
        yield self._track(info.FileHeader(zip64))
        done = 0
        for piece in iterable:  # type: ignore[attr-defined]
            done += len(piece)
            yield self._track(piece)
        if done != size:
            raise RuntimeError(f"{arcname}: {done} bytes read, {size} expected; the archive is cut short")
        info.CRC, info.compress_size = crc, size
        yield self._track(info.DataDescriptor(zip64))
        self._filelist.append(info)


def build(entries: Iterable[Entry], *, chunk: int = CHUNK) -> ZipStream:
    """A sized, stored ZipStream of the entries under unique safe names and ``manifest.csv``
    (first). The files are opened only while the stream is read; an entry with ``crc32`` is not
    hashed again."""
    archive = KnownCrcZipStream(compress_type=ZIP_STORED, sized=True)
    archive.entries = {}
    names = UniqueNames(reserved=[MANIFEST])
    rows: list[tuple[str | int, ...]] = []
    files: list[tuple[Entry, str]] = []
    for entry in entries:
        name = names.take(safe_name(entry.name))
        files.append((entry, name))
        rows.append((name, entry.asset_id, entry.product, entry.pim_id, entry.output_type, entry.order,
                     entry.size, entry.checksum))  # fmt: skip
    archive.add(manifest(rows), MANIFEST)
    for entry, name in files:
        archive.entries[name] = entry
        if entry.crc32 is None:
            archive.add(_read(entry.path, chunk, entry.size), name, size=entry.size)
        else:
            archive.add_known(_read(entry.path, chunk, entry.size), name, size=entry.size, crc=entry.crc32)
    return archive


def computed_crcs(archive: ZipStream) -> list[tuple[Entry, int]]:
    """The entries streamed so far whose CRC-32 the stream computed (they came without one), each
    with it, if the file is still as it was when the archive was built (size and ctime): what a
    caller may store so the next archive need not compute it (``downloads.remember_crcs``)."""
    entries: dict[str, Entry] = getattr(archive, "entries", {})
    found = []
    for info in archive.info_list():
        entry = entries.get(info["name"])
        if entry is None or entry.crc32 is not None or info["CRC"] is None or entry.ctime_ns is None:
            continue
        try:
            now = entry.path.stat()
        except OSError:
            continue
        if (now.st_size, now.st_ctime_ns) == (entry.size, entry.ctime_ns) and info["size"] == entry.size:
            found.append((entry, int(info["CRC"])))
    return found


def stream(
    archive: ZipStream, *, least: int = CHUNK, progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The archive's bytes, the records between files (a few dozen bytes each) joined into pieces
    of up to ``least`` bytes and file data handed on as read (never copied), so a consumer that
    costs something per piece (a thread hop, a socket write) pays it per megabyte, not per record.
    ``progress`` is called with the bytes handed on so far after each piece."""
    pending: list[bytes] = []
    size = done = 0
    for piece in archive:
        if len(piece) < _SMALL:
            pending.append(piece)
            size += len(piece)
            if size < least:
                continue
            piece = b"".join(pending)
        elif pending:
            joined = b"".join(pending)
            done += len(joined)
            yield joined
        pending.clear()
        size = 0
        done += len(piece)
        yield piece
        if progress is not None:
            progress(done)
    if pending:
        joined = b"".join(pending)
        yield joined
        if progress is not None:
            progress(done + len(joined))

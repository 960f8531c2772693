"""Bulk download throughput: a ZIP of 2,000 files / 1 GB through the API's own archive code
(``automat.media.archive``: zipstream-ng, stored, sized), against ``cat`` of the same files to
/dev/null, and the process's peak RSS while it streams.

Four figures, each the best of ``ROUNDS`` with the files in the page cache (as they are on a
server that just rendered them, and as ``cat`` reads them):

- ``cat``: ``cat <every file> > /dev/null`` (one process; the baseline: reading only);
- ``zip``: ``archive.build`` + ``archive.stream`` written to /dev/null in this process, each entry
  made by ``downloads.entry_of`` from a row carrying the CRC-32 and file ctime its publication
  stored (migration 0018; computed here before the timing, as publication computes it beside the
  sha256): reading and the records;
- ``zip_crc``: the same with rows without a stored CRC (assets published before 0018, or a file
  changed since): the stream computes every entry's CRC-32, as before;
- ``zip_http``: ``zip``'s stream as a Starlette ``StreamingResponse`` behind uvicorn on a local
  port, read by ``curl -o /dev/null`` (what the endpoint adds: a thread hop per piece, the socket).

The target is ``zip`` ≥ 80% of ``cat``'s throughput, with memory flat: the RSS after streaming
is compared with the RSS before (the central directory of 2,000 entries is ~200 KB). Each
archive is checked once with ``zipfile.testzip`` (every CRC verified) before the timing.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import report

FILES = 2_000
TOTAL = 1 << 30  # bytes
ROUNDS = 5
TARGET_RATIO = 0.8


def _make_files(root: Path) -> list[Path]:
    """FILES files of 100 KB-1 MB (1 GB in all) of incompressible bytes (slices of one random block)."""
    rng = random.Random(14)
    block = rng.randbytes(4 << 20)
    weights = [rng.uniform(0.2, 1.8) for _ in range(FILES)]
    scale = TOTAL / sum(weights)
    paths = []
    for index, weight in enumerate(weights):
        size = int(weight * scale)
        start = rng.randrange(0, len(block) - size)
        path = root / f"render-{index:04d}.png"
        path.write_bytes(block[start : start + size])
        paths.append(path)
    return paths


def _rss_mb() -> float:
    """This process's resident memory now (from /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _best(fn: Any) -> float:
    fn()  # warm: the files in the page cache, the code paths loaded
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _rows(paths: list[Path], *, with_crc: bool) -> list[Any]:
    """The assets' rows as ``repository.archived_*`` reads them; with the CRC-32 and ctime their
    publication stores (``probe`` computes the CRC in the sha256's pass) or without (before 0018)."""
    import uuid
    import zlib
    from types import SimpleNamespace

    rows = []
    for p in paths:
        found = p.stat()
        rows.append(
            SimpleNamespace(
                id=uuid.uuid4(), file_name=p.name, product_name="Rillenkugellager 6204", pim_id="81113-TV",
                kind="still", order_number="ORD-2026-000001", checksum="0" * 64, file_size=found.st_size,
                file_crc32=zlib.crc32(p.read_bytes()) if with_crc else None,
                file_ctime_ns=found.st_ctime_ns if with_crc else None,
            )
        )  # fmt: skip
    return rows


def _entries(paths: list[Path], rows: list[Any]) -> list[Any]:
    """The archive's entries as the endpoint makes them (``downloads.entry_of``: a stat per file)."""
    from automat.media.downloads import entry_of

    return [entry_of(row, p, p.stat()) for row, p in zip(rows, paths, strict=True)]


def _check(paths: list[Path], rows: list[Any], root: Path) -> None:
    """The archive is valid: every entry's CRC and size checked by Python's zipfile."""
    import zipfile

    from automat.media import archive

    target = root / "check.zip"
    with open(target, "wb") as out:
        for piece in archive.stream(archive.build(_entries(paths, rows))):
            out.write(piece)
    with zipfile.ZipFile(target) as zipped:
        assert zipped.testzip() is None
        assert len(zipped.infolist()) == len(paths) + 1
    target.unlink()


def _serve(paths: list[Path], rows: list[Any]) -> tuple[Any, int]:
    """uvicorn on a free local port serving the archive at / (a fresh archive per request)."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    from automat.media import archive

    async def zipped(request: Any) -> StreamingResponse:
        built = archive.build(_entries(paths, rows))
        return StreamingResponse(
            archive.stream(built), media_type="application/zip", headers={"Content-Length": str(len(built))}
        )

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=[Route("/", zipped)]), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, port


def main() -> None:
    from automat.media import archive

    root = Path(tempfile.mkdtemp(prefix="automat-bench-zip-"))
    try:
        paths = _make_files(root)
        total = sum(p.stat().st_size for p in paths)
        stored, unknown = _rows(paths, with_crc=True), _rows(paths, with_crc=False)
        _check(paths, stored, root)
        _check(paths, unknown, root)
        cat = shutil.which("cat") or "cat"

        def cat_all() -> None:
            with open(os.devnull, "wb") as sink:
                subprocess.run([cat, *map(str, paths)], stdout=sink, check=True)

        size = 0

        def zipper(rows: list[Any]) -> Any:
            def zip_all() -> None:
                nonlocal size
                built = archive.build(_entries(paths, rows))
                size = len(built)
                fd = os.open(os.devnull, os.O_WRONLY)
                try:
                    written = 0
                    for piece in archive.stream(built):
                        written += os.write(fd, piece)
                    assert written == size, (written, size)
                finally:
                    os.close(fd)

            return zip_all

        cat_all()
        rss_before = _rss_mb()
        peak_before = _peak_rss_mb()
        cat_s = _best(cat_all)
        zip_s = _best(zipper(stored))
        zip_crc_s = _best(zipper(unknown))
        peak_after = _peak_rss_mb()
        rss_after = _rss_mb()

        server, port = _serve(paths, stored)
        curl = shutil.which("curl")
        http_s = None
        if curl:

            def http_all() -> None:
                subprocess.run([curl, "-sS", "-f", "-o", os.devnull, f"http://127.0.0.1:{port}/"], check=True)

            http_s = _best(http_all)
        server.should_exit = True
    finally:
        shutil.rmtree(root, ignore_errors=True)
    mb = total / 1e6
    ratio = cat_s / zip_s
    report(
        "media_zip",
        cat_s,
        zip_s,
        files=FILES,
        bytes=total,
        archive_bytes=size,
        rounds=ROUNDS,
        cat_mb_s=round(mb / cat_s),
        zip_mb_s=round(mb / zip_s),
        throughput_ratio=round(ratio, 3),
        target_ratio=TARGET_RATIO,
        within_target=ratio >= TARGET_RATIO,
        zip_crc_s=round(zip_crc_s, 4),
        zip_crc_mb_s=round(mb / zip_crc_s),
        zip_crc_ratio=round(cat_s / zip_crc_s, 3),
        zip_http_s=round(http_s, 4) if http_s else None,
        zip_http_mb_s=round(mb / http_s) if http_s else None,
        zip_http_ratio=round(cat_s / http_s, 3) if http_s else None,
        rss_before_mb=round(rss_before, 1),
        rss_after_mb=round(rss_after, 1),
        peak_rss_before_mb=round(peak_before, 1),
        peak_rss_mb=round(peak_after, 1),
        peak_rss_growth_mb=round(peak_after - peak_before, 1),
        note=(
            "best of rounds, files in the page cache; zip = automat.media.archive (zipstream-ng, "
            "stored, sized) to /dev/null in-process with the CRC-32 stored at publication, zip_crc = "
            "the same computing every CRC (assets without one), zip_http = zip as a StreamingResponse "
            "behind uvicorn read by curl; throughput_ratio = cat_s / zip_s"
        ),
    )


if __name__ == "__main__":
    main()
    sys.exit(0)

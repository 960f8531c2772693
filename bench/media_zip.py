"""Bulk download throughput: a ZIP of 2,000 files / 1 GB through the API's own archive code
(``automat.media.archive``: zipstream-ng, stored, sized), against ``cat`` of the same files to
/dev/null, and the process's peak RSS while it streams.

Three figures, each the best of ``ROUNDS`` with the files in the page cache (as they are on a
server that just rendered them, and as ``cat`` reads them):

- ``cat``: ``cat <every file> > /dev/null`` (one process; the baseline: reading only);
- ``zip``: ``archive.build`` + ``archive.stream`` written to /dev/null in this process (reading,
  the CRC-32 every ZIP entry needs, the records);
- ``zip_http``: the same stream as a Starlette ``StreamingResponse`` behind uvicorn on a local
  port, read by ``curl -o /dev/null`` (what the endpoint adds: a thread hop per piece, the socket).

The target is ``zip`` ≥ 80% of ``cat``'s throughput, with memory flat: the RSS after streaming
1 GB is compared with the RSS before (the central directory of 2,000 entries is ~200 KB).
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


def _entries(paths: list[Path]) -> list[Any]:
    from automat.media.archive import Entry

    return [
        Entry(
            path=p,
            size=p.stat().st_size,
            name=p.name,
            asset_id=str(i),
            product="Rillenkugellager 6204",
            pim_id="81113-TV",
            output_type="still",
            order="ORD-2026-000001",
            checksum="0" * 64,
        )
        for i, p in enumerate(paths)
    ]


def _serve(paths: list[Path]) -> tuple[Any, int]:
    """uvicorn on a free local port serving the archive at / (a fresh archive per request)."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    from automat.media import archive

    async def zipped(request: Any) -> StreamingResponse:
        built = archive.build(_entries(paths))
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
        cat = shutil.which("cat") or "cat"

        def cat_all() -> None:
            with open(os.devnull, "wb") as sink:
                subprocess.run([cat, *map(str, paths)], stdout=sink, check=True)

        size = 0

        def zip_all() -> None:
            nonlocal size
            built = archive.build(_entries(paths))
            size = len(built)
            fd = os.open(os.devnull, os.O_WRONLY)
            try:
                written = 0
                for piece in archive.stream(built):
                    written += os.write(fd, piece)
                assert written == size, (written, size)
            finally:
                os.close(fd)

        cat_all()
        rss_before = _rss_mb()
        peak_before = _peak_rss_mb()
        cat_s = _best(cat_all)
        zip_s = _best(zip_all)
        peak_after = _peak_rss_mb()
        rss_after = _rss_mb()

        server, port = _serve(paths)
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
            "stored, sized) to /dev/null in-process, zip_http = the same as a StreamingResponse behind "
            "uvicorn read by curl; throughput_ratio = cat_s / zip_s"
        ),
    )


if __name__ == "__main__":
    main()
    sys.exit(0)

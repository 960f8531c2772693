"""Run every benchmark: ``python -m bench [name ...]``. Each prints one JSON object.

A benchmark starts private servers and configures the process for them (settings, database
engines, the Celery app, storage are cached per process), so running several in one process lets
one reach the servers of another that are gone. With more than one name, each runs in a process
of its own; the others still run when one fails, and the exit status says whether all passed.
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench import (
    analytics,
    cad_convert,
    excel_import,
    media_query,
    media_zip,
    orders,
    product_search,
    render,
    rls_overhead,
    scale_out,
    upload_to_thumbnail,
    workflows,
)

BENCHMARKS = {
    "rls_overhead": rls_overhead.main,
    "cad_convert": cad_convert.main,
    "render_host": render.render_host,
    "render_overhead": render.render_overhead,
    "render_coverage": render.render_coverage,
    "excel_import": excel_import.main,
    "product_search": product_search.main,
    "media_query": media_query.main,
    "media_zip": media_zip.main,
    "order_dispatch": orders.order_dispatch,
    "order_overhead": orders.order_overhead,
    "workflow_fanout": workflows.workflow_fanout,
    "workflow_overhead": workflows.workflow_overhead,
    "upload_to_thumbnail": upload_to_thumbnail.main,
    "thumbnail_levers": upload_to_thumbnail.thumbnail_levers,
    "analytics": analytics.main,
    "scale_out": scale_out.main,
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    if len(names) == 1:
        BENCHMARKS[names[0]]()
        return 0
    failed = []
    for name in names:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "bench", name], check=False)
        if done.returncode != 0:
            failed.append(name)
            print(f"bench: {name} failed (exit status {done.returncode})", file=sys.stderr)
        else:
            print(f"bench: {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    if failed:
        print(f"bench: {len(failed)} of {len(names)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Run every benchmark: ``python -m bench [name ...]``. Each prints one JSON object."""

from __future__ import annotations

import sys

from bench import cad_convert, excel_import, orders, render, rls_overhead

BENCHMARKS = {
    "rls_overhead": rls_overhead.main,
    "cad_convert": cad_convert.main,
    "render_host": render.render_host,
    "render_overhead": render.render_overhead,
    "excel_import": excel_import.main,
    "order_dispatch": orders.order_dispatch,
    "order_overhead": orders.order_overhead,
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    for name in names:
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

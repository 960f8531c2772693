"""The packages of ``automat`` import each other in one direction only.

Every module under ``src/automat`` is parsed (nothing is imported or run); each ``import
automat.x…`` / ``from automat.x… import …`` adds an edge from the module's package to ``x`` (the
first name after ``automat.``; a top-level module such as ``config.py`` or ``app.py`` is a
package of its own). Imports inside functions count like those at the top of a module: a cycle
hidden in a function is still a cycle. Only imports under ``if TYPE_CHECKING:`` are left out (they
are annotations, never executed).

The layering this keeps (docs/architecture.md, "Package layering"): domains → engines
(``pipeline``, ``rendering``, ``worker``) → ``core`` → ``kit``, and ``kit`` imports nothing of
``automat``. The composition roots (``app.py``/``api.py`` for the API, ``worker_app.py`` for the
worker, ``cli.py``) import the domains; nothing imports them.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "automat"
Edges = dict[tuple[str, str], list[str]]  # (importer, imported) -> where ("cad/tasks.py:12")


def _package(path: Path, root: Path) -> str:
    return path.relative_to(root).parts[0].removesuffix(".py")


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skipped


def _imported(node: ast.AST) -> Iterator[str]:
    """The ``automat`` modules an import statement names."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if node.module == "automat":  # from automat import cad
            yield from (f"automat.{alias.name}" for alias in node.names)
        else:
            yield node.module


def import_edges(root: Path = SRC) -> Edges:
    edges: Edges = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        importer = _package(path, root)
        tree = ast.parse(path.read_text(), filename=str(path))
        skipped = _type_checking_only(tree)
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            for module in _imported(node):
                parts = module.split(".")
                if parts[0] == "automat" and len(parts) > 1 and parts[1] != importer:
                    edges[(importer, parts[1])].append(
                        f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
                    )
    return edges


def strongly_connected(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The groups of packages that reach each other (Tarjan), each sorted; singletons left out."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _describe(edges: Edges, a: str, b: str) -> str:
    return f"{a} -> {b} ({', '.join(edges[(a, b)][:3])}{', …' if len(edges[(a, b)]) > 3 else ''})"


def test_no_two_packages_import_each_other() -> None:
    edges = import_edges()
    pairs = sorted({tuple(sorted(pair)) for pair in edges if pair[::-1] in edges})
    mutual = [f"{_describe(edges, a, b)} and {_describe(edges, b, a)}" for a, b in pairs]
    assert mutual == [], "\n".join(["packages that import each other:", *mutual])


def test_the_packages_form_no_cycle() -> None:
    edges = import_edges()
    cycles = strongly_connected(edges)
    described = [
        f"{' ↔ '.join(group)}: "
        + "; ".join(_describe(edges, a, b) for a in group for b in group if (a, b) in edges)
        for group in cycles
    ]
    assert described == [], "\n".join(["packages in a cycle:", *described])


# What each bottom layer may import (everything else imports them). The domains above are kept
# apart by the two tests above; the engines and core, by this table.
MAY_IMPORT = {
    "kit": set(),
    "config": {"kit"},
    "models": {"kit"},
    "core": {"config", "kit", "models"},
    "worker": {"config", "core", "kit", "models"},
    # The render engine: spec, host client, worker-owned host, process control, progress,
    # render-queue consumers. The domains call it, never the other way round.
    "rendering": {"config", "core", "kit", "models", "worker"},
}


def test_the_bottom_layers_import_only_what_is_below_them() -> None:
    edges = import_edges()
    found = [_describe(edges, a, b) for a, b in edges if a in MAY_IMPORT and b not in MAY_IMPORT[a]]
    assert found == [], "\n".join(found)


def test_the_scan_sees_imports_in_functions_and_cycles(tmp_path: Path) -> None:
    """The checks above can fail: a cycle made of a function-level import is found, and one
    under ``TYPE_CHECKING`` is not."""
    for package, text in {
        "a": "from automat.b import x\n",
        "b": "def f():\n    from automat.c import y\n",
        "c": "import automat.a.z\n",
        "d": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from automat.a import q\n",
    }.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "m.py").write_text(text)
    (tmp_path / "top.py").write_text("from automat import d\n")
    edges = import_edges(tmp_path)
    assert set(edges) == {("a", "b"), ("b", "c"), ("c", "a"), ("top", "d")}
    assert edges[("b", "c")] == ["b/m.py:2"]
    assert strongly_connected(edges) == [["a", "b", "c"]]

"""What changed between two versions of a workflow: nodes, edges and parameters."""

from __future__ import annotations

from typing import Any

from automat.workflows.schemas import EdgeRef, NodeChange, ParamChange, VersionDiff


def _nodes(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in config.get("nodes", [])}


def _edges(config: dict[str, Any]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((e["from"], e["to"]) for e in config.get("edges", [])))


def _change(before: Any, after: Any) -> ParamChange | None:
    return None if before == after else ParamChange(before=before, after=after)


def diff(old: dict[str, Any], new: dict[str, Any], *, from_version: int, to_version: int) -> VersionDiff:
    """Nodes added and removed (by id), nodes whose step, step version or params changed (each
    changed param with its value before and after; a param left out is null), edges added and
    removed."""
    before, after = _nodes(old), _nodes(new)
    changed = []
    for node_id in [n for n in after if n in before]:
        a, b = before[node_id], after[node_id]
        pa, pb = a.get("params", {}), b.get("params", {})
        params = {
            key: ParamChange(before=pa.get(key), after=pb.get(key))
            for key in sorted(set(pa) | set(pb))
            if pa.get(key) != pb.get(key)
        }
        step = _change(a.get("step"), b.get("step"))
        version = _change(a.get("step_version"), b.get("step_version"))
        if step or version or params:
            changed.append(NodeChange(id=node_id, step=step, step_version=version, params=params))
    old_edges, new_edges = _edges(old), _edges(new)
    return VersionDiff(
        from_version=from_version,
        to_version=to_version,
        nodes_added=[n for i, n in after.items() if i not in before],
        nodes_removed=[n for i, n in before.items() if i not in after],
        nodes_changed=changed,
        edges_added=[EdgeRef(source=s, target=t) for s, t in new_edges if (s, t) not in old_edges],
        edges_removed=[EdgeRef(source=s, target=t) for s, t in old_edges if (s, t) not in new_edges],
    )

"""Checking a workflow before it is stored: every problem, each naming its node or edge.

Rules: node ids are unique; every node names a declared step (and version) that runs on the
workflow's subject; its params pass the step's schema; edges join existing nodes, once each,
and their artifact types fit (the target consumes what the source produces); there are no
cycles; exactly one entry point (a node without incoming edges), which takes what the subject
provides; every node is reachable from an entry point (a cycle apart from the rest is not);
at most ``MAX_NODES`` nodes.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from automat.pipeline.registry import Artifact, StepDefinition, StepRegistry, Subject
from automat.workflows import catalogue
from automat.workflows.schemas import MAX_NODES, Problem, WorkflowConfig

SUBJECT_PROVIDES: dict[Subject, Artifact] = {
    Subject.CAD_FILE: Artifact.STEP_FILE,
    Subject.ORDER_LINE: Artifact.PRODUCT,
    Subject.PRODUCT_IMPORT: Artifact.SPREADSHEET,
}
"""What a workflow's entry node is given: the artifact its subject is."""


def _names(values: list[str]) -> str:
    return ", ".join(sorted(values)) or "nothing"


def _check_nodes(
    config: WorkflowConfig, subject: Subject, registry: StepRegistry, problems: list[Problem]
) -> dict[str, StepDefinition]:
    """Each node's step, for the nodes whose step is known."""
    steps: dict[str, StepDefinition] = {}
    if len(config.nodes) > MAX_NODES:
        problems.append(
            Problem(
                code="too_many_nodes",
                message=f"{len(config.nodes)} nodes; a workflow has at most {MAX_NODES}.",
            )
        )
    if not config.nodes:
        problems.append(Problem(code="empty_workflow", message="A workflow needs at least one node."))
    for node_id, count in Counter(n.id for n in config.nodes).items():
        if count > 1:
            problems.append(
                Problem(
                    code="duplicate_node", node=node_id, message=f"{count} nodes have the id {node_id!r}."
                )
            )
    for node in config.nodes:
        step = registry.get(node.step, node.step_version)
        if step is None:
            known = registry.get(node.step)
            message = (
                f"Step {node.step} has no version {node.step_version} (newest: {known.version})."
                if known is not None
                else f"There is no step {node.step!r}."
            )
            problems.append(Problem(code="unknown_step", node=node.id, message=message))
            continue
        steps.setdefault(node.id, step)
        if subject not in step.handlers:
            problems.append(
                Problem(
                    code="step_not_for_subject",
                    node=node.id,
                    message=f"{step.label} does not run on a {subject.value.replace('_', ' ')} "
                    f"(it runs on: {_names([s.value for s in step.handlers])}).",
                )
            )
        try:
            step.params.model_validate(node.params)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"]) or None
                problems.append(
                    Problem(
                        code="invalid_params",
                        node=node.id,
                        field=where,
                        message=f"{step.label}: {where or 'params'}: {error['msg']}.",
                    )
                )
    return steps


def _check_edges(
    config: WorkflowConfig, steps: dict[str, StepDefinition], problems: list[Problem]
) -> list[tuple[str, str]]:
    """The edges between existing nodes, once each (the graph the remaining rules look at)."""
    ids = {n.id for n in config.nodes}
    seen: set[tuple[str, str]] = set()
    graph: list[tuple[str, str]] = []
    for index, edge in enumerate(config.edges):
        pair = (edge.source, edge.target)
        missing = [n for n in pair if n not in ids]
        if missing:
            problems.append(
                Problem(
                    code="unknown_node",
                    edge=index,
                    message=f"Edge {edge.source} → {edge.target} names no node {_names(missing)}.",
                )
            )
            continue
        if pair in seen:
            problems.append(
                Problem(
                    code="duplicate_edge",
                    edge=index,
                    message=f"Edge {edge.source} → {edge.target} is there twice.",
                )
            )
            continue
        seen.add(pair)
        graph.append(pair)
        source, target = steps.get(edge.source), steps.get(edge.target)
        if source is not None and target is not None and not target.accepts(source.produces):
            problems.append(
                Problem(
                    code="artifact_mismatch",
                    edge=index,
                    message=f"{target.label} takes {_names(list(target.consumes))}, but {source.label} "
                    f"makes {_names(list(source.produces))}.",
                )
            )
    return graph


def _cycle_nodes(ids: list[str], graph: list[tuple[str, str]]) -> set[str]:
    """Nodes on a cycle or downstream of one: what Kahn's algorithm cannot order."""
    incoming = Counter(t for _, t in graph)
    successors: dict[str, list[str]] = defaultdict(list)
    for s, t in graph:
        successors[s].append(t)
    ready = deque(n for n in ids if incoming[n] == 0)
    ordered: set[str] = set()
    while ready:
        node = ready.popleft()
        ordered.add(node)
        for nxt in successors[node]:
            incoming[nxt] -= 1
            if incoming[nxt] == 0:
                ready.append(nxt)
    return set(ids) - ordered


def _on_cycle(candidates: set[str], graph: list[tuple[str, str]]) -> list[str]:
    """Of the nodes Kahn left over, those on a cycle themselves: members of a strongly connected
    component with more than one node, or with an edge to itself (Kosaraju, linear time)."""
    forward: dict[str, list[str]] = defaultdict(list)
    backward: dict[str, list[str]] = defaultdict(list)
    for s, t in graph:
        if s in candidates and t in candidates:
            forward[s].append(t)
            backward[t].append(s)
    finished: list[str] = []
    seen: set[str] = set()
    for root in sorted(candidates):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(forward[root]))]
        while stack:
            node, successors = stack[-1]
            nxt = next((n for n in successors if n not in seen), None)
            if nxt is None:
                finished.append(node)
                stack.pop()
            else:
                seen.add(nxt)
                stack.append((nxt, iter(forward[nxt])))
    found: list[str] = []
    assigned: set[str] = set()
    for root in reversed(finished):
        if root in assigned:
            continue
        component, todo = [], [root]
        assigned.add(root)
        while todo:
            node = todo.pop()
            component.append(node)
            for prev in backward[node]:
                if prev not in assigned:
                    assigned.add(prev)
                    todo.append(prev)
        if len(component) > 1 or root in forward[root]:
            found.extend(component)
    return sorted(found)


def _check_shape(
    config: WorkflowConfig,
    subject: Subject,
    steps: dict[str, StepDefinition],
    graph: list[tuple[str, str]],
    problems: list[Problem],
) -> None:
    ids = list(dict.fromkeys(n.id for n in config.nodes))
    leftover = _cycle_nodes(ids, graph)
    for node in _on_cycle(leftover, graph):
        problems.append(
            Problem(code="cycle", node=node, message=f"Node {node} is on a cycle: it leads back to itself.")
        )
    targets = {t for _, t in graph}
    entries = [n for n in ids if n not in targets]
    if not entries and ids:
        problems.append(
            Problem(code="no_entry_point", message="Every node has a predecessor: nothing can start.")
        )
    for extra in entries[1:]:
        problems.append(
            Problem(
                code="multiple_entry_points",
                node=extra,
                message=f"Node {extra} has no predecessor, as {entries[0]} has: "
                "a workflow starts at one node.",
            )
        )
    for entry in entries[:1]:
        step = steps.get(entry)
        given = SUBJECT_PROVIDES[subject]
        if step is not None and not step.is_entry_only and not step.accepts([given]):
            problems.append(
                Problem(
                    code="entry_mismatch",
                    node=entry,
                    message=f"The workflow starts with {step.label}, which takes "
                    f"{_names(list(step.consumes))}, but a {subject.value.replace('_', ' ')} "
                    f"gives {given.value}.",
                )
            )
    if entries:
        successors: dict[str, list[str]] = defaultdict(list)
        for s, t in graph:
            successors[s].append(t)
        # From every entry: a node behind a second entry is that entry's problem, not its own.
        reached, stack = set(entries), list(entries)
        while stack:
            for nxt in successors[stack.pop()]:
                if nxt not in reached:
                    reached.add(nxt)
                    stack.append(nxt)
        for node in ids:
            if node not in reached and node not in entries:
                problems.append(
                    Problem(
                        code="unreachable",
                        node=node,
                        message=f"Node {node} cannot be reached from the start ({entries[0]}): "
                        "only from nodes that are themselves unreachable.",
                    )
                )


def validate(config: WorkflowConfig, subject: Subject, registry: StepRegistry) -> list[Problem]:
    """Every problem of the workflow (an empty list: it may be stored)."""
    problems: list[Problem] = []
    steps = _check_nodes(config, subject, registry, problems)
    graph = _check_edges(config, steps, problems)
    _check_shape(config, subject, steps, graph, problems)
    return problems


def pinned(config: WorkflowConfig, registry: StepRegistry) -> WorkflowConfig:
    """The config as stored: every node's step version filled in (its newest where left out) and
    its params as given (defaults stay implicit: a node keeps following the output type)."""
    nodes = []
    for node in config.nodes:
        step = registry.get(node.step, node.step_version)
        version = step.version if step is not None else node.step_version
        nodes.append(node.model_copy(update={"step_version": version}))
    return config.model_copy(update={"nodes": nodes})


MEDIA = frozenset({Artifact.IMAGE, Artifact.VIDEO, Artifact.GLB_PRODUCTION, Artifact.BLEND})
"""What a render or export makes: what the registry's steps say they produce, not a list of names."""


@dataclass(frozen=True)
class LineRunProblem:
    """Why order lines cannot run a workflow: ``reason`` for the error's details (the web UI words
    each reason in the user's language), ``text`` for the server's English message."""

    reason: str
    text: str


NO_VERSION = LineRunProblem("no_version", "it has no version")
NO_RENDER = LineRunProblem("no_render", "it has no render or export node")
NO_DELIVER = LineRunProblem(
    "no_deliver", "it has no Deliver node, so nothing it makes would reach the media library"
)


def line_run_problem(config: dict[str, Any], registry: StepRegistry | None = None) -> LineRunProblem | None:
    """Why order lines cannot run this (stored) workflow, or None: a line renders or exports at
    least once (a step that produces media), and publishes what it made."""
    registry = registry or catalogue.steps()
    steps = [n.get("step") for n in config.get("nodes", [])]
    made = (registry.get(str(step)) for step in steps)
    if not any(d is not None and d.produces & MEDIA for d in made):
        return NO_RENDER
    if "deliver" not in steps:
        return NO_DELIVER
    return None

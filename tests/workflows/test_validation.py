"""Validation on save: every rule with a failing example, and all problems reported at once."""

from __future__ import annotations

from typing import Any

import pytest

from automat.pipeline.registry import Subject
from automat.workflows.catalogue import steps
from automat.workflows.schemas import MAX_NODES, Problem, WorkflowConfig
from automat.workflows.validation import pinned, validate


def node(node_id: str, step: str, **params: Any) -> dict[str, Any]:
    return {"id": node_id, "step": step, "params": params}


def edge(a: str, b: str) -> dict[str, str]:
    return {"from": a, "to": b}


def line(*extra_nodes: dict[str, Any], edges: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """check_cad → render (still) → deliver, plus whatever a test adds."""
    return {
        "version": 1,
        "nodes": [
            node("check", "check_cad"),
            node("render", "render_still"),
            node("deliver", "deliver"),
            *extra_nodes,
        ],
        "edges": [edge("check", "render"), edge("render", "deliver"), *(edges or [])],
    }


def problems(config: dict[str, Any], subject: Subject = Subject.ORDER_LINE) -> list[Problem]:
    return validate(WorkflowConfig.model_validate(config), subject, steps())


def codes(found: list[Problem]) -> list[tuple[str, str | int | None]]:
    return [(p.code, p.node if p.node is not None else p.edge) for p in found]


def test_a_valid_line_workflow_has_no_problems() -> None:
    assert problems(line()) == []


def test_fan_out_and_fan_in_are_valid() -> None:
    config = line(
        node("front", "render_still", position="front"),
        node("glb", "export_glb"),
        edges=[
            edge("check", "front"),
            edge("front", "deliver"),
            edge("check", "glb"),
            edge("glb", "deliver"),
        ],
    )
    assert problems(config) == []


def test_unknown_step() -> None:
    assert codes(problems(line(node("x", "make_coffee"), edges=[edge("render", "x")]))) == [
        ("unknown_step", "x")
    ]


def test_unknown_step_version() -> None:
    config = line()
    config["nodes"][1]["step_version"] = 7
    found = problems(config)
    assert codes(found) == [("unknown_step", "render")]
    assert "no version 7" in found[0].message


def test_params_failing_the_steps_schema() -> None:
    config = line()
    config["nodes"][1]["params"] = {"width": 5, "format": "mp4", "knob": 1}
    found = problems(config)
    assert sorted((p.code, p.node, p.field) for p in found) == [
        ("invalid_params", "render", "format"),
        ("invalid_params", "render", "knob"),
        ("invalid_params", "render", "width"),
    ]


def test_a_cycle() -> None:
    config = line(edges=[edge("deliver", "render")])
    found = codes(problems(config))
    assert ("cycle", "render") in found and ("cycle", "deliver") in found
    assert ("cycle", "check") not in found


def test_unreachable_nodes() -> None:
    """Two nodes feeding each other, apart from the entry: on a cycle, and unreachable."""
    config = line(
        node("a", "render_still"), node("b", "render_still"), edges=[edge("a", "b"), edge("b", "a")]
    )
    found = codes(problems(config))
    assert ("unreachable", "a") in found and ("unreachable", "b") in found


def test_an_edge_whose_artifacts_do_not_fit() -> None:
    """A still rendered from a product list; a video fed to a still."""
    config = {
        "version": 1,
        "nodes": [node("import", "parse_excel"), node("render", "render_still")],
        "edges": [edge("import", "render")],
    }
    found = problems(config, Subject.PRODUCT_IMPORT)
    assert ("artifact_mismatch", 0) in codes(found)
    mismatch = next(p for p in found if p.code == "artifact_mismatch")
    assert "Render still takes glb, but Import Excel product list makes products" in mismatch.message


def test_more_than_one_entry_point() -> None:
    config = line(node("solo", "check_cad"), node("r2", "render_still"), edges=[edge("solo", "r2")])
    assert codes(problems(config)) == [("multiple_entry_points", "solo")]


def test_no_entry_point_at_all() -> None:
    config = {
        "version": 1,
        "nodes": [node("a", "render_still"), node("b", "render_still")],
        "edges": [edge("a", "b"), edge("b", "a")],
    }
    found = codes(problems(config))
    assert ("no_entry_point", None) in found and ("cycle", "a") in found


def test_the_entry_must_take_what_the_subject_gives() -> None:
    config = {"version": 1, "nodes": [node("render", "render_still")], "edges": []}
    assert codes(problems(config)) == [("entry_mismatch", "render")]


def test_a_step_that_does_not_run_on_the_subject() -> None:
    config = line(node("meta", "extract_metadata"), edges=[edge("check", "meta")])
    assert codes(problems(config)) == [("step_not_for_subject", "meta")]


def test_more_than_200_nodes() -> None:
    extra = [node(f"r{i}", "render_still") for i in range(MAX_NODES)]
    config = line(*extra, edges=[edge("check", f"r{i}") for i in range(MAX_NODES)])
    assert codes(problems(config)) == [("too_many_nodes", None)]
    assert (
        codes(
            problems(
                line(*extra[: MAX_NODES - 3], edges=[edge("check", f"r{i}") for i in range(MAX_NODES - 3)])
            )
        )
        == []
    )


def test_duplicate_ids_edges_and_edges_to_nowhere() -> None:
    config = line(
        node("render", "render_turntable"), edges=[edge("check", "render"), edge("render", "ghost")]
    )
    found = codes(problems(config))
    assert ("duplicate_node", "render") in found
    assert ("duplicate_edge", 2) in found
    assert ("unknown_node", 3) in found


def test_every_problem_is_reported_not_only_the_first() -> None:
    config = {
        "version": 1,
        "nodes": [
            node("check", "check_cad"),
            node("render", "render_still", width=1),
            node("import", "parse_excel"),
            node("ghost", "no_such_step"),
            node("deliver", "deliver"),
            node("loop", "render_still"),
        ],
        "edges": [
            edge("check", "render"),
            edge("import", "render"),
            edge("render", "deliver"),
            edge("deliver", "loop"),
            edge("loop", "deliver"),
        ],
    }
    found = problems(config)
    assert set(codes(found)) >= {
        ("invalid_params", "render"),
        ("unknown_step", "ghost"),
        ("step_not_for_subject", "import"),
        ("artifact_mismatch", 1),
        ("cycle", "deliver"),
        ("cycle", "loop"),
        ("multiple_entry_points", "import"),
        ("multiple_entry_points", "ghost"),
    }
    assert all(p.node is not None or p.edge is not None for p in found)


def test_saving_pins_each_nodes_step_version() -> None:
    config = WorkflowConfig.model_validate(line())
    stored = pinned(config, steps()).stored()
    assert [n["step_version"] for n in stored["nodes"]] == [1, 1, 1]
    assert stored["edges"][0] == {"from": "check", "to": "render"}


@pytest.mark.parametrize("subject", list(Subject))
def test_cad_processing_shape_only_fits_cad_files(subject: Subject) -> None:
    config = {
        "version": 1,
        "nodes": [node("convert", "occ_glb_export"), node("thumb", "render_thumbnail")],
        "edges": [edge("convert", "thumb")],
    }
    assert (problems(config, subject) == []) is (subject is Subject.CAD_FILE)


def test_an_empty_workflow() -> None:
    assert codes(problems({"version": 1, "nodes": [], "edges": []})) == [("empty_workflow", None)]

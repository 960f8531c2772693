"""The step registry: every ProcessStep declared once by its domain, JSON Schema from its model."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from automat.output_types.settings import RenderSettings
from automat.pipeline.registry import Artifact, DuplicateStep, StepRegistry, Subject, declare
from automat.pipeline.steps import ProcessStep
from automat.worker.celery_app import celery_app
from automat.worker.queues import DECLARED_QUEUES, RENDER_QUEUE
from automat.workflows.catalogue import steps

SRC = Path(__file__).resolve().parents[2] / "src" / "automat"


def test_every_process_step_is_declared() -> None:
    registry = steps()
    missing = [s.value for s in ProcessStep if s.value not in registry]
    assert missing == []
    assert [d.name for d in registry.latest()] == list(ProcessStep)


def test_each_step_is_declared_once_in_its_domains_steps_module() -> None:
    """``declare(ProcessStep.X`` appears once in the whole source, and only in ``<domain>/steps.py``."""
    where: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "declare" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Attribute):
                    where.setdefault(first.attr, []).append(str(path.relative_to(SRC)))
    assert sorted(where) == sorted(s.name for s in ProcessStep)
    for name, files in where.items():
        assert len(files) == 1, (name, files)
        assert files[0].endswith("/steps.py") and not files[0].startswith(("pipeline/", "workflows/")), files


def test_the_registry_imports_no_domain() -> None:
    tree = ast.parse((SRC / "pipeline" / "registry.py").read_text())
    imported = {
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("automat")
    }
    assert imported <= {"automat.pipeline.steps"}


def test_a_steps_queue_is_the_queue_its_tasks_declare() -> None:
    for step in steps().latest():
        for task in step.handlers.values():
            assert DECLARED_QUEUES[task] == step.queue, (step.name, task)
    on_render_queue = {s.name for s in steps().latest() if s.queue == RENDER_QUEUE}
    assert on_render_queue == {
        ProcessStep.RENDER_THUMBNAIL,
        ProcessStep.RENDER_STILL,
        ProcessStep.RENDER_TURNTABLE,
        ProcessStep.EXPORT_GLB,
        ProcessStep.EXPORT_BLEND,
    }


def test_every_task_declares_its_queue() -> None:
    import automat.worker_app  # noqa: F401  (every task module, as a worker loads them)

    ours = {name for name in celery_app.tasks if name.startswith("automat.")}
    assert ours and ours - DECLARED_QUEUES.keys() == set()


def test_handlers_are_real_celery_tasks() -> None:
    import automat.worker_app  # noqa: F401  (every task module, as a worker loads them)

    for step in steps().latest():
        for subject, task in step.handlers.items():
            assert task in celery_app.tasks, (step.name, subject, task)
    assert steps().get("upload_step") is not None and not steps().get("upload_step").handlers  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("step", "consumes", "produces"),
    [
        ("occ_glb_export", {"step_file"}, {"glb"}),
        ("render_still", {"glb"}, {"image"}),
        ("render_turntable", {"glb"}, {"video"}),
        ("export_glb", {"glb"}, {"glb_production"}),
        ("deliver", {"any"}, {"media_asset"}),
        ("parse_excel", {"spreadsheet"}, {"products"}),
    ],
)
def test_artifact_types(step: str, consumes: set[str], produces: set[str]) -> None:
    definition = steps().get(step)
    assert definition is not None
    assert {a.value for a in definition.consumes} == consumes
    assert {a.value for a in definition.produces} == produces


def test_fit_follows_the_artifacts() -> None:
    registry = steps()
    still, excel, deliver = registry.get("render_still"), registry.get("parse_excel"), registry.get("deliver")
    assert still and excel and deliver
    assert not still.accepts(excel.produces)
    assert still.accepts(registry.get("check_cad").produces)  # type: ignore[union-attr]
    assert deliver.accepts(still.produces) and deliver.accepts(excel.produces)


def _round_trip(schema: dict[str, Any], model: type[Any], value: dict[str, Any]) -> None:
    assert schema == model.model_json_schema()
    model.model_validate(value)


def test_json_schema_round_trip_from_the_models() -> None:
    """Each step's schema is generated from its model; the model's defaults validate, and the
    schema's limits are the model's: the maximum passes, one more fails."""
    for step in steps().latest():
        schema = step.params_schema()
        assert schema == step.params.model_json_schema()
        assert schema.get("additionalProperties") is False, step.name
        defaults = step.params()
        assert defaults.model_dump(exclude_none=True) == {}  # unset params follow the settings
        for field, spec in schema.get("properties", {}).items():
            assert spec.get("description"), (step.name, field)
            ranges = [o for o in spec.get("anyOf", [spec]) if "maximum" in o]
            for bound in ranges:
                step.params.model_validate({field: bound["maximum"]})
                with pytest.raises(ValidationError):
                    step.params.model_validate({field: bound["maximum"] + 1})
        with pytest.raises(ValidationError):
            step.params.model_validate({"no_such_knob": 1})


def _candidates(spec: dict[str, Any]) -> list[Any]:
    """Values around every limit, enum and type the property's schema names."""
    values: list[Any] = [None, True, False, "bogus", "", 1.5, 0, -1, 10**6, [], {}]
    for option in spec.get("anyOf", [spec]):
        if "minimum" in option:
            values += [option["minimum"], option["minimum"] - 1, option["minimum"] - 0.5]
        if "maximum" in option:
            values += [option["maximum"], option["maximum"] + 1, option["maximum"] + 0.5]
        values += option.get("enum", [])
        if "maxLength" in option:
            values += ["x" * option["maxLength"], "x" * (option["maxLength"] + 1)]
    return values


def test_the_served_schema_and_the_model_agree_on_every_value() -> None:
    """Round trip: whatever the JSON Schema (as a client's form sees it) accepts, the model
    accepts, and the other way round, for values at and beyond every limit, enum and type.
    (The models are strict: ``true`` is no number and ``0`` no boolean, as in JSON Schema; the
    one difference left is an integral float such as ``2.0`` for an integer, which the model
    refuses and no form sends.)"""
    import json

    import jsonschema_rs

    disagreements = []
    for step in steps().latest():
        schema = json.loads(json.dumps(step.params_schema()))  # as served
        for field, spec in schema.get("properties", {}).items():
            for value in _candidates(spec):
                body = json.loads(json.dumps({field: value}))
                try:
                    step.params.model_validate(body)
                    model_ok = True
                except ValidationError:
                    model_ok = False
                if jsonschema_rs.is_valid(schema, body) != model_ok:
                    disagreements.append((step.name.value, field, value))
        assert jsonschema_rs.is_valid(schema, {}) and not jsonschema_rs.is_valid(schema, {"no_such_knob": 1})
    assert disagreements == []


def test_render_params_are_the_output_types_settings() -> None:
    still = steps().get("render_still")
    assert still is not None
    props = still.params_schema()["properties"]
    assert set(props) <= set(RenderSettings.model_fields)
    assert props["width"]["anyOf"][0]["maximum"] == RenderSettings.model_fields["width"].metadata[1].le
    assert props["format"]["anyOf"][0]["enum"] == ["png", "jpeg", "webp"]
    turntable = steps().get("render_turntable")
    assert turntable is not None
    assert turntable.params_schema()["properties"]["format"]["anyOf"][0]["enum"] == ["mp4", "webm"]
    assert {"frames", "fps"} <= set(turntable.params_schema()["properties"])
    assert "frames" not in props
    assert steps().get("export_glb").params_schema().get("properties", {}) == {}  # type: ignore[union-attr]


def test_conversion_params_are_the_tenant_settings_limits() -> None:
    convert = steps().get("occ_glb_export")
    assert convert is not None
    props = convert.params_schema()["properties"]
    assert props["conversion_timeout_s"]["anyOf"][0] == {"type": "integer", "minimum": 5, "maximum": 7200}


def test_a_second_declaration_of_a_step_version_is_refused() -> None:
    registry = StepRegistry()
    kwargs: dict[str, Any] = {
        "label": "x", "help": "x", "queue": "q", "consumes": [Artifact.GLB], "produces": [Artifact.IMAGE],
        "registry": registry,
    }  # fmt: skip
    declare(ProcessStep.RENDER_STILL, **kwargs, handlers={Subject.ORDER_LINE: "a"})
    with pytest.raises(DuplicateStep):
        declare(ProcessStep.RENDER_STILL, **kwargs, handlers={Subject.ORDER_LINE: "b"})
    declare(ProcessStep.RENDER_STILL, **kwargs, version=2)
    assert registry.get("render_still").version == 2  # type: ignore[union-attr]
    assert registry.get("render_still", 1).handlers == {Subject.ORDER_LINE: "a"}  # type: ignore[union-attr]


def test_a_worker_loads_every_declaration_at_start() -> None:
    """In a fresh process (nothing imported the declarations yet) the worker's start signal does."""
    import subprocess
    import sys

    code = (
        "from automat.pipeline.registry import REGISTRY\n"
        "import automat.worker_app\n"
        "from celery.signals import worker_init\n"
        "before = len(REGISTRY.latest())\n"
        "worker_init.send(sender=None)\n"
        "print(before, len(REGISTRY.latest()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["0", str(len(ProcessStep))]

from __future__ import annotations

from automat.pipeline.steps import ProcessStep


def test_every_step_has_prefix_label_and_queue() -> None:
    for step in ProcessStep:
        assert step.prefix == f"[{step.value.upper()}]"
        assert step.label
        assert step.queue in {"step_processing", "thumbnail_rendering"}


def test_render_steps_go_to_the_render_queue() -> None:
    assert ProcessStep.RENDER_STILL.queue == "thumbnail_rendering"
    assert ProcessStep.EXTRACT_METADATA.queue == "step_processing"
    assert ProcessStep.EXTRACT_METADATA.prefix == "[EXTRACT_METADATA]"

from __future__ import annotations

from automat.pipeline.steps import ProcessStep


def test_every_step_has_prefix_and_label() -> None:
    for step in ProcessStep:
        assert step.prefix == f"[{step.value.upper()}]"
        assert step.label
    assert ProcessStep.EXTRACT_METADATA.prefix == "[EXTRACT_METADATA]"

from __future__ import annotations

import pytest

from automat.pipeline.job_document import IllegalJobTransition, JobState, RenderJobDocument, StepStatus
from automat.pipeline.steps import ProcessStep


def _running() -> RenderJobDocument:
    doc = RenderJobDocument(job_id="line-1")
    doc.set_state(JobState.QUEUED)
    doc.set_state(JobState.RUNNING)
    return doc


def test_a_job_runs_its_steps_and_completes() -> None:
    doc = _running()
    doc.begin_step(ProcessStep.RENDER_STILL, engine="cycles", device="CPU")
    doc.finish_step(ProcessStep.RENDER_STILL, outputs={"png": "still.png"}, gpu_info={"fallback": True})
    doc.set_state(JobState.COMPLETED)
    step = doc.step(ProcessStep.RENDER_STILL)
    assert step is not None
    assert step.status is StepStatus.COMPLETED
    assert step.duration_s is not None and step.duration_s >= 0
    assert step.outputs == {"png": "still.png"}
    assert [(h.from_state, h.to_state) for h in doc.history] == [
        (JobState.PENDING, JobState.QUEUED),
        (JobState.QUEUED, JobState.RUNNING),
        (JobState.RUNNING, JobState.COMPLETED),
    ]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (JobState.COMPLETED, JobState.RUNNING),
        (JobState.COMPLETED, JobState.QUEUED),
        (JobState.COMPLETED, JobState.FAILED),
        (JobState.CANCELLED, JobState.RUNNING),
        (JobState.FAILED, JobState.COMPLETED),
        (JobState.PENDING, JobState.COMPLETED),
    ],
)
def test_illegal_transitions_are_refused(start: JobState, target: JobState) -> None:
    doc = RenderJobDocument(job_id="x", state=start)
    with pytest.raises(IllegalJobTransition) as refused:
        doc.set_state(target)
    assert refused.value.status_code == 409
    assert refused.value.code == "illegal_transition"
    assert doc.state is start


def test_failed_and_cancelled_jobs_can_be_queued_again() -> None:
    for end in (JobState.FAILED, JobState.CANCELLED):
        doc = _running()
        doc.set_state(end)
        doc.set_state(JobState.QUEUED, reason="retry")
        assert doc.state is JobState.QUEUED
        assert doc.history[-1].reason == "retry"


def test_a_failed_step_records_the_error_and_may_begin_again() -> None:
    doc = _running()
    doc.begin_step(ProcessStep.OCC_GLB_EXPORT)
    doc.fail_step(ProcessStep.OCC_GLB_EXPORT, "conversion timed out after 300 s")
    assert doc.error == "conversion timed out after 300 s"
    assert doc.errors[-1].step is ProcessStep.OCC_GLB_EXPORT
    again = doc.begin_step(ProcessStep.OCC_GLB_EXPORT)
    assert again.attempts == 2
    assert again.error is None


def test_a_completed_step_cannot_begin_again_or_be_skipped() -> None:
    doc = _running()
    doc.begin_step(ProcessStep.EXPORT_GLB)
    doc.finish_step(ProcessStep.EXPORT_GLB)
    with pytest.raises(IllegalJobTransition):
        doc.begin_step(ProcessStep.EXPORT_GLB)
    with pytest.raises(IllegalJobTransition):
        doc.skip_step(ProcessStep.EXPORT_GLB, "not needed")


def test_finishing_a_step_that_is_not_running_is_refused() -> None:
    doc = _running()
    doc.skip_step(ProcessStep.EXPORT_BLEND, "not ordered")
    with pytest.raises(IllegalJobTransition):
        doc.finish_step(ProcessStep.EXPORT_BLEND)
    assert doc.step(ProcessStep.EXPORT_BLEND).status is StepStatus.SKIPPED  # type: ignore[union-attr]


def test_round_trips_through_json_as_stored_in_jsonb() -> None:
    doc = _running()
    doc.celery_task_id = "abc"
    doc.pid = 4242
    doc.begin_step(ProcessStep.RENDER_TURNTABLE)
    data = doc.to_json()
    assert data["state"] == "running"
    assert data["steps"][0]["name"] == "render_turntable"
    again = RenderJobDocument.from_json(data)
    assert again == doc


def test_unknown_fields_in_stored_documents_are_refused() -> None:
    with pytest.raises(ValueError, match="extra"):
        RenderJobDocument.from_json({"job_id": "x", "surprise": 1})


def test_warnings_belong_to_their_step_and_a_step_run_again_replaces_its_own() -> None:
    doc = RenderJobDocument(job_id="cad:1")
    note = {"code": "utf8_bom_stripped", "severity": "info", "message": "BOM removed"}
    doc.set_step_warnings(ProcessStep.OCC_GLB_EXPORT, [note])
    doc.set_step_warnings(
        ProcessStep.EXTRACT_METADATA,
        [{"code": "malformed_records", "message": "1 record", "details": {"count": 1}}],
    )
    again = RenderJobDocument.from_json(doc.to_json())
    assert [(w.code, w.severity, w.step) for w in again.warnings] == [
        ("utf8_bom_stripped", "info", ProcessStep.OCC_GLB_EXPORT),
        ("malformed_records", "warning", ProcessStep.EXTRACT_METADATA),
    ]
    again.set_step_warnings(ProcessStep.EXTRACT_METADATA, [])
    assert [w.code for w in again.warnings] == ["utf8_bom_stripped"]

"""The catalogue of admin actions: what each touches, where it runs, what its expected duration is
measured from. The routes start them (``endpoints.py``), the worker runs them (``tasks.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from automat.admin_actions.dispatch import RENDER_JOB_TASK, STEP_JOB_TASK
from automat.pipeline.steps import ProcessStep


class ActionName(StrEnum):
    REGENERATE_THUMBNAILS = "regenerate_thumbnails"
    PROCESS_UNPROCESSED_CAD_FILES = "process_unprocessed_cad_files"
    REQUEUE_FAILED_LINES = "requeue_failed_lines"
    RECOMPUTE_MEDIA_SEARCH_COLUMNS = "recompute_media_search_columns"


@dataclass(frozen=True)
class Action:
    name: ActionName
    path: str  # under /api/admin/actions
    task: str
    unit: str  # what an item is: "thumbnail", "file", "line", "asset"
    # The pipeline steps whose measured durations (summed medians) make one item's expected time;
    # none: measured from this action's own past jobs.
    steps: tuple[ProcessStep, ...]
    default_item_s: float  # before anything was measured
    # Items are ids fixed at the start; a batched action walks its table in batches instead.
    batched: bool = False

    @property
    def help_key(self) -> str:
        return f"action.{self.name.value}"

    @property
    def route(self) -> str:
        return f"POST /api/admin/actions/{self.path}"


ACTIONS: dict[ActionName, Action] = {
    a.name: a
    for a in (
        Action(
            ActionName.REGENERATE_THUMBNAILS, "regenerate-thumbnails", RENDER_JOB_TASK, "thumbnail",
            (ProcessStep.RENDER_THUMBNAIL,), 2.0,
        ),
        Action(
            ActionName.PROCESS_UNPROCESSED_CAD_FILES, "process-unprocessed-cad-files", STEP_JOB_TASK, "file",
            (ProcessStep.OCC_GLB_EXPORT, ProcessStep.EXTRACT_METADATA, ProcessStep.AUTO_MATERIALS,
             ProcessStep.RENDER_THUMBNAIL),
            5.0,
        ),
        Action(
            ActionName.REQUEUE_FAILED_LINES, "requeue-failed-lines", STEP_JOB_TASK, "line",
            (ProcessStep.RENDER_STILL,), 10.0,
        ),
        Action(
            ActionName.RECOMPUTE_MEDIA_SEARCH_COLUMNS, "recompute-media-search-columns", STEP_JOB_TASK,
            "asset", (), 0.002, batched=True,
        ),
    )
}  # fmt: skip

# A file queued for processing this long ago with no step started is taken as lost (its message
# went with a broker or worker that died): "process unprocessed CAD files" queues it again.
STALE_QUEUED_S = 30 * 60
MEDIA_BATCH = 500
MEASURED_SAMPLES = 20  # the last N measured durations whose median is an item's expected time

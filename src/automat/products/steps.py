"""The product import step of the step registry (its task is ``products/tasks.parse_excel``)."""

from __future__ import annotations

from automat.pipeline import executor
from automat.pipeline.registry import Artifact, Subject, declare
from automat.pipeline.steps import ProcessStep
from automat.products import runs
from automat.products.service import PARSE_EXCEL_TASK
from automat.worker.queues import STEP_QUEUE

PARSE_EXCEL = declare(
    ProcessStep.PARSE_EXCEL,
    label=ProcessStep.PARSE_EXCEL.label,
    help="Reads the first sheet of an uploaded Excel product list in a capped child process, finds "
    "the header row, and creates or updates products by PIM id with a log of every row.",
    queue=STEP_QUEUE,
    consumes=(Artifact.SPREADSHEET,),
    produces=(Artifact.PRODUCTS,),
    handlers={Subject.PRODUCT_IMPORT: PARSE_EXCEL_TASK},
)

executor.register_subject(Subject.PRODUCT_IMPORT, runs.HOOKS)

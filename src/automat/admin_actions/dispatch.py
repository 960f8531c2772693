"""The names (with their queues) of the admin job tasks. A job that renders runs on the render
queue, in the worker's render host; the others on the step queue. The API sends them by name."""

from __future__ import annotations

from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE, declare_task

RENDER_JOB_TASK = declare_task("automat.admin_actions.tasks.run_render_job", queue=RENDER_QUEUE)
STEP_JOB_TASK = declare_task("automat.admin_actions.tasks.run_step_job", queue=STEP_QUEUE)

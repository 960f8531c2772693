"""The names (with their queues) of a CAD file's processing tasks: the handlers of the CAD
steps (``cad/steps.py``). The executor sends them by name, so the API that starts a run imports
none of the task modules (the conversion, the render host)."""

from __future__ import annotations

from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE, declare_task

OCC_GLB_EXPORT_TASK = declare_task("automat.cad.tasks.occ_glb_export", queue=STEP_QUEUE)
EXTRACT_METADATA_TASK = declare_task("automat.cad.tasks.extract_metadata", queue=STEP_QUEUE)
AUTO_MATERIALS_TASK = declare_task("automat.cad.tasks.auto_materials", queue=STEP_QUEUE)
THUMBNAIL_TASK = declare_task("automat.cad.thumbnail.render_cad_thumbnail", queue=RENDER_QUEUE)
# Not a step: after "assign material", the parts' materials and the thumbnail of a ready file again,
# from the GLB it has (no conversion).
REMATERIAL_THUMBNAIL_TASK = declare_task("automat.cad.thumbnail.rematerial_thumbnail", queue=RENDER_QUEUE)

"""A CAD file's processing as one Celery chain, and the names (with their queues) of its tasks.

Built by name, so the API that sends it imports none of the task modules (the conversion, the
render host): the names' declarations route each message to its queue.
"""

from __future__ import annotations

import uuid

from celery import chain

from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE, declare_task

OCC_GLB_EXPORT_TASK = declare_task("automat.cad.tasks.occ_glb_export", queue=STEP_QUEUE)
EXTRACT_METADATA_TASK = declare_task("automat.cad.tasks.extract_metadata", queue=STEP_QUEUE)
AUTO_MATERIALS_TASK = declare_task("automat.cad.tasks.auto_materials", queue=STEP_QUEUE)
THUMBNAIL_TASK = declare_task("automat.cad.thumbnail.render_cad_thumbnail", queue=RENDER_QUEUE)


def processing_canvas(tenant_id: uuid.UUID, cad_file_id: uuid.UUID) -> chain:
    """occ_glb_export → extract_metadata → auto_materials, then the thumbnail on the render queue."""
    from automat.worker.celery_app import celery_app

    kwargs = {"tenant_id": str(tenant_id), "cad_file_id": str(cad_file_id)}
    return chain(
        *(
            celery_app.signature(name, kwargs=kwargs, immutable=True)
            for name in (OCC_GLB_EXPORT_TASK, EXTRACT_METADATA_TASK, AUTO_MATERIALS_TASK, THUMBNAIL_TASK)
        )
    )

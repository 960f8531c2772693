"""The order line steps of the step registry: check the CAD file, render or export, deliver; and
the thumbnail, which runs on a CAD file (``cad/thumbnail.py``) or an order line.

Declared here once (``automat.workflows.catalogue`` imports this module). Today the line's chain
is built in ``dispatch.py`` and rendered by ``tasks.render_order_line``. Render parameters are
optional overrides of the output type's render settings (``output_types/step_params.py``);
exports have none.
"""

from __future__ import annotations

from automat.cad.dispatch import THUMBNAIL_TASK
from automat.orders import dry_run, runtime
from automat.orders.dispatch import CHECK_CAD_TASK, DELIVER_TASK, RENDER_TASK
from automat.output_types.step_params import ImageParams, ThumbnailParams, TurntableParams
from automat.pipeline import executor
from automat.pipeline.registry import Artifact, Subject, declare
from automat.pipeline.steps import ProcessStep
from automat.worker.queues import RENDER_QUEUE, STEP_QUEUE

CHECK_CAD = declare(
    ProcessStep.CHECK_CAD,
    label=ProcessStep.CHECK_CAD.label,
    help="The line's product has a ready CAD file: waits while it is still being converted (up "
    "to two hours), fails the line when there is none or it failed.",
    queue=STEP_QUEUE,
    consumes=(Artifact.PRODUCT,),
    produces=(Artifact.GLB,),
    handlers={Subject.ORDER_LINE: CHECK_CAD_TASK},
)

RENDER_THUMBNAIL = declare(
    ProcessStep.RENDER_THUMBNAIL,
    label=ProcessStep.RENDER_THUMBNAIL.label,
    help="A small transparent picture with the materials, in the built-in studio: a CAD file's "
    "preview, or an order line's thumbnail with its output type's settings.",
    queue=RENDER_QUEUE,
    params=ThumbnailParams,
    consumes=(Artifact.GLB,),
    produces=(Artifact.IMAGE,),
    handlers={
        Subject.CAD_FILE: THUMBNAIL_TASK,
        Subject.ORDER_LINE: RENDER_TASK,
    },
)

RENDER_STILL = declare(
    ProcessStep.RENDER_STILL,
    label=ProcessStep.RENDER_STILL.label,
    help="A picture of the product from one camera position, in the output type's render "
    "template or the built-in studio, with the product's materials.",
    queue=RENDER_QUEUE,
    params=ImageParams,
    consumes=(Artifact.GLB,),
    produces=(Artifact.IMAGE,),
    handlers={Subject.ORDER_LINE: RENDER_TASK},
)

RENDER_TURNTABLE = declare(
    ProcessStep.RENDER_TURNTABLE,
    label=ProcessStep.RENDER_TURNTABLE.label,
    help="A video of the product turning once around its vertical axis, with a poster frame.",
    queue=RENDER_QUEUE,
    params=TurntableParams,
    consumes=(Artifact.GLB,),
    produces=(Artifact.VIDEO,),
    handlers={Subject.ORDER_LINE: RENDER_TASK},
)

EXPORT_GLB = declare(
    ProcessStep.EXPORT_GLB,
    label=ProcessStep.EXPORT_GLB.label,
    help="The production GLB with the product's materials applied, for web viewers and AR.",
    queue=RENDER_QUEUE,
    consumes=(Artifact.GLB,),
    produces=(Artifact.GLB_PRODUCTION,),
    handlers={Subject.ORDER_LINE: RENDER_TASK},
)

EXPORT_BLEND = declare(
    ProcessStep.EXPORT_BLEND,
    label=ProcessStep.EXPORT_BLEND.label,
    help="A .blend of the product with its materials, everything packed into the one file.",
    queue=RENDER_QUEUE,
    consumes=(Artifact.GLB,),
    produces=(Artifact.BLEND,),
    handlers={Subject.ORDER_LINE: RENDER_TASK},
)

DELIVER = declare(
    ProcessStep.DELIVER,
    label=ProcessStep.DELIVER.label,
    help="Publishes what the previous step made as media assets of the product, in the media "
    "library and on the order.",
    queue=STEP_QUEUE,
    consumes=(Artifact.ANY,),
    produces=(Artifact.MEDIA_ASSET,),
    handlers={Subject.ORDER_LINE: DELIVER_TASK},
)

executor.register_subject(Subject.ORDER_LINE, runtime.HOOKS)
dry_run.register()

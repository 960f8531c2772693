"""The CAD steps of the step registry: upload, conversion, metadata, materials.

Declared here once (``automat.workflows.catalogue`` imports this module); the tasks that run
them are in ``cad/tasks.py``. The conversion's parameters are optional overrides of the tenant
settings it reads today, with their limits and descriptions. The thumbnail step (its CAD task is
``cad/thumbnail.py``) is declared with the order line steps: it renders an order line's
thumbnail too, and orders depend on cad, not the other way round.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from automat.cad import runs
from automat.cad.dispatch import AUTO_MATERIALS_TASK, EXTRACT_METADATA_TASK, OCC_GLB_EXPORT_TASK
from automat.pipeline import executor
from automat.pipeline.registry import Artifact, Subject, declare
from automat.pipeline.steps import ProcessStep
from automat.settings.registry import SETTINGS
from automat.worker.queues import STEP_QUEUE


def _setting_overrides(name: str, doc: str, keys: tuple[str, ...]) -> type[BaseModel]:
    """A parameter model of optional overrides of tenant settings (null: the tenant's setting)."""
    fields: dict[str, Any] = {}
    for key in keys:
        setting = SETTINGS[key]
        fields[key] = (
            setting.type | None,
            Field(
                default=None,
                ge=setting.minimum,
                le=setting.maximum,
                description=f"{setting.description} (null: the tenant's setting, default {setting.default})",
            ),
        )
    model: type[BaseModel] = create_model(
        name, __config__=ConfigDict(extra="forbid", strict=True), __doc__=doc, **fields
    )
    return model


ConversionParams = _setting_overrides(
    "ConversionParams",
    "STEP → GLB in the sandbox: tessellation and the sandbox's limits.",
    (
        "gltf_preview_linear_deflection",
        "gltf_production_linear_deflection",
        "conversion_timeout_s",
        "conversion_memory_mb",
    ),
)

UPLOAD_STEP = declare(
    ProcessStep.UPLOAD_STEP,
    label=ProcessStep.UPLOAD_STEP.label,
    help="A STEP file uploaded by a person: streamed with a size limit, recognised by its content, "
    "stored under a key of the server's choice. It happens in the API, not on a worker.",
    queue=STEP_QUEUE,
    consumes=(),
    produces=(Artifact.STEP_FILE,),
)

OCC_GLB_EXPORT = declare(
    ProcessStep.OCC_GLB_EXPORT,
    label=ProcessStep.OCC_GLB_EXPORT.label,
    help="Converts the STEP file with OpenCASCADE in a capped sandbox into a viewer GLB and a "
    "finer production GLB; parts the conversion loses become warnings.",
    queue=STEP_QUEUE,
    params=ConversionParams,
    consumes=(Artifact.STEP_FILE,),
    produces=(Artifact.GLB,),
    handlers={Subject.CAD_FILE: OCC_GLB_EXPORT_TASK},
)

EXTRACT_METADATA = declare(
    ProcessStep.EXTRACT_METADATA,
    label=ProcessStep.EXTRACT_METADATA.label,
    help="Reads parts, sizes and the assembly tree from the converted GLB and the STEP text, and "
    "checks the result (broken records, parts far away, parts without triangles).",
    queue=STEP_QUEUE,
    consumes=(Artifact.GLB,),
    produces=(Artifact.GLB,),
    handlers={Subject.CAD_FILE: EXTRACT_METADATA_TASK},
)

AUTO_MATERIALS = declare(
    ProcessStep.AUTO_MATERIALS,
    label=ProcessStep.AUTO_MATERIALS.label,
    help="Gives every part a material from the tenant's aliases (exact names, then patterns); "
    "parts without a match get the magenta failure material. Then the file is ready and "
    "products waiting for it are linked.",
    queue=STEP_QUEUE,
    consumes=(Artifact.GLB,),
    produces=(Artifact.GLB,),
    handlers={Subject.CAD_FILE: AUTO_MATERIALS_TASK},
)

executor.register_subject(Subject.CAD_FILE, runs.HOOKS)

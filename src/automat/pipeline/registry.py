"""The step registry: what each ``ProcessStep`` is as a workflow node.

Every step is declared once, by the domain that owns it (``<domain>/steps.py`` calls
``declare``): its version, label and help, the queue its task runs on, a Pydantic model of its
parameters (defaults, limits, descriptions; the JSON Schema the API serves is generated from it),
the artifact types it consumes and produces, and the Celery task that runs it for each kind of
subject (a CAD file, an order line, a product import). ``automat.workflows.catalogue`` imports
the declarations; this module imports no domain.

An edge ``a → b`` of a workflow fits when ``b`` consumes one of the artifacts ``a`` produces, or
consumes ``any``. A step that consumes nothing takes the workflow's subject and can only be an
entry point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model
from pydantic.fields import FieldInfo

from automat.pipeline.steps import ProcessStep


class Artifact(StrEnum):
    """What flows along a workflow's edges."""

    UPLOAD = "upload"  # a file a person uploaded (the workflow's subject)
    STEP_FILE = "step_file"  # a stored STEP file
    SPREADSHEET = "spreadsheet"  # a stored Excel product list
    PRODUCTS = "products"  # the products an import created or updated
    PRODUCT = "product"  # an order line's product (the subject of an order line's workflow)
    GLB = "glb"  # a CAD file's converted GLB (with parts, metadata, materials as far as known)
    GLB_PRODUCTION = "glb_production"  # an exported production GLB with materials
    BLEND = "blend"  # a packed .blend
    IMAGE = "image"
    VIDEO = "video"
    MEDIA_ASSET = "media_asset"  # a delivered media library entry
    ANY = "any"  # only in ``consumes``: takes whatever its predecessor produced


class Subject(StrEnum):
    """What a workflow runs on (the ``subject`` of ``dispatch_workflow``)."""

    CAD_FILE = "cad_file"
    ORDER_LINE = "order_line"
    PRODUCT_IMPORT = "product_import"


class NoParams(BaseModel):
    """A step without parameters."""

    model_config = ConfigDict(extra="forbid", strict=True)


@dataclass(frozen=True)
class StepDefinition:
    name: ProcessStep
    version: int
    label: str
    help: str
    queue: str
    params: type[BaseModel]
    consumes: frozenset[Artifact]
    produces: frozenset[Artifact]
    handlers: Mapping[Subject, str] = field(default_factory=dict)  # subject -> Celery task name

    def accepts(self, produced: Iterable[Artifact]) -> bool:
        """Whether this step can take the output of a step that produces ``produced``."""
        return Artifact.ANY in self.consumes or bool(self.consumes & set(produced))

    @property
    def is_entry_only(self) -> bool:
        return not self.consumes

    def params_schema(self) -> dict[str, Any]:
        return self.params.model_json_schema()


class DuplicateStep(RuntimeError):
    """A step version is declared twice (two modules claim the same step)."""


class StepRegistry:
    def __init__(self) -> None:
        self._steps: dict[tuple[str, int], StepDefinition] = {}

    def add(self, definition: StepDefinition) -> StepDefinition:
        key = (definition.name.value, definition.version)
        known = self._steps.get(key)
        if known is not None and known != definition:
            raise DuplicateStep(f"{definition.name.value} v{definition.version} is declared twice")
        self._steps[key] = definition
        return definition

    def get(self, name: str, version: int | None = None) -> StepDefinition | None:
        """A step by name and version (None: its newest version)."""
        if version is not None:
            return self._steps.get((name, version))
        versions = [d for (n, _), d in self._steps.items() if n == name]
        return max(versions, key=lambda d: d.version) if versions else None

    def latest(self) -> list[StepDefinition]:
        """The newest version of every declared step, in ``ProcessStep`` order."""
        order = {step.value: i for i, step in enumerate(ProcessStep)}
        newest = {d.name.value: d for d in sorted(self._steps.values(), key=lambda d: d.version)}
        return sorted(newest.values(), key=lambda d: order[d.name.value])

    def __contains__(self, name: object) -> bool:
        return any(n == name for n, _ in self._steps)


REGISTRY = StepRegistry()


def declare(
    name: ProcessStep,
    *,
    label: str,
    help: str,
    queue: str,
    consumes: Iterable[Artifact],
    produces: Iterable[Artifact],
    params: type[BaseModel] = NoParams,
    handlers: Mapping[Subject, str] | None = None,
    version: int = 1,
    registry: StepRegistry = REGISTRY,
) -> StepDefinition:
    """Register a step (its owning domain calls this once, in ``<domain>/steps.py``)."""
    return registry.add(
        StepDefinition(
            name=name,
            version=version,
            label=label,
            help=help,
            queue=queue,
            params=params,
            consumes=frozenset(consumes),
            produces=frozenset(produces),
            handlers=dict(handlers or {}),
        )
    )


def overrides_of(
    source: type[BaseModel],
    fields: Iterable[str],
    *,
    name: str,
    doc: str,
    unset: str,
    replace: Mapping[str, tuple[Any, FieldInfo]] | None = None,
    descriptions: Mapping[str, str] | None = None,
) -> type[BaseModel]:
    """A parameter model whose fields are optional overrides of ``source``'s fields: the same
    type, limits and description, default ``None`` (``unset`` says what None means).

    So a step's parameters stay the settings the code already honours (an output type's render
    settings, a tenant setting) instead of a second copy of their limits. ``replace`` gives a
    field a narrower type (e.g. the formats of one kind); ``descriptions`` words a field for the
    person who sets it where the source's own text does not.
    """
    replace, descriptions = replace or {}, descriptions or {}
    defs: dict[str, Any] = {}
    for key in fields:
        if key in replace:
            annotation, info = replace[key]
        else:
            original = source.model_fields[key]
            annotation, info = original.annotation, original
        described = descriptions.get(key) or info.description or key
        copied = FieldInfo.merge_field_infos(info, default=None, description=f"{described} (null: {unset})")
        defs[key] = (annotation | None, copied)
    model: type[BaseModel] = create_model(
        name, __config__=ConfigDict(extra="forbid", strict=True), __doc__=doc, **defs
    )
    return model

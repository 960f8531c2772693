"""API shapes of workflows: the stored config, what is read and written, problems, diffs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from automat.kit.pagination import Page
from automat.pipeline.registry import Subject

MAX_NODES = 200
"""Most nodes a workflow may have (more is a validation problem, reported with the others)."""
HARD_LIMIT = 2_000
"""Most nodes or edges a request may carry at all (refused at the schema, before validation)."""

NodeId = str


class WorkflowNode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: NodeId = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    step: str = Field(min_length=1, max_length=64, description="a ProcessStep name")
    step_version: int | None = Field(
        default=None,
        ge=1,
        le=10_000,
        description="the step's version (left out: its newest, filled in on save)",
    )
    params: dict[str, Any] = Field(default_factory=dict, description="checked against the step's schema")


class WorkflowEdge(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: NodeId = Field(alias="from", min_length=1, max_length=64)
    target: NodeId = Field(alias="to", min_length=1, max_length=64)


class WorkflowConfig(BaseModel):
    """``{"version": 1, "nodes": [{"id", "step", "step_version", "params"}], "edges": [{"from", "to"}]}``"""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(default=1, ge=1, le=1, description="the config format; 1 is the only one")
    nodes: list[WorkflowNode] = Field(max_length=HARD_LIMIT)
    edges: list[WorkflowEdge] = Field(default_factory=list, max_length=HARD_LIMIT)

    def stored(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class Problem(BaseModel):
    """One thing wrong with a workflow, naming the node or edge (by index in ``edges``) it is about."""

    code: str
    message: str
    node: NodeId | None = None
    edge: int | None = None
    field: str | None = Field(default=None, description="the parameter, for invalid_params")


# -- steps ----------------------------------------------------------------------------------------


class StepRead(BaseModel):
    name: str
    version: int
    label: str
    help: str
    queue: str
    consumes: list[str]
    produces: list[str]
    runs_on: list[Subject] = Field(description="the subjects a workflow with this step can run on")
    handlers: dict[str, str] = Field(description="subject -> the Celery task that runs the step")
    params_schema: dict[str, Any] = Field(description="JSON Schema of the step's params")


# -- workflows ------------------------------------------------------------------------------------


class WorkflowCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    subject: Subject
    config: WorkflowConfig
    note: str = Field(default="", max_length=500, description="what this version changes")


class WorkflowUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class VersionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    config: WorkflowConfig
    note: str = Field(default="", max_length=500)


class WorkflowCopy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200, description="default: 'X (copy)'")


class ValidateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Subject
    config: WorkflowConfig


class ValidationResult(BaseModel):
    valid: bool
    problems: list[Problem]


class WorkflowRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID | None
    builtin: bool = Field(description="installation-wide, read-only: copy it to change it")
    name: str
    description: str
    subject: Subject
    output_kind: str | None = Field(description="built-ins: the output kind whose lines they run")
    latest_version: int
    copied_from: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class WorkflowDetail(WorkflowRead):
    config: dict[str, Any] = Field(description="the latest version's config")


class WorkflowPage(Page[WorkflowRead]):
    pass


class VersionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    note: str
    created_by: uuid.UUID | None
    created_at: datetime


class VersionRead(VersionSummary):
    workflow_id: uuid.UUID
    config: dict[str, Any]


class VersionPage(Page[VersionSummary]):
    pass


class ParamChange(BaseModel):
    before: Any = None
    after: Any = None


class NodeChange(BaseModel):
    id: NodeId
    step: ParamChange | None = None
    step_version: ParamChange | None = None
    params: dict[str, ParamChange] = Field(default_factory=dict)


class EdgeRef(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    source: NodeId = Field(alias="from")
    target: NodeId = Field(alias="to")


class VersionDiff(BaseModel):
    from_version: int
    to_version: int
    nodes_added: list[dict[str, Any]]
    nodes_removed: list[dict[str, Any]]
    nodes_changed: list[NodeChange]
    edges_added: list[EdgeRef]
    edges_removed: list[EdgeRef]


class RunNodeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    node_id: str
    step: str
    step_version: int
    label: str = ""
    params: dict[str, Any]
    predecessors: list[str]
    status: str = Field(description="pending, queued, running, completed, failed, skipped or cancelled")
    attempts: int
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    duration_s: float | None = None
    outputs: dict[str, Any]
    error: str | None


class RunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    workflow_id: uuid.UUID | None
    workflow_name: str
    version: int
    subject: Subject
    subject_id: uuid.UUID
    status: str = Field(description="running, completed, failed, partial or cancelled")
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    nodes: list[RunNodeRead] = Field(default_factory=list)


class DryRunRequest(BaseModel):
    """What to try the workflow on: a CAD file (CAD workflows) or a product, optionally with the
    output type whose settings its render nodes start from (order line workflows)."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, ge=1, le=1_000_000, description="default: the latest")
    cad_file_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    output_type_id: uuid.UUID | None = None


class DryRunNode(BaseModel):
    node_id: str
    step: str
    label: str
    queue: str
    level: int = Field(description="0 for the entry; nodes of one level can run side by side")
    after: list[str]
    params: dict[str, Any] = Field(description="what the node sets")
    resolved_params: dict[str, Any] = Field(description="what it would run with")
    note: str = Field(description="what it would do with this subject, or why it would stop")
    would_fail: bool = False


class DryRunResult(BaseModel):
    workflow_id: uuid.UUID
    version: int
    subject: Subject
    nodes: list[DryRunNode]
    problems: list[str] = Field(description="why a real run would stop (none: it would run through)")

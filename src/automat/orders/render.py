"""Rendering one order line in the worker's render host: plan the job from the line's output
type, hold a tenant render slot, run it with a live cancel watch, stage the files.

``render_order_line`` (in ``tasks.py``) strings these together; this module keeps the pieces
small enough to read and test.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import redis
from sqlalchemy import update
from sqlalchemy.orm import Session

from automat.cad import repository as cad_repository
from automat.config import get_settings
from automat.core import events
from automat.core.redis import sync_client
from automat.core.storage import default_storage
from automat.kit.time import utcnow
from automat.materials import repository as materials
from automat.materials.blend_library import ensure_library
from automat.materials.resolve import fallback_of
from automat.models.order import LineStatus, OrderLine
from automat.models.output import OutputKind
from automat.orders import control, lines, repository, runtime
from automat.output_types.resolve import camera_for, settings_for, template_path_for
from automat.output_types.settings import SPEC_KIND
from automat.pipeline import executor
from automat.pipeline.job_document import JobState, StepStatus
from automat.pipeline.steps import ProcessStep
from automat.rendering.host_client import poster_path
from automat.rendering.spec import RenderJobResult, RenderJobSpec
from automat.settings.registry import SETTINGS
from automat.settings.service import min_coverage, read_tenant_value
from automat.tenants.schemas import TenantConfig

log = logging.getLogger(__name__)
CANCEL_POLL_S = 0.5
SLOT_RENEW_S = 20.0
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
EXTENSIONS = {"jpeg": "jpg"}


@dataclass
class Plan:
    """Everything the render needs, read while the line was locked."""

    step: ProcessStep
    spec: RenderJobSpec
    order_id: uuid.UUID
    file_stem: str
    render_info: dict[str, Any] = field(default_factory=dict)
    node: str | None = None  # the workflow node it renders for (its records in the job document)


class PlanError(ValueError):
    """The line cannot be rendered as configured (a person can fix it)."""


def safe_stem(*parts: str) -> str:
    return "_".join(_UNSAFE.sub("-", p).strip("-") for p in parts if p)[:120] or "render"


def tenant_config(session: Session, tenant_id: uuid.UUID) -> TenantConfig:
    return TenantConfig(**(materials.tenant_config_sync(session, tenant_id) or {}))


def plan(session: Session, line: OrderLine, work: Path, job_id: str) -> Plan:
    """The render of the line's output type, or of the workflow node at hand: its step says what
    it makes (a GLB export beside a still), its params replace single settings."""
    product, output_type, cad = repository.line_context(session, line)
    if cad is None or cad.production_glb_key is None:
        raise PlanError(f"Product {product.pim_id} has no converted CAD file.")
    node = executor.current_node()
    kind = OutputKind(output_type.kind)
    if node is not None and node.step in lines.KIND_OF_STEP:
        kind = lines.KIND_OF_STEP[node.step]
    try:
        settings = settings_for(output_type, node.params if node is not None else None, kind=kind)
        camera = camera_for(session, line.tenant_id, settings.position)
        template = template_path_for(session, line.tenant_id, output_type.template_id)
    except ValueError as exc:
        raise PlanError(f"Output type {output_type.name}: {exc}") from None
    config = tenant_config(session, line.tenant_id)
    if kind is not OutputKind.GLB and settings.engine not in config.render_engines_allowed:
        raise PlanError(f"The {settings.engine} engine is not allowed for this tenant.")
    material_map = {p.name: p.material for p in cad_repository.part_names(session, cad.id) if p.material}
    material_map.update(product.material_overrides or {})
    samples = settings.samples or int(
        read_tenant_value(session, line.tenant_id, SETTINGS["render_default_samples"])
    )
    fmt = settings.format or "png"
    node_key = node.node_id if node is not None else None
    # A second render of the line (a node other than the built-ins' "render") names its files apart.
    stem = safe_stem(product.pim_id, output_type.name, node_key if node_key not in (None, "render") else "")
    spec = RenderJobSpec(
        job_id=job_id,
        kind=SPEC_KIND[kind],
        input_glb=str(default_storage().path(cad.production_glb_key)),
        output_path=str(work / f"{stem}.{EXTENSIONS.get(fmt, fmt)}"),
        format=fmt,
        material_map=material_map,
        fallback_material=fallback_of(config.model_dump()),
        library_blend=str(ensure_library(get_settings().resolved_home() / "library")),
        template_blend=str(template) if template else None,
        width=settings.width,
        height=settings.height,
        samples=samples,
        engine=settings.engine,
        cycles_device=read_tenant_value(session, line.tenant_id, SETTINGS["cycles_device"]),
        denoise=settings.denoise,
        transparent=settings.transparent_bg,
        camera=camera,
        frames=settings.frames,
        fps=settings.fps,
        min_coverage=min_coverage(session, line.tenant_id),
    )
    info = {
        "output_type": output_type.name,
        "width": settings.width,
        "height": settings.height,
        "samples": samples,
        "engine": settings.engine,
        "position": settings.position,
        "template_id": str(output_type.template_id) if output_type.template_id else None,
    }
    return Plan(lines.render_step(kind), spec, line.order_id, stem, {**info, "kind": kind.value}, node_key)


def begin(session: Session, line: OrderLine, p: Plan, *, task_id: str | None, host_pid: int | None) -> None:
    """The line is rendering now: task id, host pid and machine go into its job document."""
    doc = lines.document(line)
    doc.set_state(JobState.RUNNING, reason="render started")
    doc.celery_task_id = task_id
    doc.pid = host_pid
    doc.host = socket.gethostname()
    record = doc.step(p.step, p.node)
    if record is not None and record.status is not StepStatus.RUNNING:
        record.status = StepStatus.FAILED  # an earlier attempt was interrupted (worker lost)
    doc.begin_step(
        p.step, node=p.node, engine=p.spec.engine,
        message=f"{p.spec.width}x{p.spec.height}, {p.spec.samples} spp",
    )  # fmt: skip
    lines.store(line, doc)
    line.started_at = utcnow()
    runtime.mark_processing(session, line)
    runtime.announce(session, line, step=p.step.value)


def stage(line: OrderLine, p: Plan, result: RenderJobResult) -> dict[str, Any]:
    """Move the finished files to the line's staging folder; return the render step's outputs."""
    storage = default_storage()
    prefix = f"tenants/{line.tenant_id}/orders/{p.order_id}/lines/{line.id}/staging/{uuid.uuid4().hex[:8]}"
    files, names = {}, {}
    produced = [("main", Path(p.spec.output_path))]
    if result.poster:
        produced.append(("poster", Path(result.poster)))
    elif p.spec.kind.value == "turntable" and poster_path(p.spec).exists():
        produced.append(("poster", poster_path(p.spec)))
    for role, path in produced:
        if not path.exists():
            continue
        key = f"{prefix}/{path.name}"
        storage.commit(path, key)
        files[role], names[role] = key, path.name
    return {
        "staging": prefix,
        "files": files,
        "names": names,
        "timings": result.timings,
        "warnings": result.warnings,
        "coverage": result.coverage,
        "materials": result.material_counts,
        "render": {**p.render_info, "engine_used": result.engine, "device": result.device},
    }


class CancelWatch:
    """Sets ``event`` when a cancel is requested for the line; renews its render slot meanwhile."""

    def __init__(
        self, client: redis.Redis, tenant_id: uuid.UUID, line_id: uuid.UUID, slot: str | None = None
    ) -> None:
        self.client, self.tenant_id, self.line_id = client, tenant_id, line_id
        self.slot = slot or str(line_id)
        self.event = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"cancel-watch-{line_id}", daemon=True)

    def _run(self) -> None:
        renewed = 0.0
        while not self._stop.wait(CANCEL_POLL_S):
            try:
                if control.cancel_requested(self.client, self.line_id):
                    self.event.set()
                    return
                renewed += CANCEL_POLL_S
                if renewed >= SLOT_RENEW_S:
                    control.renew_slot(self.client, self.tenant_id, self.slot)
                    renewed = 0.0
            except redis.RedisError:
                continue  # a blip of Redis must not kill the render; try again

    def __enter__(self) -> CancelWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class _Sessions(Protocol):
    def tenant_session(self, tenant_id: str | uuid.UUID) -> Any: ...


class _Step(Protocol):
    def progress(self, message: str, *, fraction: float | None = None, persist: bool = True) -> None: ...


def progress_sink(
    task: _Sessions, tenant_id: uuid.UUID, line_id: uuid.UUID, p: Plan, step: _Step | None = None
) -> Callable[[dict[str, Any]], None]:
    """Where a line's throttled progress goes: onto the line (while it is running), to the
    browsers as an ``order_line_progress`` event, and to the render step's pipeline events.
    A failure here is logged and never stops the render."""
    owner: list[str | None] = []

    def sink(snapshot: dict[str, Any]) -> None:
        try:
            with task.tenant_session(tenant_id) as session:
                session.execute(
                    update(OrderLine)
                    .where(OrderLine.id == line_id, OrderLine.render_status == LineStatus.RUNNING.value)
                    .values(render_progress=snapshot)
                )
                if not owner:
                    created_by = repository.order_owner(session, p.order_id)
                    owner.append(str(created_by) if created_by else None)
            event = {
                "type": "order_line_progress",
                "owner": owner[0],
                "order_id": str(p.order_id),
                "line_id": str(line_id),
                "progress": snapshot,
            }
            events.publish(sync_client(), tenant_id, event)
            if step is not None:
                step.progress(snapshot["message"], fraction=snapshot.get("fraction"), persist=False)
        except Exception:
            log.warning("could not record the progress of line %s", line_id, exc_info=True)

    return sink

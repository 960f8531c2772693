"""The built-in workflows are the pipelines every upload and order line runs, and stored versions
never change."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from automat.cad.dispatch import (
    AUTO_MATERIALS_TASK,
    EXTRACT_METADATA_TASK,
    OCC_GLB_EXPORT_TASK,
    THUMBNAIL_TASK,
)
from automat.core.db import BYPASS, SyncDatabase
from automat.models.output import OutputKind
from automat.orders.dispatch import CHECK_CAD_TASK, DELIVER_TASK, RENDER_TASK
from automat.orders.lines import RENDER_STEPS
from automat.pipeline.registry import Subject
from automat.products.service import PARSE_EXCEL_TASK
from automat.workflows.catalogue import steps
from automat.workflows.schemas import WorkflowConfig
from automat.workflows.validation import validate
from tests.support.factories import MadeTenant


def _builtins(db: SyncDatabase, tenant: MadeTenant) -> dict[str, dict[str, Any]]:
    """Read as a tenant: the built-ins are visible to every tenant."""
    with db.session(tenant.id) as session:
        rows = session.execute(
            text(
                "SELECT w.name, w.subject, w.output_kind, w.latest_version, v.config FROM workflows w "
                "JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version "
                "WHERE w.tenant_id IS NULL"
            )
        ).all()
    return {r.name: {"subject": r.subject, "kind": r.output_kind, "config": r.config} for r in rows}


def _in_order(config: dict[str, Any]) -> list[str]:
    """The steps of a chain-shaped config, following its edges from the entry."""
    nxt = {e["from"]: e["to"] for e in config["edges"]}
    entry = ({n["id"] for n in config["nodes"]} - set(nxt.values())).pop()
    by_id = {n["id"]: n["step"] for n in config["nodes"]}
    order = [entry]
    while order[-1] in nxt:
        order.append(nxt[order[-1]])
    return [by_id[n] for n in order]


def _tasks(subject: Subject, step_names: list[str]) -> list[str]:
    registry = steps()
    return [registry.get(name).handlers[subject] for name in step_names]  # type: ignore[union-attr]


def test_one_cad_workflow_one_import_workflow_and_one_per_output_kind(
    app_db: SyncDatabase, tenant: MadeTenant
) -> None:
    found = _builtins(app_db, tenant)
    assert sorted(found) == sorted(
        [".blend", "CAD processing", "GLB", "Product import", "Still", "Thumbnail", "Turntable"]
    )
    assert sorted(w["kind"] for w in found.values() if w["kind"]) == sorted(k.value for k in OutputKind)


def test_every_builtin_is_valid(app_db: SyncDatabase, tenant: MadeTenant) -> None:
    for name, wf in _builtins(app_db, tenant).items():
        config = WorkflowConfig.model_validate(wf["config"])
        assert validate(config, Subject(wf["subject"]), steps()) == [], name


def test_cad_processing_converts_reads_assigns_and_renders(app_db: SyncDatabase, tenant: MadeTenant) -> None:
    cad = _builtins(app_db, tenant)["CAD processing"]
    order = _in_order(cad["config"])
    assert order == ["occ_glb_export", "extract_metadata", "auto_materials", "render_thumbnail"]
    assert _tasks(Subject.CAD_FILE, order) == [
        OCC_GLB_EXPORT_TASK,
        EXTRACT_METADATA_TASK,
        AUTO_MATERIALS_TASK,
        THUMBNAIL_TASK,
    ]


def test_product_import_reads_the_sheet(app_db: SyncDatabase, tenant: MadeTenant) -> None:
    found = _builtins(app_db, tenant)["Product import"]
    assert found["subject"] == Subject.PRODUCT_IMPORT
    assert _in_order(found["config"]) == ["parse_excel"]
    assert _tasks(Subject.PRODUCT_IMPORT, ["parse_excel"]) == [PARSE_EXCEL_TASK]


@pytest.mark.parametrize("kind", list(OutputKind))
def test_each_kinds_workflow_is_the_order_lines_chain(
    app_db: SyncDatabase, tenant: MadeTenant, kind: OutputKind
) -> None:
    wf = next(w for w in _builtins(app_db, tenant).values() if w["kind"] == kind.value)
    order = _in_order(wf["config"])
    assert order == ["check_cad", RENDER_STEPS[kind].value, "deliver"]
    assert _tasks(Subject.ORDER_LINE, order) == [CHECK_CAD_TASK, RENDER_TASK, DELIVER_TASK]
    assert all(n["params"] == {} for n in wf["config"]["nodes"])  # the output type's settings, as today


def test_a_stored_version_cannot_change(app_db: SyncDatabase, tenant: MadeTenant) -> None:
    with app_db.session(tenant.id) as session:
        wid = session.execute(
            text(
                "INSERT INTO workflows (tenant_id, name, subject) "
                "VALUES (:t, 'mine', 'order_line') RETURNING id"
            ),
            {"t": tenant.id},
        ).scalar_one()
        vid = session.execute(
            text(
                "INSERT INTO workflow_versions (tenant_id, workflow_id, version, config) "
                "VALUES (:t, :w, 1, '{\"version\": 1}'::jsonb) RETURNING id"
            ),
            {"t": tenant.id, "w": wid},
        ).scalar_one()
    for change in ("config = '{}'::jsonb", "version = 2"):
        with pytest.raises(DBAPIError, match="immutable"), app_db.session(tenant.id) as session:
            session.execute(text(f"UPDATE workflow_versions SET {change} WHERE id = :v"), {"v": vid})  # noqa: S608
    with app_db.session(BYPASS) as session:  # not even a global admin
        with pytest.raises(DBAPIError, match="immutable"):
            session.execute(
                text("UPDATE workflow_versions SET config = '{}'::jsonb WHERE id = :v"), {"v": vid}
            )
    with app_db.session(tenant.id) as session:
        assert session.execute(
            text("SELECT config FROM workflow_versions WHERE id = :v"), {"v": vid}
        ).scalar_one() == {"version": 1}

"""Workflows and their immutable versions, with the built-in pipelines seeded as data.

Built-ins have no tenant: every tenant reads them (policy ``read_builtins``), only ``bypass``
(this migration) writes them. Their configs are what the code runs today: the CAD processing
chain of ``cad/service.processing_canvas`` and the order line chain of
``orders/dispatch.line_chain`` with the render step of each output kind
(``tests/workflows/test_builtins.py`` holds them to that).

Revision ID: 0011_workflows
Revises: 0010_line_render_again
Create Date: 2026-12-02
"""

import itertools
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0011_workflows"
down_revision: str | None = "0010_line_render_again"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("workflows", "workflow_versions")
BYPASS = "SELECT set_config('app.current_tenant_id', 'bypass', true)"


def _node(node_id: str, step: str) -> dict[str, object]:
    return {"id": node_id, "step": step, "step_version": 1, "params": {}}


def _chain(*nodes: tuple[str, str]) -> dict[str, object]:
    ids = [n for n, _ in nodes]
    return {
        "version": 1,
        "nodes": [_node(n, s) for n, s in nodes],
        "edges": [{"from": a, "to": b} for a, b in itertools.pairwise(ids)],
    }


def _line(render_step: str) -> dict[str, object]:
    return _chain(("check_cad", "check_cad"), ("render", render_step), ("deliver", "deliver"))


# (id, name, subject, output kind, description, config); the ids are stable so output types can
# name a built-in.
BUILTINS = (
    (
        "00000000-0000-4000-8000-00000000f001",
        "CAD processing",
        "cad_file",
        None,
        "Every uploaded STEP file: convert to GLB, read parts and checks, assign materials, thumbnail.",
        _chain(
            ("convert", "occ_glb_export"),
            ("metadata", "extract_metadata"),
            ("materials", "auto_materials"),
            ("thumbnail", "render_thumbnail"),
        ),
    ),
    (
        "00000000-0000-4000-8000-00000000f002",
        "Still",
        "order_line",
        "still",
        "An order line's still: check the CAD file, render with the output type's settings, deliver.",
        _line("render_still"),
    ),
    (
        "00000000-0000-4000-8000-00000000f003",
        "Turntable",
        "order_line",
        "turntable",
        "An order line's turntable video: check the CAD file, render, deliver.",
        _line("render_turntable"),
    ),
    (
        "00000000-0000-4000-8000-00000000f004",
        "GLB",
        "order_line",
        "glb",
        "An order line's production GLB with materials: check the CAD file, export, deliver.",
        _line("export_glb"),
    ),
    (
        "00000000-0000-4000-8000-00000000f005",
        ".blend",
        "order_line",
        "blend",
        "An order line's packed .blend: check the CAD file, export, deliver.",
        _line("export_blend"),
    ),
    (
        "00000000-0000-4000-8000-00000000f006",
        "Thumbnail",
        "order_line",
        "thumbnail",
        "An order line's thumbnail: check the CAD file, render with the output type's settings, deliver.",
        _line("render_thumbnail"),
    ),
)

IMMUTABLE_FUNCTION = """
CREATE OR REPLACE FUNCTION automat_workflow_version_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.config IS DISTINCT FROM OLD.config
       OR NEW.version IS DISTINCT FROM OLD.version
       OR NEW.workflow_id IS DISTINCT FROM OLD.workflow_id
       OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
        RAISE EXCEPTION 'workflow versions are immutable: save a new version instead'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$
"""


def _tenant() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=True
    )


def _policies(table: str) -> None:
    rls.enable_tenant_table(table)
    # Built-ins (no tenant) are read by every tenant; the tenant policy alone never admits them
    # for writing (NULL = tenant is not true), so only bypass writes them.
    op.execute(
        f"CREATE POLICY read_builtins ON {table} FOR SELECT "
        f"USING (tenant_id IS NULL AND {rls.CURRENT_TENANT} IS NOT NULL)"
    )


def upgrade() -> None:
    op.create_table(
        "workflows",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        _tenant(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("subject", sa.String(20), nullable=False),
        sa.Column("output_kind", sa.String(20), nullable=True),
        sa.Column("latest_version", sa.Integer, nullable=False, server_default="1"),
        sa.Column(
            "copied_from",
            UUID(as_uuid=True),
            sa.ForeignKey("workflows.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_by", UUID(as_uuid=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("subject IN ('cad_file', 'order_line', 'product_import')", name="subject_known"),
        sa.CheckConstraint(
            "output_kind IS NULL OR output_kind IN ('thumbnail', 'still', 'turntable', 'glb', 'blend')",
            name="output_kind_known",
        ),
        sa.CheckConstraint("latest_version >= 1", name="latest_version_positive"),
    )
    op.create_index("ix_workflows_tenant_id", "workflows", ["tenant_id"])
    # One name per tenant, and one among the built-ins (NULLS NOT DISTINCT).
    op.execute(
        "ALTER TABLE workflows ADD CONSTRAINT uq_workflows_tenant_id_name "
        "UNIQUE NULLS NOT DISTINCT (tenant_id, name)"
    )
    op.create_table(
        "workflow_versions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column(
            "workflow_id",
            UUID(as_uuid=True),
            sa.ForeignKey("workflows.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _tenant(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("config", JSONB, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("created_by", UUID(as_uuid=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("workflow_id", "version", name="uq_workflow_versions_workflow_id_version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )
    op.create_index("ix_workflow_versions_tenant_id", "workflow_versions", ["tenant_id"])
    op.execute(IMMUTABLE_FUNCTION)
    op.execute(
        "CREATE TRIGGER workflow_versions_immutable BEFORE UPDATE ON workflow_versions "
        "FOR EACH ROW EXECUTE FUNCTION automat_workflow_version_immutable()"
    )
    for table in TABLES:
        _policies(table)
    op.execute(BYPASS)  # the built-ins have no tenant: only bypass writes them (RLS binds the owner too)
    for workflow_id, name, subject, kind, description, config in BUILTINS:
        op.execute(
            sa.text(
                "INSERT INTO workflows "
                "(id, tenant_id, name, description, subject, output_kind, latest_version) "
                "VALUES (CAST(:id AS uuid), NULL, :name, :description, :subject, :kind, 1)"
            ).bindparams(id=workflow_id, name=name, description=description, subject=subject, kind=kind)
        )
        op.execute(
            sa.text(
                "INSERT INTO workflow_versions (workflow_id, tenant_id, version, config, note) "
                "VALUES (CAST(:id AS uuid), NULL, 1, CAST(:config AS jsonb), 'built in')"
            ).bindparams(id=workflow_id, config=json.dumps(config))
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS read_builtins ON {table}")
        rls.disable(table)
    op.drop_table("workflow_versions")
    op.execute("DROP FUNCTION IF EXISTS automat_workflow_version_immutable()")
    op.drop_table("workflows")

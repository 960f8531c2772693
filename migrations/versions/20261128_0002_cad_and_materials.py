"""CAD files and parts, tenant materials and material aliases, with row-level security.

Existing tenants get the default aliases (a snapshot of the list at the time of this migration);
tenants created later get them from the tenant service.

Revision ID: 0002_cad_materials
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from automat.kit import rls

revision: str = "0002_cad_materials"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("cad_files", "cad_parts", "materials", "material_aliases")

DEFAULT_ALIASES_2026_11 = (
    (r"^(inner|outer)[ _.-]*(ring|race)", "regex", "SCHAEFFLER_010101_Steel-Bare", 100),
    (r"^(inner|outer)race|^(ir|or)[ _.-]", "regex", "SCHAEFFLER_010101_Steel-Bare", 95),
    ("*ball*", "glob", "SCHAEFFLER_010102_Steel-Polished", 90),
    ("*roller*", "glob", "SCHAEFFLER_010102_Steel-Polished", 90),
    ("*needle*", "glob", "SCHAEFFLER_010102_Steel-Polished", 90),
    (
        r"(cage|retainer|separator).*(?<![a-z])(pa\d*|polyamid\w*|plastic)(?![a-z])",
        "regex",
        "SCHAEFFLER_030301_Polyamide-Cage",
        85,
    ),
    ("*cage*", "glob", "SCHAEFFLER_020201_Brass-Cage", 80),
    ("*retainer*", "glob", "SCHAEFFLER_020201_Brass-Cage", 80),
    ("*seal*", "glob", "SCHAEFFLER_040401_Rubber-Seal-Black", 80),
    ("*shield*", "glob", "SCHAEFFLER_010104_Steel-ZincPlated", 80),
    ("*housing*", "glob", "SCHAEFFLER_050501_Paint-Housing-Grey", 70),
    (r"(screw|bolt|nut|washer)", "regex", "SCHAEFFLER_010104_Steel-ZincPlated", 60),
    ("*shaft*", "glob", "SCHAEFFLER_010105_Steel-Chrome", 60),
    (r"(?<!bea)(ring|race)", "regex", "SCHAEFFLER_010101_Steel-Bare", 50),
)


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()"))


def _tenant() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
    )


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "cad_files",
        _id(),
        _tenant(),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("storage_key", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="uploaded"),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("metadata", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("viewer_glb_key", sa.String(500), nullable=True),
        sa.Column("production_glb_key", sa.String(500), nullable=True),
        sa.Column("job_document", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("uploaded_by", UUID(as_uuid=True), nullable=True),
        *_stamps(),
        sa.UniqueConstraint("tenant_id", "sha256", name="uq_cad_files_tenant_sha256"),
        sa.CheckConstraint("status IN ('uploaded', 'processing', 'ready', 'failed')", name="status_known"),
    )
    op.create_index("ix_cad_files_tenant_id", "cad_files", ["tenant_id"])
    op.create_index("ix_cad_files_tenant_created", "cad_files", ["tenant_id", "created_at"])

    op.create_table(
        "cad_parts",
        _id(),
        _tenant(),
        sa.Column(
            "cad_file_id",
            UUID(as_uuid=True),
            sa.ForeignKey("cad_files.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("path", sa.Text, nullable=False, server_default=""),
        sa.Column("color", JSONB, nullable=True),
        sa.Column("bbox_mm", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("volume_mm3", sa.Float, nullable=True),
        sa.Column("area_mm2", sa.Float, nullable=True),
        sa.Column("triangles", sa.Integer, nullable=False, server_default="0"),
        sa.Column("material", sa.String(120), nullable=True),
        sa.Column("material_reason", sa.String(20), nullable=True),
    )
    op.create_index("ix_cad_parts_tenant_id", "cad_parts", ["tenant_id"])
    op.create_index("ix_cad_parts_cad_file", "cad_parts", ["cad_file_id", "position"])

    op.create_table(
        "materials",
        _id(),
        _tenant(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("base_color", JSONB, nullable=False),
        sa.Column("metallic", sa.Float, nullable=False, server_default="0"),
        sa.Column("roughness", sa.Float, nullable=False, server_default="0.5"),
        sa.Column("params", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        *_stamps(),
        sa.UniqueConstraint("tenant_id", "name", name="uq_materials_tenant_name"),
    )
    op.create_index("ix_materials_tenant_id", "materials", ["tenant_id"])

    op.create_table(
        "material_aliases",
        _id(),
        _tenant(),
        sa.Column("pattern", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False, server_default="exact"),
        sa.Column("material", sa.String(120), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
        *_stamps(),
        sa.CheckConstraint("kind IN ('exact', 'glob', 'regex')", name="kind_known"),
        sa.UniqueConstraint("tenant_id", "kind", "pattern", name="uq_material_aliases_tenant_kind_pattern"),
    )
    op.create_index("ix_material_aliases_tenant_id", "material_aliases", ["tenant_id"])

    for table in TABLES:
        rls.enable_tenant_table(table)

    aliases = sa.table(
        "material_aliases",
        sa.column("tenant_id", UUID(as_uuid=True)),
        sa.column("pattern", sa.String),
        sa.column("kind", sa.String),
        sa.column("material", sa.String),
        sa.column("priority", sa.Integer),
        sa.column("is_default", sa.Boolean),
    )
    conn = op.get_bind()
    conn.execute(sa.text("SELECT set_config('app.current_tenant_id', 'bypass', true)"))
    tenant_ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM tenants"))]
    rows = [
        {"tenant_id": t, "pattern": p, "kind": k, "material": m, "priority": prio, "is_default": True}
        for t in tenant_ids
        for p, k, m, prio in DEFAULT_ALIASES_2026_11
    ]
    if rows:
        op.bulk_insert(aliases, rows)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

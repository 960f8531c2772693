"""The product import is a built-in workflow too: "Product import", one ``parse_excel`` node.

Until now an Excel import sent its one task directly, the only work of Automat that did not run
as a workflow run. Seeded like the built-ins of migration 0011 (no tenant; only ``bypass``
writes it), with a stable id that ``products/service.start_import`` runs.

Revision ID: 0015_import_workflow
Revises: 0014_media_library
Create Date: 2026-12-02
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_import_workflow"
down_revision: str | None = "0014_media_library"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BYPASS = "SELECT set_config('app.current_tenant_id', 'bypass', true)"
PRODUCT_IMPORT = "00000000-0000-4000-8000-00000000f007"
CONFIG = {
    "version": 1,
    "nodes": [{"id": "parse", "step": "parse_excel", "step_version": 1, "params": {}}],
    "edges": [],
}


def upgrade() -> None:
    op.execute(BYPASS)
    op.execute(
        sa.text(
            "INSERT INTO workflows (id, tenant_id, name, description, subject, output_kind, latest_version) "
            "VALUES (CAST(:id AS uuid), NULL, 'Product import', :description, 'product_import', NULL, 1)"
        ).bindparams(
            id=PRODUCT_IMPORT,
            description="Every uploaded Excel product list: read the sheet, create or update the "
            "products by PIM id, log every row.",
        )
    )
    op.execute(
        sa.text(
            "INSERT INTO workflow_versions (workflow_id, tenant_id, version, config, note) "
            "VALUES (CAST(:id AS uuid), NULL, 1, CAST(:config AS jsonb), 'built in')"
        ).bindparams(id=PRODUCT_IMPORT, config=json.dumps(CONFIG))
    )


def downgrade() -> None:
    op.execute(BYPASS)
    op.execute(
        sa.text("DELETE FROM workflow_runs WHERE workflow_id = CAST(:id AS uuid)").bindparams(
            id=PRODUCT_IMPORT
        )
    )
    op.execute(sa.text("DELETE FROM workflows WHERE id = CAST(:id AS uuid)").bindparams(id=PRODUCT_IMPORT))

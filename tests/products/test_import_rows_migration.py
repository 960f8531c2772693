"""Migration 0006 moves existing JSONB row logs into product_import_rows and back on downgrade."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from automat.config import Settings
from automat.core.migrate import downgrade, migrate
from automat.core.urls import admin_url

LOG = [
    {"row": 2, "status": "imported", "pim_id": "6205", "reason": None},
    {"row": 3, "status": "skipped", "pim_id": None, "reason": "missing pim_id"},
    {"row": 4, "status": "warning", "pim_id": "6206", "reason": "imported, but unknown CAD file 'x.stp'"},
]


@pytest.fixture
def scratch(settings: Settings) -> Iterator[Settings]:
    """A database of its own, migrated to the revision before the row table."""
    name = f"automat_mig_{uuid.uuid4().hex[:8]}"
    other = settings.model_copy(update={"database_name": name})
    migrate(other, revision="0005_orders_and_media")
    yield other
    engine = create_engine(admin_url(settings, database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def test_logs_move_to_rows_and_back(scratch: Settings) -> None:
    engine = create_engine(admin_url(scratch))
    try:
        with engine.begin() as conn:
            tenant = conn.execute(
                text("INSERT INTO tenants (slug, name) VALUES ('mig', 'Mig') RETURNING id")
            ).scalar_one()
            record = conn.execute(
                text(
                    "INSERT INTO product_imports (tenant_id, original_name, storage_key, status, log) "
                    "VALUES (:t, 'old.xlsx', 'k', 'completed', CAST(:log AS jsonb)) RETURNING id"
                ),
                {"t": tenant, "log": json.dumps(LOG)},
            ).scalar_one()

        migrate(scratch)
        with engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT tenant_id, row, status, pim_id, reason FROM product_import_rows "
                    "WHERE import_id = :i ORDER BY row"
                ),
                {"i": record},
            ).all()
            counts = conn.execute(
                text("SELECT row_counts FROM product_imports WHERE id = :i"), {"i": record}
            ).scalar_one()
            columns = conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'product_imports'"
                )
            ).scalars()
            assert "log" not in set(columns)
        assert [(r.row, r.status, r.pim_id, r.reason) for r in rows] == [
            (e["row"], e["status"], e["pim_id"], e["reason"]) for e in LOG
        ]
        assert {r.tenant_id for r in rows} == {tenant}
        assert counts == {"imported": 1, "skipped": 1, "warning": 1}

        downgrade(scratch, revision="0005_orders_and_media")
        with engine.begin() as conn:
            log = conn.execute(
                text("SELECT log FROM product_imports WHERE id = :i"), {"i": record}
            ).scalar_one()
        assert log == LOG
    finally:
        engine.dispose()

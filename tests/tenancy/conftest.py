"""Two tenants with one row each in every tenant table, written by the admin connection."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import Connection, Engine, text

from tests.support.factories import unique


@dataclass(frozen=True)
class TenantTable:
    """How to put one row of a tenant into a table and how to name that row again."""

    name: str
    tenant_column: str
    insert: Callable[[Connection, uuid.UUID], str]  # returns the row key
    key_column: str
    touch_column: str  # an updatable column
    touch_value: str | None = None  # an SQL literal for it, when a text literal does not fit

    def touch_literal(self, marker: str) -> str:
        if self.touch_value is not None:
            return self.touch_value
        return "'{\"x\": 1}'::jsonb" if self.touch_column == "value" else f"'{marker}'"


def _tenants(conn: Connection, tenant_id: uuid.UUID) -> str:
    return str(tenant_id)  # the tenant row itself is made by the fixture


def _tenant_settings(conn: Connection, tenant_id: uuid.UUID) -> str:
    conn.execute(
        text("INSERT INTO tenant_settings (tenant_id, key, value) VALUES (:t, 'max_upload_mb', '50'::jsonb)"),
        {"t": tenant_id},
    )
    return "max_upload_mb"


def _returning(sql: str, **params: object) -> Callable[[Connection, uuid.UUID], str]:
    """An insert of one row for the tenant ``:t``; other parameters may be callables of the connection."""

    def insert(conn: Connection, tenant_id: uuid.UUID) -> str:
        values = {k: (v(conn, tenant_id) if callable(v) else v) for k, v in params.items()}
        return str(conn.execute(text(sql), {"t": tenant_id, **values}).scalar_one())

    return insert


def _first(table: str) -> Callable[[Connection, uuid.UUID], uuid.UUID]:
    """The tenant's row in ``table`` (listed before), or a random id when it is invisible (RLS)."""

    def pick(conn: Connection, tenant_id: uuid.UUID) -> uuid.UUID:
        sql = f"SELECT id FROM {table} WHERE tenant_id = :t LIMIT 1"  # noqa: S608 (a table name of this file)
        found = conn.execute(text(sql), {"t": tenant_id})
        return found.scalar() or uuid.uuid4()  # type: ignore[no-any-return]

    return pick


def _fresh(prefix: str, template: str = "{}") -> Callable[[Connection, uuid.UUID], str]:
    """A new unique value per row (``template`` around ``unique(prefix)``)."""
    return lambda conn, tenant_id: template.format(unique(prefix))


def _product_term(conn: Connection, tenant_id: uuid.UUID) -> str:
    """One search term of the tenant's product, alone: the trigger's terms of it are removed first
    (as another tenant, that delete sees nothing and the insert is refused)."""
    conn.execute(text("DELETE FROM product_terms WHERE tenant_id = :t"), {"t": tenant_id})
    insert = _returning(
        "INSERT INTO product_terms (tenant_id, term, product_id) VALUES (:t, :w, :p) RETURNING term",
        w=_fresh("word"),
        p=_first("products"),
    )
    return insert(conn, tenant_id)


def _material_name(conn: Connection, tenant_id: uuid.UUID) -> str:
    return f"SCHAEFFLER_{uuid.uuid4().int % 1_000_000:06d}_Test"


def _hex(conn: Connection, tenant_id: uuid.UUID) -> str:
    return uuid.uuid4().hex


def _facet_count(conn: Connection, tenant_id: uuid.UUID) -> str:
    """One facet count of the tenant, alone: the counts its media_assets row made are removed first
    (as another tenant, that delete sees nothing and the insert is refused)."""
    conn.execute(text("DELETE FROM media_facet_counts WHERE tenant_id = :t"), {"t": tenant_id})
    insert = _returning(
        "INSERT INTO media_facet_counts (tenant_id, kind, lagertyp, n) VALUES (:t, 'blend', :l, 1) "
        "RETURNING lagertyp",
        l=_fresh("lager"),
    )
    return insert(conn, tenant_id)


def _facet_day(conn: Connection, tenant_id: uuid.UUID) -> str:
    """One day's facet count of the tenant, alone (as ``_facet_count``, for media_facet_days)."""
    conn.execute(text("DELETE FROM media_facet_days WHERE tenant_id = :t"), {"t": tenant_id})
    insert = _returning(
        "INSERT INTO media_facet_days (tenant_id, day, kind, lagertyp, n) "
        "VALUES (:t, DATE '2026-12-01', 'blend', :l, 1) RETURNING lagertyp",
        l=_fresh("lager"),
    )
    return insert(conn, tenant_id)


def _audit_entry(conn: Connection, tenant_id: uuid.UUID) -> int:
    found = conn.execute(text("SELECT id FROM audit_log WHERE tenant_id = :t LIMIT 1"), {"t": tenant_id})
    return found.scalar() or 0  # type: ignore[no-any-return]


def _notification_reads(conn: Connection, tenant_id: uuid.UUID) -> str:
    user = conn.execute(text("SELECT id FROM users WHERE tenant_id = :t LIMIT 1"), {"t": tenant_id}).scalar()
    conn.execute(
        text("INSERT INTO notification_reads (entry_id, user_id, tenant_id) VALUES (:e, :u, :t)"),
        {"e": _audit_entry(conn, tenant_id), "u": user or uuid.uuid4(), "t": tenant_id},
    )
    return str(user)


TENANT_TABLES = [
    TenantTable("tenants", "id", _tenants, "id", "name"),
    TenantTable(
        "users",
        "tenant_id",
        _returning(
            "INSERT INTO users (tenant_id, email, password_hash, role) "
            "VALUES (:t, :e, 'x', 'client') RETURNING id",
            e=_fresh("iso", "{}@example.test"),
        ),
        "id",
        "full_name",
    ),
    TenantTable("tenant_settings", "tenant_id", _tenant_settings, "key", "value"),
    TenantTable(
        "pipeline_events",
        "tenant_id",
        _returning(
            "INSERT INTO pipeline_events (tenant_id, job_id, step_name, level, message) "
            "VALUES (:t, 'job', 'deliver', 'info', 'hello') RETURNING id"
        ),
        "id",
        "message",
    ),
    TenantTable(
        "audit_log",
        "tenant_id",
        _returning(
            "INSERT INTO audit_log (tenant_id, channel, action) VALUES (:t, 'activity', 'test') RETURNING id"
        ),
        "id",
        "action",
    ),
    TenantTable(
        "cad_files",
        "tenant_id",
        _returning(
            "INSERT INTO cad_files (tenant_id, original_name, sha256, size_bytes, storage_key) "
            "VALUES (:t, 'a.step', :sha, 1, 'k') RETURNING id",
            sha=_hex,
        ),
        "id",
        "original_name",
    ),
    TenantTable(
        "cad_parts",
        "tenant_id",
        # The tenant's cad_files row (listed before). Under another tenant's context it is
        # invisible; the insert must then fail on RLS all the same.
        _returning(
            "INSERT INTO cad_parts (tenant_id, cad_file_id, position, name) "
            "VALUES (:t, :c, 0, 'Ball') RETURNING id",
            c=_first("cad_files"),
        ),
        "id",
        "name",
    ),
    TenantTable(
        "materials",
        "tenant_id",
        _returning(
            "INSERT INTO materials (tenant_id, name, base_color) "
            "VALUES (:t, :n, '[1, 1, 1, 1]'::jsonb) RETURNING id",
            n=_material_name,
        ),
        "id",
        "description",
    ),
    TenantTable(
        "material_aliases",
        "tenant_id",
        _returning(
            "INSERT INTO material_aliases (tenant_id, pattern, kind, material) "
            "VALUES (:t, :p, 'exact', 'SCHAEFFLER_010101_Steel-Bare') RETURNING id",
            p=_fresh("part"),
        ),
        "id",
        "material",
    ),
    TenantTable(
        "products",
        "tenant_id",
        _returning(
            "INSERT INTO products (tenant_id, pim_id, name) VALUES (:t, :p, 'Bearing') RETURNING id",
            p=_fresh("pim"),
        ),
        "id",
        "name",
    ),
    TenantTable("product_terms", "tenant_id", _product_term, "term", "term"),
    TenantTable(
        "product_imports",
        "tenant_id",
        _returning(
            "INSERT INTO product_imports (tenant_id, original_name, storage_key) "
            "VALUES (:t, 'list.xlsx', 'k') RETURNING id"
        ),
        "id",
        "original_name",
    ),
    TenantTable(
        "product_import_rows",
        "tenant_id",
        # The tenant's product_imports row (listed before); invisible, hence refused, to the other.
        _returning(
            "INSERT INTO product_import_rows (tenant_id, import_id, row, status) "
            "VALUES (:t, :i, 2, 'imported') RETURNING import_id",
            i=_first("product_imports"),
        ),
        "import_id",
        "reason",
    ),
    TenantTable(
        "render_templates",
        "tenant_id",
        _returning(
            "INSERT INTO render_templates (tenant_id, name, original_name, storage_key, sha256, size_bytes) "
            "VALUES (:t, :n, 'studio.blend', 'k', 'x', 1) RETURNING id",
            n=_fresh("tpl"),
        ),
        "id",
        "name",
    ),
    TenantTable(
        "positions",
        "tenant_id",
        _returning(
            "INSERT INTO positions (tenant_id, name, azimuth_deg, elevation_deg) "
            "VALUES (:t, :n, 10, 20) RETURNING id",
            n=_fresh("pos"),
        ),
        "id",
        "name",
    ),
    TenantTable(
        "output_types",
        "tenant_id",
        _returning(
            "INSERT INTO output_types (tenant_id, name, kind) VALUES (:t, :n, 'thumbnail') RETURNING id",
            n=_fresh("out"),
        ),
        "id",
        "name",
    ),
    TenantTable(
        "orders",
        "tenant_id",
        _returning("INSERT INTO orders (tenant_id, number) VALUES (:t, :n) RETURNING id", n=_fresh("ORD")),
        "id",
        "title",
    ),
    TenantTable(
        "order_lines",
        "tenant_id",
        _returning(
            "INSERT INTO order_lines (tenant_id, order_id, product_id, output_type_id) "
            "VALUES (:t, :o, :p, :k) RETURNING id",
            o=_first("orders"),
            p=_first("products"),
            k=_first("output_types"),
        ),
        "id",
        "job_document",
        "'{\"x\": 1}'::jsonb",
    ),
    TenantTable(
        "order_number_counters",
        "tenant_id",
        _returning(
            "INSERT INTO order_number_counters (tenant_id, year, value) VALUES (:t, 2026, 7) RETURNING year"
        ),
        "year",
        "value",
        "424242",
    ),
    TenantTable(
        "media_assets",
        "tenant_id",
        _returning(
            "INSERT INTO media_assets (tenant_id, kind, storage_key, file_name, content_type, file_size, "
            "checksum) "
            "VALUES (:t, 'still', 'k', 'a.png', 'image/png', 1, 'x') RETURNING id"
        ),
        "id",
        "file_name",
    ),
    TenantTable(
        "media_downloads",
        "tenant_id",
        _returning(
            "INSERT INTO media_downloads (tenant_id, asset_ids, file_count, total_bytes, file_name) "
            "VALUES (:t, '{}', 0, 0, 'media.zip') RETURNING id"
        ),
        "id",
        "file_name",
    ),
    TenantTable(
        "media_facet_counts",
        "tenant_id",
        _facet_count,
        "lagertyp",
        "category_key",
    ),
    TenantTable(
        "media_facet_days",
        "tenant_id",
        _facet_day,
        "lagertyp",
        "category_key",
    ),
    TenantTable(
        "workflows",
        "tenant_id",
        _returning(
            "INSERT INTO workflows (tenant_id, name, subject) VALUES (:t, :n, 'order_line') RETURNING id",
            n=_fresh("wf"),
        ),
        "id",
        "name",
    ),
    TenantTable(
        "workflow_versions",
        "tenant_id",
        # The tenant's workflow (listed before); invisible, hence refused, to the other tenant.
        _returning(
            "INSERT INTO workflow_versions (tenant_id, workflow_id, version, config) "
            "VALUES (:t, :w, 1, '{}'::jsonb) RETURNING id",
            w=_first("workflows"),
        ),
        "id",
        "note",
    ),
    TenantTable(
        "workflow_runs",
        "tenant_id",
        _returning(
            "INSERT INTO workflow_runs (tenant_id, workflow_name, version, subject, subject_id) "
            "VALUES (:t, 'wf', 1, 'order_line', gen_random_uuid()) RETURNING id"
        ),
        "id",
        "workflow_name",
    ),
    TenantTable(
        "workflow_run_nodes",
        "tenant_id",
        # A node of the tenant's run (listed before); invisible, hence refused, to the other tenant.
        _returning(
            "INSERT INTO workflow_run_nodes (tenant_id, run_id, node_id, step, step_version, position) "
            "VALUES (:t, :r, :n, 'deliver', 1, 0) RETURNING node_id",
            r=_first("workflow_runs"),
            n=_fresh("node"),
        ),
        "node_id",
        "error",
    ),
    TenantTable(
        "notification_reads",
        "tenant_id",
        _notification_reads,
        "user_id",
        "read_at",
        "'1999-01-01'::timestamptz",
    ),
    TenantTable(
        "notification_preferences",
        "tenant_id",
        _returning(
            "INSERT INTO notification_preferences (tenant_id, user_id, event_type, channel, frequency) "
            "VALUES (:t, NULL, 'order_completed', 'email', 'daily') RETURNING id"
        ),
        "id",
        "frequency",
        "'never'",
    ),
    TenantTable(
        "email_outbox",
        "tenant_id",
        # To the tenant's user (listed before); invisible, hence refused, to the other tenant.
        _returning(
            "INSERT INTO email_outbox (tenant_id, user_id, idempotency_key, event_type, to_address, subject, "
            "text_body, html_body) VALUES (:t, :u, :k, 'order_completed', 'a@example.test', 's', 't', 'h') "
            "RETURNING id",
            u=_first("users"),
            k=_fresh("mail"),
        ),
        "id",
        "subject",
    ),
    TenantTable(
        "notification_digests",
        "tenant_id",
        _returning(
            "INSERT INTO notification_digests "
            "(tenant_id, user_id, channel, frequency, period_start, period_end) "
            "VALUES (:t, :u, 'email', 'hourly', now() - interval '1 hour', now()) RETURNING id",
            u=_first("users"),
        ),
        "id",
        "entries",
        "7",
    ),
    TenantTable(
        "render_stats",
        "tenant_id",
        _returning(
            "INSERT INTO render_stats (tenant_id, job_id, line_id, order_id, output_type_id, kind, status, "
            "day, finished_at) VALUES (:t, :j, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), "
            "'still', 'completed', current_date, now()) RETURNING id",
            j=_fresh("job"),
        ),
        "id",
        "error",
    ),
    TenantTable(
        "cad_stats",
        "tenant_id",
        _returning(
            "INSERT INTO cad_stats (tenant_id, cad_file_id, status, day, finished_at) "
            "VALUES (:t, gen_random_uuid(), 'ready', current_date, now()) RETURNING id"
        ),
        "id",
        "error",
    ),
    TenantTable(
        "admin_jobs",
        "tenant_id",
        # A finished job: a queued or running one would hold the tenant's one live job of the action.
        _returning(
            "INSERT INTO admin_jobs (tenant_id, action, state) VALUES (:t, 'regenerate_thumbnails', "
            "'succeeded') RETURNING id"
        ),
        "id",
        "error",
    ),
]


@dataclass(frozen=True)
class World:
    a: uuid.UUID
    b: uuid.UUID
    rows: dict[tuple[str, uuid.UUID], str]  # (table, tenant) -> row key


@pytest.fixture
def world(admin_engine: Engine) -> World:
    rows: dict[tuple[str, uuid.UUID], str] = {}
    with admin_engine.begin() as conn:
        ids = []
        for _ in range(2):
            slug = unique("iso")
            ids.append(
                conn.execute(
                    text("INSERT INTO tenants (slug, name) VALUES (:s, :s) RETURNING id"), {"s": slug}
                ).scalar_one()
            )
        for table in TENANT_TABLES:
            for tenant_id in ids:
                rows[(table.name, tenant_id)] = table.insert(conn, tenant_id)
    return World(a=ids[0], b=ids[1], rows=rows)

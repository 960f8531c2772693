"""Row-level security, proven with direct SQL as the application role.

Every case is run for every tenant table. Each checks both sides (the tenant's own row is
there; the other tenant's is not), so dropping or loosening any policy turns it red.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from automat.config import APP_DB_ROLE
from automat.core.db import BYPASS, SyncDatabase
from tests.tenancy.conftest import TENANT_TABLES, TenantTable, World

TABLES = pytest.mark.parametrize("table", TENANT_TABLES, ids=lambda t: t.name)


def _count(db: SyncDatabase, scope: object, table: TenantTable, tenant_ids: list[object]) -> int:
    with db.session(scope) as session:  # type: ignore[arg-type]
        return int(
            session.execute(
                text(f"SELECT count(*) FROM {table.name} WHERE {table.tenant_column} = ANY(:ids)"),  # noqa: S608
                {"ids": tenant_ids},
            ).scalar_one()
        )


@TABLES
def test_no_tenant_context_sees_no_rows(app_db: SyncDatabase, world: World, table: TenantTable) -> None:
    assert _count(app_db, None, table, [world.a, world.b]) == 0


@TABLES
def test_tenant_sees_only_its_own_rows(app_db: SyncDatabase, world: World, table: TenantTable) -> None:
    assert _count(app_db, world.a, table, [world.a]) == 1
    assert _count(app_db, world.a, table, [world.b]) == 0


@TABLES
def test_bypass_sees_every_tenant(app_db: SyncDatabase, world: World, table: TenantTable) -> None:
    assert _count(app_db, BYPASS, table, [world.a, world.b]) == 2


@TABLES
def test_tenant_cannot_update_another_tenants_row(
    app_db: SyncDatabase, admin_engine: Engine, world: World, table: TenantTable
) -> None:
    key = world.rows[(table.name, world.b)]
    value = table.touch_literal("tampered")
    sql = (
        f"UPDATE {table.name} SET {table.touch_column} = {value} "  # noqa: S608
        f"WHERE {table.key_column} = :k AND {table.tenant_column} = :t"
    )
    with app_db.session(world.a) as session:
        assert session.execute(text(sql), {"k": key, "t": world.b}).rowcount == 0  # type: ignore[attr-defined]
    with admin_engine.connect() as conn:
        current = conn.execute(
            text(
                f"SELECT {table.touch_column}::text FROM {table.name} "  # noqa: S608
                f"WHERE {table.key_column} = :k AND {table.tenant_column} = :t"
            ),
            {"k": key, "t": world.b},
        ).scalar_one()
    assert current is None or ("tampered" not in current and '"x"' not in current)
    assert table.touch_value is None or current not in ("424242", "1999-01-01 00:00:00+00")


@TABLES
def test_tenant_can_update_its_own_row(app_db: SyncDatabase, world: World, table: TenantTable) -> None:
    key = world.rows[(table.name, world.a)]
    value = table.touch_literal("mine")
    sql = (
        f"UPDATE {table.name} SET {table.touch_column} = {value} "  # noqa: S608
        f"WHERE {table.key_column} = :k AND {table.tenant_column} = :t"
    )
    if table.name == "tenants":
        # A tenant reads its own tenant row but only global admins (bypass) write tenants.
        with pytest.raises(ProgrammingError, match="row-level security"), app_db.session(world.a) as session:
            session.execute(text(sql), {"k": key, "t": world.a})
        return
    with app_db.session(world.a) as session:
        assert session.execute(text(sql), {"k": key, "t": world.a}).rowcount == 1  # type: ignore[attr-defined]


@TABLES
def test_tenant_cannot_delete_another_tenants_row(
    app_db: SyncDatabase, admin_engine: Engine, world: World, table: TenantTable
) -> None:
    key = world.rows[(table.name, world.b)]
    with app_db.session(world.a) as session:
        deleted = session.execute(
            text(f"DELETE FROM {table.name} WHERE {table.key_column} = :k AND {table.tenant_column} = :t"),  # noqa: S608
            {"k": key, "t": world.b},
        ).rowcount  # type: ignore[attr-defined]
    assert deleted == 0
    with admin_engine.connect() as conn:
        still = conn.execute(
            text(
                f"SELECT count(*) FROM {table.name} "  # noqa: S608
                f"WHERE {table.key_column} = :k AND {table.tenant_column} = :t"
            ),
            {"k": key, "t": world.b},
        ).scalar_one()
    assert still == 1


@TABLES
def test_insert_for_another_tenant_is_refused(app_db: SyncDatabase, world: World, table: TenantTable) -> None:
    with pytest.raises((ProgrammingError, DBAPIError), match="row-level security"):
        with app_db.session(world.a) as session:
            connection = session.connection()
            if table.name == "tenants":
                connection.execute(text("INSERT INTO tenants (slug, name) VALUES ('sneaky', 'x')"))
            else:
                table.insert(connection, world.b)


def test_insert_without_any_context_is_refused(app_db: SyncDatabase, world: World) -> None:
    with pytest.raises(ProgrammingError, match="row-level security"), app_db.session(None) as session:
        session.execute(
            text("INSERT INTO audit_log (tenant_id, channel, action) VALUES (:t, 'activity', 'x')"),
            {"t": world.a},
        )


def test_garbage_tenant_setting_sees_nothing(app_db: SyncDatabase, world: World) -> None:
    """A value that is neither a UUID nor `bypass` must fail closed, not error or widen."""
    with app_db.sessionmaker() as session, session.begin():
        session.execute(text("SELECT set_config('app.current_tenant_id', 'not-a-uuid', true)"))
        assert session.execute(text("SELECT count(*) FROM users")).scalar_one() == 0
        session.execute(text("SELECT set_config('app.current_tenant_id', '', true)"))
        assert session.execute(text("SELECT count(*) FROM tenants")).scalar_one() == 0


def test_setting_does_not_leak_to_the_next_transaction(app_db: SyncDatabase, world: World) -> None:
    with app_db.session(world.a) as session:
        assert (
            session.execute(text("SELECT count(*) FROM tenants WHERE id = :a"), {"a": world.a}).scalar_one()
            == 1
        )
    # Same pool, maybe the same connection: the transaction-local setting is gone.
    with app_db.session(None) as session:
        assert session.execute(text("SELECT count(*) FROM tenants")).scalar_one() == 0


def test_installation_settings_are_read_by_all_but_written_only_with_bypass(
    app_db: SyncDatabase, world: World
) -> None:
    with pytest.raises(ProgrammingError, match="row-level security"), app_db.session(world.a) as session:
        session.execute(text("INSERT INTO system_settings (key, value) VALUES ('max_upload_mb', '1'::jsonb)"))
    with app_db.session(world.a) as session:
        session.execute(text("SELECT count(*) FROM system_settings")).scalar_one()


def test_app_role_owns_nothing_and_cannot_bypass_rls(admin_engine: Engine) -> None:
    with admin_engine.connect() as conn:
        role = conn.execute(
            text(
                "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = :r"
            ),
            {"r": APP_DB_ROLE},
        ).one()
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = :r"
            ),
            {"r": APP_DB_ROLE},
        ).scalar_one()
    assert tuple(role) == (False, False, False, False)
    assert owned == 0


def test_every_table_with_tenant_data_has_forced_rls_and_a_policy(admin_engine: Engine) -> None:
    """Grows with the schema: a new table with a tenant_id column must come with its policy."""
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r'
                  AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                               AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                       OR c.relname = 'tenants')
                """
            )
        ).all()
    assert {r.relname for r in rows} >= {t.name for t in TENANT_TABLES}
    unprotected = [r.relname for r in rows if not (r.relrowsecurity and r.relforcerowsecurity and r.policies)]
    assert unprotected == []


def test_tenant_id_is_not_null_everywhere_but_the_documented_exceptions(admin_engine: Engine) -> None:
    """Global admins (users), installation-wide audit entries and built-in workflows are the only
    rows without a tenant."""
    with admin_engine.connect() as conn:
        nullable = {
            r.table_name
            for r in conn.execute(
                text(
                    "SELECT table_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND column_name = 'tenant_id' AND is_nullable = 'YES'"
                )
            )
        }
    assert nullable == {"users", "audit_log", "workflows", "workflow_versions"}


def test_rows_without_tenant_are_visible_only_with_bypass(app_db: SyncDatabase, world: World) -> None:
    with app_db.session(BYPASS) as session:
        session.execute(
            text("INSERT INTO audit_log (tenant_id, channel, action) VALUES (NULL, 'alert', 'global')")
        )
    with app_db.session(world.a) as session:
        assert (
            session.execute(text("SELECT count(*) FROM audit_log WHERE tenant_id IS NULL")).scalar_one() == 0
        )
    with app_db.session(BYPASS) as session:
        assert (
            session.execute(text("SELECT count(*) FROM audit_log WHERE tenant_id IS NULL")).scalar_one() >= 1
        )

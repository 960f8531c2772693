"""Row-level security helpers shared by the migrations.

A tenant table's policy admits a row when the transaction's ``app.current_tenant_id`` is the
row's tenant, or ``bypass`` (global admins, system jobs). With no setting, no row is visible and
no row may be written. ``FORCE`` makes the policies bind the table owner too.
"""

from __future__ import annotations

from alembic import op

# Each function call is wrapped in a scalar sub-select so PostgreSQL evaluates it once per query
# (an InitPlan) instead of once per row, and can use it as an index condition.
SCOPE = "(SELECT current_setting('app.current_tenant_id', true))"
BYPASS = f"({SCOPE} = 'bypass')"
CURRENT_TENANT = "(SELECT automat_current_tenant())"


def tenant_predicate(column: str = "tenant_id") -> str:
    return f"({BYPASS} OR {column} = {CURRENT_TENANT})"


def enable(table: str, *, using: str, check: str | None = None, policy: str = "tenant_isolation") -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {policy} ON {table} USING ({using}) WITH CHECK ({check or using})")


def enable_tenant_table(table: str, column: str = "tenant_id") -> None:
    enable(table, using=tenant_predicate(column))


def disable(table: str, policy: str = "tenant_isolation") -> None:
    op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


# plpgsql rather than SQL: its plan is cached per connection, so the call costs microseconds.
CURRENT_TENANT_FUNCTION = """
CREATE OR REPLACE FUNCTION automat_current_tenant() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    scope text := current_setting('app.current_tenant_id', true);
BEGIN
    IF scope ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RETURN scope::uuid;
    END IF;
    RETURN NULL;
END
$$
"""

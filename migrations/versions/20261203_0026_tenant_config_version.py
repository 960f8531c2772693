"""A tenant admin changes their own tenant's config; a version number guards concurrent edits.

- ``tenants.config_version``: 1 for a new tenant, raised by one by the trigger below whenever
  ``tenant_config`` changes (whoever changes it: the tenant's own session, a global admin, a
  script). ``PATCH /api/tenant-config`` sends the version it edited and updates only while it is
  still that one (``WHERE config_version = :seen``): a stale edit changes nothing (409).
- RLS: tenants were written only under ``bypass``. A second, UPDATE-only policy lets a tenant's
  session update its own row (``id = automat_current_tenant()``, both before and after), and the
  trigger ``tenants_guard`` refuses any change by a non-bypass session to a column other than
  ``tenant_config``, ``config_version`` and ``updated_at`` (name, slug, is_active, id, and any
  column added later). INSERT stays bypass-only; another tenant's row stays invisible. The
  tenants policy (``FOR ALL USING`` the tenant's own row) let a tenant's session DELETE its own
  row; the trigger refuses that too (DELETE is the global admins', under bypass).

Revision ID: 0026_tenant_config_version
Revises: 0024_billing
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from automat.kit import rls

revision: str = "0026_tenant_config_version"
down_revision: str | None = "0024_billing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What a tenant's own session may change of its row; everything else is the global admins'.
GUARD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION automat_tenants_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF NOT {rls.BYPASS} THEN
            RAISE EXCEPTION 'only global admins delete tenants (row-level security of tenants)'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.tenant_config IS DISTINCT FROM OLD.tenant_config THEN
        NEW.config_version := OLD.config_version + 1;
    END IF;
    IF NOT {rls.BYPASS} AND
       (to_jsonb(NEW) - 'tenant_config' - 'config_version' - 'updated_at')
       IS DISTINCT FROM (to_jsonb(OLD) - 'tenant_config' - 'config_version' - 'updated_at') THEN
        RAISE EXCEPTION 'a tenant session may change only its own tenant_config (row-level security)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    op.add_column("tenants", sa.Column("config_version", sa.Integer, nullable=False, server_default="1"))
    op.execute(GUARD_FUNCTION)
    op.execute(
        "CREATE TRIGGER tenants_guard BEFORE UPDATE OR DELETE ON tenants "
        "FOR EACH ROW EXECUTE FUNCTION automat_tenants_guard()"
    )
    own = f"(id = {rls.CURRENT_TENANT})"
    op.execute(f"CREATE POLICY own_config_update ON tenants FOR UPDATE USING ({own}) WITH CHECK ({own})")


def downgrade() -> None:
    op.execute("DROP POLICY IF EXISTS own_config_update ON tenants")
    op.execute("DROP TRIGGER IF EXISTS tenants_guard ON tenants")
    op.execute("DROP FUNCTION IF EXISTS automat_tenants_guard()")
    op.drop_column("tenants", "config_version")

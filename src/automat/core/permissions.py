"""The permission matrix: one source of truth for who may do what.

Every route declares what it needs (``core.deps.require(Permission.X)``, ``Authenticated`` or
``Public``); the guards check this matrix, ``GET /api/auth/me`` sends a role's row to the UI, and
``tests/auth/test_permission_matrix.py`` calls every route of the OpenAPI schema as every role and
fails for a route that declares nothing. It lives in ``core`` (not in the ``auth`` domain) because
every domain's endpoints depend on it and ``auth`` itself imports domains (users, tenants).

Only roles are checked here; what a role may see of its tenant (clients: their own orders and
files) is the services' business.
"""

from __future__ import annotations

from enum import StrEnum

from automat.models.user import Role


class Permission(StrEnum):
    # global admins
    MANAGE_TENANTS = "manage_tenants"
    MANAGE_ALL_USERS = "manage_all_users"
    READ_DEV_MAILBOX = "read_dev_mailbox"  # the embedded default's maildir: every tenant's e-mail
    MANAGE_SYSTEM_SETTINGS = "manage_system_settings"  # installation values of the settings registry
    MANAGE_WORKERS = "manage_workers"  # the installation's workers, queues and their pools
    # tenant admins
    MANAGE_TENANT_USERS = "manage_tenant_users"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_MATERIALS = "manage_materials"
    MANAGE_OUTPUT_TYPES = "manage_output_types"
    MANAGE_WORKFLOWS = "manage_workflows"
    VIEW_ALERTS = "view_alerts"
    VIEW_AUDIT_LOG = "view_audit_log"
    RUN_ADMIN_ACTIONS = "run_admin_actions"
    MANAGE_INVOICES = "manage_invoices"  # price list, drafting, issuing, crediting
    # project managers
    MANAGE_PRODUCTS = "manage_products"
    MANAGE_CAD_FILES = "manage_cad_files"
    VIEW_MATERIALS = "view_materials"
    VIEW_RENDER_TEMPLATES = "view_render_templates"
    VIEW_WORKFLOWS = "view_workflows"
    VIEW_ACTIVITY = "view_activity"
    TRIGGER_RENDERS = "trigger_renders"
    VIEW_TENANT_ORDERS = "view_tenant_orders"
    REJECT_ORDERS = "reject_orders"
    DELETE_RENDERS = "delete_renders"
    VIEW_ANALYTICS = "view_analytics"
    VIEW_INVOICES = "view_invoices"
    # clients (and everyone above)
    CREATE_OWN_ORDERS = "create_own_orders"
    VIEW_OWN_ORDERS = "view_own_orders"


_CLIENT = {Permission.CREATE_OWN_ORDERS, Permission.VIEW_OWN_ORDERS}
_PM = _CLIENT | {
    Permission.MANAGE_PRODUCTS,
    Permission.MANAGE_CAD_FILES,
    Permission.VIEW_MATERIALS,
    Permission.VIEW_RENDER_TEMPLATES,
    Permission.VIEW_WORKFLOWS,
    Permission.VIEW_ACTIVITY,
    Permission.TRIGGER_RENDERS,
    Permission.VIEW_TENANT_ORDERS,
    Permission.REJECT_ORDERS,
    Permission.DELETE_RENDERS,
    Permission.VIEW_ANALYTICS,
    Permission.VIEW_INVOICES,
}
_TA = _PM | {
    Permission.MANAGE_TENANT_USERS,
    Permission.MANAGE_SETTINGS,
    Permission.MANAGE_MATERIALS,
    Permission.MANAGE_OUTPUT_TYPES,
    Permission.MANAGE_WORKFLOWS,
    Permission.VIEW_ALERTS,
    Permission.VIEW_AUDIT_LOG,
    Permission.RUN_ADMIN_ACTIONS,
    Permission.MANAGE_INVOICES,
}
_GA = _TA | {
    Permission.MANAGE_TENANTS,
    Permission.MANAGE_ALL_USERS,
    Permission.READ_DEV_MAILBOX,
    Permission.MANAGE_SYSTEM_SETTINGS,
    Permission.MANAGE_WORKERS,
}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.CLIENT: frozenset(_CLIENT),
    Role.PROJECT_MANAGER: frozenset(_PM),
    Role.TENANT_ADMIN: frozenset(_TA),
    Role.GLOBAL_ADMIN: frozenset(_GA),
}


def permissions_of(role: Role) -> list[str]:
    return sorted(p.value for p in MATRIX[role])


def allows(role: Role, permission: Permission) -> bool:
    return permission in MATRIX[role]


def roles_with(permission: Permission) -> list[Role]:
    """The roles that hold ``permission``, highest first."""
    return [
        role
        for role in (Role.GLOBAL_ADMIN, Role.TENANT_ADMIN, Role.PROJECT_MANAGER, Role.CLIENT)
        if permission in MATRIX[role]
    ]

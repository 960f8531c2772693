"""The permission matrix of the four roles (what the UI shows and the guards enforce)."""

from __future__ import annotations

from enum import StrEnum

from automat.models.user import Role


class Permission(StrEnum):
    MANAGE_TENANTS = "manage_tenants"
    MANAGE_ALL_USERS = "manage_all_users"
    MANAGE_TENANT_USERS = "manage_tenant_users"
    MANAGE_SETTINGS = "manage_settings"
    TRIGGER_RENDERS = "trigger_renders"
    VIEW_TENANT_ORDERS = "view_tenant_orders"
    REJECT_ORDERS = "reject_orders"
    DELETE_RENDERS = "delete_renders"
    VIEW_ANALYTICS = "view_analytics"
    CREATE_OWN_ORDERS = "create_own_orders"
    VIEW_OWN_ORDERS = "view_own_orders"


_CLIENT = {Permission.CREATE_OWN_ORDERS, Permission.VIEW_OWN_ORDERS}
_PM = _CLIENT | {
    Permission.TRIGGER_RENDERS,
    Permission.VIEW_TENANT_ORDERS,
    Permission.REJECT_ORDERS,
    Permission.DELETE_RENDERS,
    Permission.VIEW_ANALYTICS,
}
_TA = _PM | {Permission.MANAGE_TENANT_USERS, Permission.MANAGE_SETTINGS}
_GA = _TA | {Permission.MANAGE_TENANTS, Permission.MANAGE_ALL_USERS}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.CLIENT: frozenset(_CLIENT),
    Role.PROJECT_MANAGER: frozenset(_PM),
    Role.TENANT_ADMIN: frozenset(_TA),
    Role.GLOBAL_ADMIN: frozenset(_GA),
}


def permissions_of(role: Role) -> list[str]:
    return sorted(p.value for p in MATRIX[role])

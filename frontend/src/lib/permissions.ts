/**
 * The permissions of `GET /api/auth/me`, as named by the server's matrix
 * (src/automat/core/permissions.py). The UI hides what a role may not do; the API enforces it.
 */
export const PERMISSIONS = [
  "manage_tenants",
  "manage_all_users",
  "manage_system_settings",
  "manage_workers",
  "manage_tenant_users",
  "manage_settings",
  "manage_materials",
  "manage_output_types",
  "manage_workflows",
  "view_alerts",
  "view_audit_log",
  "run_admin_actions",
  "manage_invoices",
  "manage_products",
  "manage_cad_files",
  "view_materials",
  "view_render_templates",
  "view_workflows",
  "view_activity",
  "trigger_renders",
  "view_tenant_orders",
  "reject_orders",
  "delete_renders",
  "view_analytics",
  "view_invoices",
  "create_own_orders",
  "view_own_orders",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export type Role = "global_admin" | "tenant_admin" | "project_manager" | "client";

export const ROLE_LABELS: Record<Role, string> = {
  global_admin: "Global admin",
  tenant_admin: "Tenant admin",
  project_manager: "Project manager",
  client: "Client",
};

/** True when the permission list grants every one of `required`. */
export function hasPermissions(granted: readonly string[] | undefined, ...required: Permission[]): boolean {
  if (!granted) return false;
  return required.every((permission) => granted.includes(permission));
}

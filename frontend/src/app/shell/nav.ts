/**
 * The navigation, by permission (the server's matrix decides who sees what). Add an entry here
 * when a feature adds a top-level page; `anyOf: []` means every logged-in tenant user.
 *
 * Two groups: the sections people work in every day ("main", links in the header) and the
 * administration screens ("admin", behind the header's Admin menu, so the header stays one row on
 * a laptop however many admin screens there are). Labels are keys of the "shell" catalogue.
 */
import { hasPermissions } from "@/lib/permissions";
import type { Permission } from "@/lib/permissions";

export type NavPath =
  | "/orders"
  | "/media"
  | "/products"
  | "/cad"
  | "/workflows"
  | "/output-types"
  | "/materials"
  | "/admin/templates"
  | "/admin/positions"
  | "/admin/settings"
  | "/admin/tenant"
  | "/analytics"
  | "/admin/users"
  | "/admin/tenants"
  | "/admin/workers"
  | "/admin/actions"
  | "/admin/invoices";

export interface NavItem {
  to: NavPath;
  /** Key in the "shell" catalogue (`nav.<name>`). */
  label: string;
  group: "main" | "admin";
  /** Any one of these grants the item; empty = everyone. */
  anyOf: Permission[];
}

export const NAV_ITEMS: NavItem[] = [
  { to: "/cad", label: "nav.cad", group: "main", anyOf: ["trigger_renders"] },
  { to: "/products", label: "nav.products", group: "main", anyOf: [] },
  { to: "/orders", label: "nav.orders", group: "main", anyOf: ["view_tenant_orders", "view_own_orders"] },
  // Every rendered file the user may see (clients: of their own orders).
  { to: "/media", label: "nav.media", group: "main", anyOf: ["view_tenant_orders", "view_own_orders"] },
  { to: "/workflows", label: "nav.workflows", group: "main", anyOf: ["trigger_renders"] },
  { to: "/analytics", label: "nav.analytics", group: "main", anyOf: ["view_analytics"] },
  { to: "/output-types", label: "nav.outputTypes", group: "admin", anyOf: ["manage_settings"] },
  { to: "/materials", label: "nav.materials", group: "admin", anyOf: ["manage_materials"] },
  { to: "/admin/templates", label: "nav.templates", group: "admin", anyOf: ["manage_output_types"] },
  { to: "/admin/positions", label: "nav.positions", group: "admin", anyOf: ["manage_output_types"] },
  // The settings registry (installation values: global admins; overrides: tenant admins) and the
  // tenant's own config (a global admin's: of the picked tenant).
  { to: "/admin/settings", label: "nav.settings", group: "admin", anyOf: ["manage_settings"] },
  { to: "/admin/tenant", label: "nav.tenantSettings", group: "admin", anyOf: ["manage_settings"] },
  { to: "/admin/actions", label: "nav.adminActions", group: "admin", anyOf: ["run_admin_actions"] },
  // Tenant admins: their tenant's users; global admins: every tenant's, and the tenants themselves.
  { to: "/admin/users", label: "nav.users", group: "admin", anyOf: ["manage_tenant_users"] },
  { to: "/admin/tenants", label: "nav.tenants", group: "admin", anyOf: ["manage_tenants"] },
  { to: "/admin/workers", label: "nav.workers", group: "admin", anyOf: ["manage_workers"] },
  // Invoices and the price list: tenant admins manage them, project managers read them.
  { to: "/admin/invoices", label: "nav.invoices", group: "admin", anyOf: ["view_invoices"] },
];

export function navItemsFor(permissions: readonly string[] | undefined, group?: NavItem["group"]): NavItem[] {
  return NAV_ITEMS.filter(
    (item) =>
      (group === undefined || item.group === group) &&
      (item.anyOf.length === 0 || item.anyOf.some((permission) => hasPermissions(permissions, permission))),
  );
}

export function canOpen(path: NavPath, permissions: readonly string[] | undefined): boolean {
  return navItemsFor(permissions).some((item) => item.to === path);
}

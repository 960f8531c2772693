/**
 * The navigation, by permission (the server's matrix decides who sees what). Add an entry here
 * when a feature adds a top-level page; `permission: null` means every logged-in tenant user.
 */
import { hasPermissions } from "@/lib/permissions";
import type { Permission } from "@/lib/permissions";

export interface NavItem {
  to: "/orders" | "/media" | "/products" | "/cad" | "/workflows" | "/output-types" | "/materials";
  label: string;
  /** Any one of these grants the item; empty = everyone. */
  anyOf: Permission[];
}

export const NAV_ITEMS: NavItem[] = [
  { to: "/cad", label: "CAD library", anyOf: ["trigger_renders"] },
  { to: "/products", label: "Products", anyOf: [] },
  { to: "/orders", label: "Orders", anyOf: ["view_tenant_orders", "view_own_orders"] },
  // Every rendered file the user may see (clients: of their own orders).
  { to: "/media", label: "Media", anyOf: ["view_tenant_orders", "view_own_orders"] },
  { to: "/workflows", label: "Workflows", anyOf: ["trigger_renders"] },
  { to: "/output-types", label: "Output types", anyOf: ["manage_settings"] },
  { to: "/materials", label: "Materials", anyOf: ["manage_materials"] },
];

export function navItemsFor(permissions: readonly string[] | undefined): NavItem[] {
  return NAV_ITEMS.filter(
    (item) => item.anyOf.length === 0 || item.anyOf.some((permission) => hasPermissions(permissions, permission)),
  );
}

export function canOpen(path: NavItem["to"], permissions: readonly string[] | undefined): boolean {
  return navItemsFor(permissions).some((item) => item.to === path);
}

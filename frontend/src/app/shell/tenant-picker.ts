/**
 * The global admin's tenant picker, as data: the options, which pages need a tenant to act in,
 * and where a switch leads (a record of the old tenant is not the new tenant's: back to its list).
 */
import { i18n } from "@/i18n";
import type { Tenant } from "@/lib/session";

/** The value of the "All tenants" option (tenant ids are UUIDs). */
export const ALL_TENANTS = "all";

export interface PickerOption {
  value: string;
  label: string;
}

/** "All tenants", then every tenant by name; an inactive tenant says so. */
export function pickerOptions(tenants: readonly Tenant[]): PickerOption[] {
  const sorted = [...tenants].sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));
  return [
    { value: ALL_TENANTS, label: i18n.t("shell:allTenants") },
    ...sorted.map((tenant) => ({
      value: tenant.id,
      label: `${tenant.name} (${tenant.slug})${tenant.is_active ? "" : ` · ${i18n.t("shell:inactive")}`}`,
    })),
  ];
}

/** The pick for a value of the picker: a tenant id, or null for All tenants. */
export function pickOf(value: string): string | null {
  return value === ALL_TENANTS ? null : value;
}

/** Pages that create something in a tenant, and what they do (a key of `shell:tenantNeeded`). */
const TENANT_PAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/orders\/new$/, "order"],
  // The wizard of a draft searches the products of the tenant it acts in.
  [/^\/orders\/[^/]+\/edit$/, "editOrder"],
  [/^\/products\/import$/, "importProducts"],
  // Every maintenance action works on one tenant's files and renders (the API answers 422
  // tenant_required for All tenants).
  [/^\/admin\/actions$/, "adminActions"],
];

/** What the page at `path` does that needs a tenant, or null when it works for All tenants too. */
export function tenantAction(path: string): string | null {
  const clean = path.replace(/\/+$/, "");
  return TENANT_PAGES.find(([page]) => page.test(clean))?.[1] ?? null;
}

/**
 * Where to be after switching tenants on `path`: pages that work in any tenant stay; a record
 * (an order, a CAD file, an import) belongs to the tenant before, so its section's list opens.
 */
export function pathAfterSwitch(path: string): string {
  const clean = path.replace(/\/+$/, "") || "/";
  if (clean === "/orders/new" || clean === "/products/import") return clean; // a blank page: stays
  // An admin screen (/admin/users, /admin/tenants) is a list of its own: it stays.
  if (/^\/admin\/[^/]+/.test(clean)) return clean.split("/").slice(0, 3).join("/");
  const section = clean.split("/")[1] ?? "";
  return section ? `/${section}` : "/";
}

import { canOpen, navItemsFor } from "./nav";

// The permission lists of GET /api/auth/me per role (src/automat/core/permissions.py).
const CLIENT = ["create_own_orders", "view_own_orders"];
const PM = [
  ...CLIENT,
  "delete_renders",
  "manage_cad_files",
  "manage_products",
  "reject_orders",
  "trigger_renders",
  "view_activity",
  "view_analytics",
  "view_invoices",
  "view_materials",
  "view_render_templates",
  "view_tenant_orders",
  "view_workflows",
];
const TENANT_ADMIN = [
  ...PM,
  "manage_invoices",
  "manage_materials",
  "manage_output_types",
  "manage_settings",
  "manage_tenant_users",
  "manage_workflows",
  "run_admin_actions",
  "view_alerts",
  "view_audit_log",
];
const GLOBAL_ADMIN = [...TENANT_ADMIN, "manage_all_users", "manage_system_settings", "manage_tenants", "manage_workers", "read_dev_mailbox"];

const labels = (permissions: string[], group?: "main" | "admin") =>
  navItemsFor(permissions, group).map((item) => item.label.replace(/^nav\./, ""));

describe("navigation by role", () => {
  it("gives clients only Products, Orders and Media (of their own orders)", () => {
    expect(labels(CLIENT)).toEqual(["products", "orders", "media"]);
    expect(labels(CLIENT, "admin")).toEqual([]);
    expect(canOpen("/cad", CLIENT)).toBe(false);
    expect(canOpen("/analytics", CLIENT)).toBe(false);
    expect(canOpen("/admin/invoices", CLIENT)).toBe(false);
  });

  it("gives project managers and tenant admins the CAD library and the workflows too", () => {
    expect(labels(PM)).toEqual(["cad", "products", "orders", "media", "workflows", "analytics", "invoices"]);
    expect(labels(PM, "admin")).toEqual(["invoices"]);
    expect(canOpen("/workflows", CLIENT)).toBe(false);
  });

  it("gives tenant admins the output types (which workflow each runs), the materials and the maintenance actions in the Admin menu", () => {
    expect(labels(TENANT_ADMIN, "main")).toEqual(["cad", "products", "orders", "media", "workflows", "analytics"]);
    expect(labels(TENANT_ADMIN, "admin")).toEqual(["outputTypes", "materials", "templates", "positions", "settings", "tenantSettings", "adminActions", "users", "invoices"]);
    expect(canOpen("/admin/actions", PM)).toBe(false);
    expect(canOpen("/output-types", PM)).toBe(false);
    expect(canOpen("/materials", PM)).toBe(false);
    expect(canOpen("/admin/templates", PM)).toBe(false);
    expect(canOpen("/admin/positions", PM)).toBe(false);
    expect(canOpen("/admin/templates", TENANT_ADMIN)).toBe(true);
    expect(canOpen("/admin/users", PM)).toBe(false);
    expect(canOpen("/admin/tenants", TENANT_ADMIN)).toBe(false);
  });

  it("gives global admins the Users and the Tenants screens too", () => {
    expect(labels(GLOBAL_ADMIN, "admin")).toEqual(["outputTypes", "materials", "templates", "positions", "settings", "tenantSettings", "adminActions", "users", "tenants", "workers", "invoices"]);
  });

  it("gives tenant and global admins the settings screens, project managers not", () => {
    expect(canOpen("/admin/settings", TENANT_ADMIN)).toBe(true);
    expect(canOpen("/admin/tenant", TENANT_ADMIN)).toBe(true);
    expect(labels(GLOBAL_ADMIN, "admin")).toEqual(["outputTypes", "materials", "templates", "positions", "settings", "tenantSettings", "adminActions", "users", "tenants", "workers", "invoices"]);
    expect(canOpen("/admin/settings", PM)).toBe(false);
    expect(canOpen("/admin/tenant", PM)).toBe(false);
  });

  it("gives project managers the invoices to read and tenant admins to manage, clients not", () => {
    expect(canOpen("/admin/invoices", PM)).toBe(true);
    expect(canOpen("/admin/invoices", TENANT_ADMIN)).toBe(true);
    expect(canOpen("/admin/invoices", CLIENT)).toBe(false);
  });

  it("shows only the open sections while the session is unknown", () => {
    expect(labels([])).toEqual(["products"]);
  });
});

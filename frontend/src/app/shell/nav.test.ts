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
  "view_materials",
  "view_render_templates",
  "view_tenant_orders",
  "view_workflows",
];
const TENANT_ADMIN = [
  ...PM,
  "manage_materials",
  "manage_output_types",
  "manage_settings",
  "manage_tenant_users",
  "manage_workflows",
  "run_admin_actions",
  "view_alerts",
  "view_audit_log",
];

const labels = (permissions: string[]) => navItemsFor(permissions).map((item) => item.label);

describe("navigation by role", () => {
  it("gives clients only Products, Orders and Media (of their own orders)", () => {
    expect(labels(CLIENT)).toEqual(["Products", "Orders", "Media"]);
    expect(canOpen("/cad", CLIENT)).toBe(false);
  });

  it("gives project managers and tenant admins the CAD library and the workflows too", () => {
    expect(labels(PM)).toEqual(["CAD library", "Products", "Orders", "Media", "Workflows"]);
    expect(canOpen("/workflows", CLIENT)).toBe(false);
  });

  it("gives tenant admins the media, the output types (which workflow each runs) and the materials", () => {
    expect(labels(TENANT_ADMIN)).toEqual(["CAD library", "Products", "Orders", "Media", "Workflows", "Output types", "Materials"]);
    expect(canOpen("/output-types", PM)).toBe(false);
    expect(canOpen("/materials", PM)).toBe(false);
  });

  it("shows only the open sections while the session is unknown", () => {
    expect(labels([])).toEqual(["Products"]);
  });
});

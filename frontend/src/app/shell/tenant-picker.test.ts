import type { Tenant } from "@/lib/session";
import { ALL_TENANTS, pathAfterSwitch, pickOf, pickerOptions, tenantAction } from "./tenant-picker";

function tenant(id: string, name: string, slug: string, isActive = true): Tenant {
  return { id, name, slug, is_active: isActive, tenant_config: {}, created_at: "", updated_at: "" } as unknown as Tenant;
}

describe("the tenant picker", () => {
  it("offers All tenants first, then the tenants by name, an inactive one marked", () => {
    const options = pickerOptions([tenant("2", "Demo Bearings GmbH", "demo"), tenant("1", "ACME Industrial", "acme"), tenant("3", "Zeta", "zeta", false)]);
    expect(options).toEqual([
      { value: ALL_TENANTS, label: "All tenants" },
      { value: "1", label: "ACME Industrial (acme)" },
      { value: "2", label: "Demo Bearings GmbH (demo)" },
      { value: "3", label: "Zeta (zeta) · inactive" },
    ]);
    expect(pickOf(ALL_TENANTS)).toBeNull();
    expect(pickOf("1")).toBe("1");
  });

  it("knows the pages that need a tenant, and what they do", () => {
    expect(tenantAction("/orders/new")).toBe("order");
    expect(tenantAction("/orders/new/")).toBe("order");
    expect(tenantAction("/products/import")).toBe("importProducts");
    expect(tenantAction("/orders/5b7e/edit")).toBe("editOrder");
    expect(tenantAction("/admin/actions")).toBe("adminActions");
    expect(tenantAction("/admin/users")).toBeNull(); // a global admin lists every tenant's users
    expect(tenantAction("/orders")).toBeNull();
    expect(tenantAction("/cad")).toBeNull(); // the library lists; its upload panel says so itself
    expect(tenantAction("/products/imports/abc")).toBeNull();
  });

  it("leaves a record of the tenant before for its section's list after a switch", () => {
    expect(pathAfterSwitch("/orders/5b7e")).toBe("/orders");
    expect(pathAfterSwitch("/cad/5b7e")).toBe("/cad");
    expect(pathAfterSwitch("/products/imports/5b7e")).toBe("/products");
    expect(pathAfterSwitch("/orders")).toBe("/orders");
    expect(pathAfterSwitch("/orders/new")).toBe("/orders/new");
    expect(pathAfterSwitch("/orders/5b7e/edit")).toBe("/orders"); // the draft is the tenant's before
    expect(pathAfterSwitch("/products/import")).toBe("/products/import");
    expect(pathAfterSwitch("/")).toBe("/");
    expect(pathAfterSwitch("/admin/users")).toBe("/admin/users"); // an admin screen stays
    expect(pathAfterSwitch("/admin/tenants/")).toBe("/admin/tenants");
  });
});

/**
 * A global admin and tenants: "All tenants" is a read-only overview with a tenant column; picking
 * a tenant (kept across a reload) makes every action act in it: upload a STEP file and order there.
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { apiCall, apiOutputType, apiToken, apiUploadStep } from "./api";
import { DEMO_PASSWORD, login, openAdmin, shot, stepFixture } from "./support";

const RUN = Date.now().toString(36);
const SCREW = stepFixture("screw_m6x12_countersunk.step");

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

interface Product {
  id: string;
  pim_id: string;
  tenant_id: string;
}

const picker = (page: Page) => page.getByRole("combobox", { name: "Tenant" });

test("a global admin overviews all tenants, picks acme, uploads a STEP file and orders there", async ({ page, request }) => {
  test.setTimeout(4 * 60_000);
  // One product and a draft order in each demo tenant, made by their project managers.
  const demoPm = await apiToken(request, "pm@demo.local");
  const acmePm = await apiToken(request, "pm@acme.local");
  const demoProduct = await apiCall<Product>(request, demoPm, "post", "/api/products", {
    pim_id: `GA-DEMO-${RUN}`,
    name: `Demo bearing ${RUN}`,
  });
  await apiCall(request, demoPm, "post", "/api/orders", {
    title: `Demo order ${RUN}`,
    product_ids: [demoProduct.id],
    output_type_ids: [(await apiOutputType(request, demoPm, "Thumbnail")).id],
  });
  const demoFile = `ga-demo-${RUN}.step`;
  await apiUploadStep(request, demoPm, SCREW, { name: demoFile, salt: `demo ${RUN}` });
  const acmeProduct = await apiCall<Product>(request, acmePm, "post", "/api/products", {
    pim_id: `GA-ACME-${RUN}`,
    name: `Acme screw ${RUN}`,
  });

  await login(page, "admin@automat.local");
  await expect(page).toHaveURL(/\/cad$/);
  await expect(picker(page)).toHaveValue("all");
  await expect(picker(page).locator("option:checked")).toHaveText("All tenants");

  // All tenants: a read-only overview. Nothing to upload into…
  await expect(page.getByTestId("cad-file-input")).toHaveCount(0);
  await expect(page.getByText("Pick a tenant to upload")).toBeVisible();
  const files = page.getByRole("table", { name: "CAD files" });
  await expect(files.getByRole("columnheader", { name: "Tenant" })).toBeAttached();
  await expect(files.getByRole("row").filter({ hasText: demoFile })).toContainText("Demo Bearings GmbH");

  // …products of both tenants, each with its tenant…
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Products" }).click();
  const products = page.getByRole("table", { name: "Products" });
  await expect(products.getByRole("columnheader", { name: "Tenant" })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search products" }).fill(RUN);
  await expect(products.getByRole("row").filter({ hasText: `GA-DEMO-${RUN}` })).toContainText("Demo Bearings GmbH");
  await expect(products.getByRole("row").filter({ hasText: `GA-ACME-${RUN}` })).toContainText("ACME Industrial");
  await expect(page.getByRole("button", { name: "Import from Excel" })).toBeDisabled();
  await expect(page.getByText("Pick a tenant to import products")).toBeVisible();
  await shot(page, "ga-all-tenants-products");

  // …and orders with their tenant on the card; ordering needs a tenant.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
  const demoCard = page.getByTestId("order-card").filter({ hasText: `Demo order ${RUN}` });
  await expect(demoCard).toContainText("Demo Bearings GmbH");
  await expect(page.getByRole("button", { name: "New order" })).toBeDisabled();
  await expect(page.getByText("Pick a tenant to order")).toBeVisible();
  await shot(page, "ga-all-tenants-orders");
  // Maintenance actions work on one tenant's files: the page asks for a tenant first.
  await openAdmin(page, "Maintenance actions");
  await expect(page.getByTestId("tenant-needed")).toContainText("Pick a tenant to run maintenance actions");
  await page.goto("/orders/new");
  await expect(page.getByTestId("tenant-needed")).toContainText("Pick a tenant to order");

  // Pick acme: the choice is shown and survives a reload.
  await picker(page).selectOption({ label: "ACME Industrial (acme)" });
  await expect(page.getByTestId("tenant-needed")).toHaveCount(0);
  await page.reload();
  await expect(picker(page).locator("option:checked")).toHaveText("ACME Industrial (acme)");

  // Lists now show acme only, without a tenant column.
  await page.goto("/products");
  await page.getByRole("searchbox", { name: "Search products" }).fill(RUN);
  await expect(products.getByRole("row").filter({ hasText: `GA-ACME-${RUN}` })).toBeVisible();
  await expect(products.getByRole("row").filter({ hasText: `GA-DEMO-${RUN}` })).toHaveCount(0);
  await expect(products.getByRole("columnheader", { name: "Tenant" })).toHaveCount(0);

  // Upload a STEP file: it lands in acme.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "CAD library" }).click();
  const name = `ga-${RUN}.step`;
  await page.getByTestId("cad-file-input").setInputFiles({
    name,
    mimeType: "application/octet-stream",
    buffer: Buffer.concat([Buffer.from(`/* ${RUN} */\n`), await readFile(SCREW)]),
  });
  const uploaded = page.getByTestId("cad-upload-item").filter({ hasText: name });
  await expect(uploaded).toHaveAttribute("data-state", "done", { timeout: 30_000 });
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  // Newest first: a file just uploaded is on the first page.
  const acmeFiles = await apiCall<{ items: Array<{ id: string; original_name: string }> }>(request, acmePm, "get", "/api/cad-files?page_size=200");
  const file = acmeFiles.items.find((f) => f.original_name === name);
  expect(file, "the upload is among acme's files").toBeDefined();
  const demoFiles = await apiCall<{ items: Array<{ original_name: string }> }>(request, demoPm, "get", "/api/cad-files?page_size=200");
  expect(demoFiles.items.map((file) => file.original_name)).not.toContain(name);
  // The library lists acme's files only, without a tenant column.
  await expect(files.getByRole("columnheader", { name: "Tenant" })).toHaveCount(0);
  await expect(files.getByRole("row").filter({ hasText: demoFile })).toHaveCount(0);
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "ready", { timeout: 120_000 });
  await shot(page, "ga-acme-cad");
  // Acme's project manager makes a product of it, to order.
  const orderable = await apiCall<Product>(request, acmePm, "post", "/api/products", {
    pim_id: `GA-ACME-CAD-${RUN}`,
    name: `Acme screw with CAD ${RUN}`,
    cad_file_id: file?.id,
  });

  // Order in acme with the wizard. The board is acme's: demo's order is not on it.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
  await expect(page.getByTestId("kanban")).toBeVisible();
  await expect(page.getByTestId("order-card").filter({ hasText: `Demo order ${RUN}` })).toHaveCount(0);
  await page.getByRole("link", { name: "New order" }).click();
  await expect(page).toHaveURL(/\/orders\/new$/);
  await page.getByRole("searchbox", { name: "Search by name or PIM id" }).fill(orderable.pim_id);
  await page.getByRole("group", { name: "Products found" }).getByRole("checkbox", { name: new RegExp(orderable.pim_id) }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("group", { name: "Output types" }).getByRole("checkbox", { name: /^Thumbnail/ }).first().check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Title").fill(`GA order ${RUN}`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "draft");
  await shot(page, "ga-acme-order");

  // The order is acme's: its project manager sees it, demo's does not.
  const acmeOrders = await apiCall<{ items: Array<{ title: string; tenant_id: string }> }>(request, acmePm, "get", "/api/orders");
  const order = acmeOrders.items.find((o) => o.title === `GA order ${RUN}`);
  expect(order?.tenant_id).toBe(acmeProduct.tenant_id);
  const demoOrders = await apiCall<{ items: Array<{ title: string }> }>(request, demoPm, "get", "/api/orders");
  expect(demoOrders.items.map((o) => o.title)).not.toContain(`GA order ${RUN}`);

  // Back to All tenants: the overview again.
  await picker(page).selectOption("all");
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId("order-card").filter({ hasText: `GA order ${RUN}` })).toContainText("ACME Industrial");

  // Still in All tenants, an acme product's CAD picker offers acme's files only, not demo's
  // `ga-demo-…` that the same search finds too; linking one works.
  await page.goto(`/products/${acmeProduct.id}`);
  await page.getByRole("button", { name: "Link a CAD file" }).click();
  const cadPicker = page.getByRole("dialog", { name: "Link a CAD file" });
  await cadPicker.getByRole("checkbox").check(); // every state: demo's file may still be converting
  await cadPicker.getByRole("searchbox", { name: "Search CAD files" }).fill(`ga ${RUN}`);
  const offered = cadPicker.getByRole("list", { name: "CAD files" }).getByRole("listitem");
  await expect(offered).toHaveCount(1);
  await expect(offered).toContainText(name);
  await shot(page, "ga-all-tenants-cad-picker");
  await cadPicker.getByRole("button", { name: `Link ${name}` }).click();
  await expect(page.getByTestId("product-cad")).toContainText(name);
});

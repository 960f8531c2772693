/**
 * Invoices (issue 18): a tenant admin of the demo tenant, billed per order, drafts the invoice of a
 * completed order (rendered by the workers) on the Invoices page, issues it (it gets its number),
 * downloads its PDF and CSV, and cancels it by a credit note; a project manager reads the invoice
 * but has no action to take.
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { apiCadReady, apiCall, apiToken, apiUploadStep, apiSmallThumbnailType } from "./api";
import { DEMO_PASSWORD, login, openAdmin, shot, stepFixture } from "./support";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const RUN = Date.now().toString(36);
const RENDER_TIMEOUT = 180_000;

interface TenantConfig {
  version: number;
  tenant_config: { billing_mode: string; invoice_prefix: string };
}

let previousMode: string | null = null;

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

async function setBillingMode(request: APIRequestContext, admin: string, mode: string): Promise<TenantConfig> {
  const current = await apiCall<TenantConfig>(request, admin, "get", "/api/tenant-config");
  if (current.tenant_config.billing_mode === mode) return current;
  return apiCall<TenantConfig>(request, admin, "patch", "/api/tenant-config", { version: current.version, config: { billing_mode: mode } });
}

test.afterAll(async ({ request }) => {
  if (previousMode && previousMode !== "per_order") {
    await setBillingMode(request, await apiToken(request, "admin@demo.local"), previousMode);
  }
});

/** A completed order of the demo tenant: one line rendered by the workers. */
async function completedOrder(request: APIRequestContext, admin: string): Promise<{ id: string; number: string }> {
  const bearing = await apiUploadStep(request, admin, BEARING);
  await apiCadReady(request, admin, bearing.id, RENDER_TIMEOUT);
  const product = await apiCall<{ id: string }>(request, admin, "post", "/api/products", {
    pim_id: `E2E-BILL-${RUN}`,
    name: `E2E billing ${RUN}`,
    cad_file_id: bearing.id,
  });
  const draft = await apiCall<{ id: string; number: string }>(request, admin, "post", "/api/orders", {
    title: `E2E billing ${RUN}`,
    product_ids: [product.id],
    output_type_ids: [await apiSmallThumbnailType(request, admin)],
  });
  await apiCall(request, admin, "post", `/api/orders/${draft.id}/submit`);
  await expect
    .poll(async () => (await apiCall<{ status: string }>(request, admin, "get", `/api/orders/${draft.id}`)).status, {
      timeout: RENDER_TIMEOUT,
      intervals: [1000, 2000],
    })
    .toBe("completed");
  return draft;
}

test("a tenant admin invoices a completed order, downloads it and credits it; a project manager only reads", async ({ page, request, browser }) => {
  test.setTimeout(5 * 60_000);
  const admin = await apiToken(request, "admin@demo.local");
  const before = await apiCall<TenantConfig>(request, admin, "get", "/api/tenant-config");
  previousMode = before.tenant_config.billing_mode;
  const config = await setBillingMode(request, admin, "per_order");
  const prefix = config.tenant_config.invoice_prefix;
  const order = await completedOrder(request, admin);

  await login(page, "admin@demo.local");
  await openAdmin(page, "Invoices");
  await expect(page).toHaveURL(/\/admin\/invoices$/);
  await expect(page.getByRole("heading", { name: "Invoices", level: 1 })).toBeVisible();

  // Draft the order's invoice: the dialog offers the completed orders (the tenant bills per order).
  await page.getByRole("button", { name: "Draft invoice", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("billed per order");
  await dialog.getByTestId("draft-order").selectOption(order.id);
  await dialog.getByRole("button", { name: "Draft", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/invoices\/[0-9a-f-]{36}$/);
  const invoiceUrl = page.url();
  await expect(page.getByTestId("invoice-number")).toHaveText("(draft)");
  await expect(page.getByRole("link", { name: order.number })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Thumbnail 64" })).toBeVisible();

  // Issue: confirmed in a dialog, then numbered <prefix>-<year>-<seq> and frozen.
  await page.getByRole("button", { name: "Issue", exact: true }).click();
  await expect(page.getByRole("dialog")).toContainText("can no longer be changed");
  await page.getByTestId("confirm-action").click();
  const year = new Date().getUTCFullYear();
  const numberPattern = new RegExp(`^${prefix}-${year}-\\d+$`);
  await expect(page.getByTestId("invoice-number")).toHaveText(numberPattern);
  const number = (await page.getByTestId("invoice-number").textContent()) ?? "";
  await expect(page.getByRole("button", { name: "Issue", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete draft", exact: true })).toHaveCount(0);
  await shot(page, "billing-issued");

  // The PDF and the CSV, saved under the server's names.
  const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download PDF" }).click()]);
  const pdfBytes = await readFile((await pdf.path()) ?? "");
  expect(pdfBytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  const csvText = (await readFile((await csv.path()) ?? "")).toString("utf8");
  const csvLines = csvText.trim().split(/\r?\n/);
  expect(csvLines.length).toBeGreaterThanOrEqual(2);
  expect(csvLines.some((line) => line.includes(order.number) && line.includes("Thumbnail 64"))).toBe(true);

  // The list shows it with its number.
  await page.getByRole("link", { name: "All invoices" }).click();
  await expect(page.locator(`[data-invoice="${number}"]`).first()).toContainText("Issued");

  // A credit note cancels it; the two link to each other.
  await page.goto(invoiceUrl);
  await page.getByRole("button", { name: "Create credit note", exact: true }).click();
  await page.getByTestId("confirm-action").click();
  await expect(page.getByRole("heading", { name: /^Credit note / })).toBeVisible();
  await expect(page.getByTestId("invoice-number")).toHaveText(numberPattern);
  await expect(page.getByTestId("invoice-number")).not.toHaveText(number);
  await expect(page.getByTestId("related-invoice")).toHaveText(`Credit note for invoice ${number}`);
  await page.getByTestId("related-invoice").click();
  await expect(page).toHaveURL(invoiceUrl);
  await expect(page.getByTestId("related-invoice")).toContainText("Cancelled by credit note");
  await expect(page.getByRole("button", { name: "Create credit note", exact: true })).toHaveCount(0);
  await shot(page, "billing-credited");

  // A project manager reads the invoice, with no actions.
  const context = await browser.newContext();
  const pm = await context.newPage();
  await login(pm, "pm@demo.local");
  await openAdmin(pm, "Invoices");
  await expect(pm.locator(`[data-invoice="${number}"]`).first()).toBeVisible();
  await expect(pm.getByRole("button", { name: "Draft invoice", exact: true })).toHaveCount(0);
  await pm.locator(`[data-invoice="${number}"]`).first().click();
  await expect(pm.getByTestId("invoice-number")).toHaveText(number);
  await expect(pm.getByText("You can read invoices")).toBeVisible();
  await expect(pm.getByRole("button", { name: "Create credit note", exact: true })).toHaveCount(0);
  await expect(pm.getByRole("button", { name: "Issue", exact: true })).toHaveCount(0);
  await context.close();
});

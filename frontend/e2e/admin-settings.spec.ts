/**
 * The settings screens: a tenant admin reads the help of a tenant setting (the registry's own
 * text), changes it, sees it kept and in the audit trail, and gets a refused value explained at
 * the field; a global admin changes an installation value and resets it to the default; a project
 * manager sees neither screen and the API refuses them.
 */
import { expect, test } from "@playwright/test";
import { apiToken } from "./api";
import { DEMO_PASSWORD, login, navLabels, openAdmin, shot } from "./support";

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

interface HelpEntry {
  title: string;
  body: string;
  affects: string[];
  range: string | null;
}

test("a tenant admin changes a tenant setting, with its help, the audit trail and an inline error", async ({ page, request }) => {
  test.setTimeout(90_000);
  const token = await apiToken(request, "admin@demo.local");
  const help = await request.get("/api/help", { headers: { Authorization: `Bearer ${token}` } });
  expect(help.status()).toBe(200);
  const entry = ((await help.json()) as { entries: Record<string, HelpEntry> }).entries["tenant.max_concurrent_renders"]!;

  await login(page, "admin@demo.local");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await openAdmin(page, "Tenant settings");
  await expect(page).toHaveURL(/\/admin\/tenant$/);
  await expect(page.getByRole("heading", { name: "Tenant settings", level: 1 })).toBeVisible();

  const field = page.locator('[data-field="max_concurrent_renders"]');
  await field.getByRole("button", { name: `Help: ${entry.title}` }).focus();
  const tooltip = field.getByRole("tooltip");
  await expect(tooltip).toBeVisible();
  await expect(tooltip.locator(".help-tip__title")).toHaveText(entry.title);
  await expect(tooltip.locator(".help-tip__body")).toHaveText(entry.body);
  await expect(tooltip).toContainText(`Affects: ${entry.affects.join(", ")}`);
  await expect(tooltip).toContainText(`Range: ${entry.range}`);
  await shot(page, "admin-settings-tenant-tooltip");
  await page.keyboard.press("Escape");

  const input = page.getByLabel("Max concurrent renders", { exact: true });
  const before = await input.inputValue();
  expect(before).not.toBe("2");
  await input.fill("2");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Tenant settings saved")).toBeVisible();

  await page.reload();
  await expect(page.getByLabel("Max concurrent renders", { exact: true })).toHaveValue("2");
  const trail = page.getByTestId("audit-tenant_config");
  const row = trail.getByTestId("audit-row").filter({ hasText: "max_concurrent_renders" }).first();
  await expect(row).toContainText(`${before} → 2`);
  await expect(row).toContainText("admin@demo.local");

  await page.getByLabel("Max concurrent renders", { exact: true }).fill("999");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(field.getByRole("alert")).toHaveText(`Not accepted. Allowed: ${entry.range}.`);
  await expect(page.getByLabel("Max concurrent renders", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await shot(page, "admin-settings-tenant-invalid");
  await page.reload();
  await expect(page.getByLabel("Max concurrent renders", { exact: true })).toHaveValue("2");
});

test("a global admin changes an installation value and resets it to the default", async ({ page }) => {
  test.setTimeout(90_000);
  await login(page, "admin@automat.local");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await openAdmin(page, "Settings");
  await expect(page).toHaveURL(/\/admin\/settings$/);

  const row = page.locator('[data-setting="render_default_samples"]');
  await expect(row.getByTestId("default")).toHaveText("64");
  await expect(row.getByTestId("installation")).toHaveText("not set");
  const editor = row.locator('form[data-scope="installation"]');
  await editor.getByLabel("Installation value").fill("96");
  await editor.getByRole("button", { name: "Save", exact: true }).click();
  await expect(row.getByTestId("installation")).toHaveText("96");
  await expect(row.getByTestId("effective")).toHaveText("96");
  await shot(page, "admin-settings-global");

  await editor.getByRole("button", { name: "Reset to default", exact: true }).click();
  await expect(row.getByTestId("installation")).toHaveText("not set");
  await expect(row.getByTestId("effective")).toHaveText("64");
  const trail = page.getByTestId("audit-setting").getByTestId("audit-row").filter({ hasText: "render_default_samples" });
  await expect(trail.first()).toContainText("96 → removed");
  await expect(trail.nth(1)).toContainText("— → 96");

  await editor.getByLabel("Installation value").fill("0");
  await editor.getByRole("button", { name: "Save", exact: true }).click();
  await expect(editor.getByRole("alert")).toHaveText("Not accepted: enter a value from 1 to 4,096.");
});

test("a project manager has no settings screens and the API refuses them", async ({ page, request }) => {
  await login(page, "pm@demo.local");
  expect(await navLabels(page)).toContain("Products");
  // Their Admin menu holds only the invoices they may read.
  await page.getByRole("button", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Administration" }).getByRole("link")).toHaveText(["Invoices"]);
  await page.goto("/admin/tenant");
  await expect(page).not.toHaveURL(/\/admin\//);
  const token = await apiToken(request, "pm@demo.local");
  const headers = { Authorization: `Bearer ${token}` };
  for (const response of [
    await request.get("/api/settings", { headers }),
    await request.get("/api/tenant-config", { headers }),
    await request.patch("/api/tenant-config", { headers, data: { version: 1, config: { max_concurrent_renders: 2 } } }),
    await request.put("/api/settings/render_default_samples/installation", { headers, data: { value: 8 } }),
  ]) {
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("insufficient_role");
  }
});

/**
 * The dead end new users hit first, fixed where they meet it: the timing pulley's only part
 * matches no material alias, so its thumbnail is magenta. The tenant admin opens the file, clicks
 * "Assign material" on the magenta row, picks a material, chooses the pattern made from the part
 * name, sees what it would change, saves, and the file is rendered again by the real worker and
 * Blender: the row has the material and the new thumbnail has no magenta left. A project manager
 * sees the magenta row but no button (assigning materials is the tenant admin's).
 */
import { expect, test } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { DEMO_PASSWORD, login, logout, openAdmin, shot, stepFixture } from "./support";

const PULLEY = stepFixture("pulley_at3_t10_center.STEP");
const STEEL = "SCHAEFFLER_010101_Steel-Bare";

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

/** The share of the thumbnail's visible pixels that are magenta (the fallback material). */
async function magentaShare(thumbnail: Locator): Promise<number> {
  return thumbnail.evaluate(async (element) => {
    const image = element as HTMLImageElement;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext("2d");
    if (!context) return -1;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let visible = 0;
    let magenta = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
      if (a < 128) continue;
      visible++;
      if (r > 120 && b > 120 && g < 0.6 * Math.min(r, b)) magenta++;
    }
    return visible ? magenta / visible : -1;
  });
}

async function waitReady(page: Page): Promise<void> {
  await expect(page.locator(".cad-detail__thumb [data-thumbnail-state]")).toHaveAttribute("data-thumbnail-state", "ready", {
    timeout: 180_000,
  });
}

test("a tenant admin gives a magenta part a material and the thumbnail is rendered without magenta", async ({ page, browser }) => {
  test.setTimeout(420_000);
  await login(page, "admin@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.getByTestId("cad-file-input").setInputFiles([PULLEY]);
  const row = page.getByRole("row").filter({ hasText: "pulley_at3_t10_center.STEP" });
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "ready", { timeout: 180_000 });
  await row.getByRole("link", { name: "pulley_at3_t10_center.STEP" }).click();
  await expect(page).toHaveURL(/\/cad\/[0-9a-f-]{36}$/);
  const detailUrl = page.url();
  await waitReady(page);

  const materials = page.getByTestId("cad-materials");
  const magentaRow = materials.getByRole("row").filter({ has: page.locator(".cad-reason--fallback") });
  await expect(magentaRow).toHaveCount(1);
  const partName = (await magentaRow.locator(".cad-part-name").textContent())?.trim() ?? "";
  expect(partName).not.toBe("");
  const thumbnail = page.locator(".cad-detail__thumb").getByTestId("cad-thumbnail");
  expect(await magentaShare(thumbnail), "the unmatched part renders magenta").toBeGreaterThan(0.2);
  await shot(page, "assign-material-before");

  // A project manager sees the same magenta row, without the button.
  const pmContext = await browser.newContext({ baseURL: new URL(detailUrl).origin });
  const pmPage = await pmContext.newPage();
  await login(pmPage, "pm@demo.local");
  await expect(pmPage).toHaveURL(/\/cad$/);
  await pmPage.goto(detailUrl);
  await expect(pmPage.getByTestId("cad-materials").locator(".cad-reason--fallback")).toHaveCount(1);
  await expect(pmPage.getByRole("button", { name: "Assign material" })).toHaveCount(0);
  await pmContext.close();

  await magentaRow.getByRole("button", { name: "Assign material" }).click();
  const dialog = page.getByRole("dialog", { name: `Assign a material to “${partName}”` });
  await expect(dialog).toBeVisible();
  // The "?" beside "Parts it applies to" reads the help registry (GET /api/help).
  const help = dialog.getByRole("button", { name: "Help: Parts it applies to" });
  await help.focus();
  await expect(dialog.getByRole("tooltip")).toContainText("Instance numbers like Ball_13 or Ball.001 count as Ball.");
  await page.keyboard.press("Escape");
  await expect(dialog.getByRole("tooltip")).toHaveCount(0);
  await expect(dialog).toBeVisible(); // Escape closed the tooltip, not the dialog
  await dialog.getByLabel("Material", { exact: true }).selectOption(STEEL);
  await expect(dialog.getByTestId("assign-swatch")).not.toHaveCSS("background-color", "rgba(0, 0, 0, 0)");
  const prefix = `${partName.split("_")[0]}*`;
  await dialog.getByRole("radio", { name: new RegExp(`^${prefix.replace("*", "\\*")}`) }).check();
  await expect(dialog.getByTestId("assign-preview-here")).toContainText(`1 part name would get ${STEEL}: ${partName}`);
  await expect(dialog.getByTestId("assign-preview-others")).toBeVisible();
  await shot(page, "assign-material-dialog");
  await dialog.getByRole("button", { name: "Save and re-render" }).click();
  await expect(dialog).toHaveCount(0);

  // Processed again: the part has the material, and the new thumbnail has no magenta.
  await expect(materials.locator(".cad-reason--fallback")).toHaveCount(0, { timeout: 180_000 });
  const fixedRow = materials.getByRole("row").filter({ hasText: partName });
  await expect(fixedRow).toContainText(STEEL);
  await expect(fixedRow).toContainText("Pattern");
  await waitReady(page);
  await expect.poll(async () => magentaShare(thumbnail), { timeout: 60_000 }).toBeLessThan(0.01);
  await shot(page, "assign-material-after");
});

test("a tenant admin tests part names and adds an alias on the Materials page; a project manager has no such page", async ({ page }) => {
  await login(page, "admin@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await openAdmin(page, "Materials");
  await expect(page.getByRole("heading", { name: "Materials and aliases" })).toBeVisible();
  const library = page.getByRole("table", { name: "Material library" });
  await expect(library.getByRole("row").filter({ hasText: STEEL })).toHaveCount(1);

  // What would a part get now? The default aliases give the rings steel; an unknown name is magenta.
  const pattern = `Widget_${Date.now()}`;
  await page.getByLabel("Part names").fill(`Outer_Ring, ${pattern}`);
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const results = page.getByTestId("part-preview");
  await expect(results.locator("li").filter({ hasText: "Outer_Ring" })).toContainText(STEEL);
  await expect(results.locator("li").filter({ hasText: pattern })).toHaveAttribute("data-reason", "fallback");

  // An exact alias for the unknown name, then the same test says alias.
  const form = page.getByRole("form", { name: "Add an alias" });
  await form.getByLabel("Pattern").fill(pattern);
  await form.getByLabel("Material for the alias").selectOption(STEEL);
  await form.getByRole("button", { name: "Add alias" }).click();
  await expect(page.getByRole("table", { name: /^Aliases/ }).getByRole("row").filter({ hasText: pattern })).toHaveCount(1);
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expect(results.locator("li").filter({ hasText: pattern })).toHaveAttribute("data-reason", "alias");
  await shot(page, "materials-page");

  await logout(page);
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  // Their Admin menu holds only the invoices they may read.
  await page.getByRole("button", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Administration" }).getByRole("link")).toHaveText(["Invoices"]);
});

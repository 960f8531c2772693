/**
 * Maintenance actions: a tenant admin opens the Admin menu's "Maintenance actions", sees each
 * action with its expected duration, runs "Regenerate thumbnails" for the demo tenant's CAD files,
 * confirms what it will touch ("Regenerates 2 thumbnails."), watches the live progress bar and
 * finds the job in the history, succeeded with both files done (real worker and Blender).
 */
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, login, openAdmin, shot, stepFixture } from "./support";

const FILES = ["screw_m6x12_countersunk.step", "bearing_20x37x9__freecad_ap214.stp"];

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

test("a tenant admin regenerates the thumbnails and watches the job finish", async ({ page }) => {
  test.setTimeout(420_000);
  await login(page, "admin@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.getByTestId("cad-file-input").setInputFiles(FILES.map(stepFixture));
  for (const name of FILES) {
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "ready", { timeout: 240_000 });
  }

  await openAdmin(page, "Maintenance actions");
  await expect(page).toHaveURL(/\/admin\/actions$/);
  await expect(page.getByRole("heading", { name: "Maintenance actions" })).toBeVisible();
  const card = page.getByRole("region", { name: "Regenerate thumbnails" });
  await expect(card.getByTestId("estimate-regenerate_thumbnails")).toContainText("2 thumbnails");
  await expect(card.getByRole("button", { name: "Help: Regenerate thumbnails" })).toBeVisible();
  await shot(page, "admin-actions");

  await card.getByRole("button", { name: "Run…" }).click();
  const dialog = page.getByRole("dialog", { name: "Regenerate thumbnails" });
  await expect(dialog.getByTestId("confirm-touch")).toContainText("Regenerates 2 thumbnails.");
  await expect(dialog.getByTestId("confirm-touch")).toContainText("Expected: ≈");
  await dialog.getByRole("button", { name: "Start" }).click();
  await expect(dialog).toBeHidden();

  // Live progress while it runs (from the admin_job events), then the finished job in the history.
  await expect(card.getByRole("status", { name: "Progress" })).toBeVisible();
  await shot(page, "admin-actions-running");
  const history = page.getByRole("region", { name: "Past jobs" });
  const row = history.getByRole("row").filter({ hasText: "Regenerate thumbnails" });
  await expect(row).toContainText("Succeeded", { timeout: 240_000 });
  await expect(row).toContainText("2 done, 0 failed of 2");
  await expect(card.getByRole("status", { name: "Progress" })).toBeHidden();
  await expect(card.getByRole("button", { name: "Run…" })).toBeVisible();
  await shot(page, "admin-actions-done");
});

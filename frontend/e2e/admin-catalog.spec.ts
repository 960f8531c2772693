/**
 * The render catalogue's admin screens, as a tenant admin uses them: drags an alias to a new
 * place on the Materials page (by mouse, then by keyboard; the order survives a reload), resets
 * the aliases to the defaults after the dialog showed what would change, uploads a .blend
 * template (made here with the project's bpy, in a temp folder) and reads what the render host
 * found in it, adds a custom camera position and sees where its camera is, and edits an output
 * type's samples after reading the field's help. A project manager cannot open these screens.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { DEMO_PASSWORD, login, openAdmin, shot } from "./support";

const PYTHON = fileURLToPath(new URL("../../.venv/bin/python", import.meta.url));
const BLEND_SCRIPT = `
import sys
import bpy

bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
camera = bpy.data.objects.new("E2ECam", bpy.data.cameras.new("E2ECam"))
scene.collection.objects.link(camera)
camera.location = (3.0, -4.0, 2.5)
scene.camera = camera
scene.collection.objects.link(bpy.data.objects.new("AUTOMAT_MODEL", None))
scene.render.resolution_x, scene.render.resolution_y = 320, 240
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[1])
`;

let folder = "";
let blend = "";

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
  folder = mkdtempSync(path.join(tmpdir(), "automat-e2e-template-"));
  blend = path.join(folder, "e2e_studio.blend");
  execFileSync(PYTHON, ["-c", BLEND_SCRIPT, blend], { stdio: "pipe", timeout: 120_000 });
});

test.afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const patterns = (table: Locator): Promise<string[]> => table.getByTestId("alias-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-pattern") ?? ""));

async function savedOrder(page: Page, action: () => Promise<void>): Promise<void> {
  const saved = page.waitForResponse((r) => r.url().includes("/api/material-aliases/order") && r.request().method() === "PUT");
  await action();
  expect((await saved).status()).toBe(200);
}

test("a tenant admin orders and resets aliases, uploads a template, adds a position and edits an output type", async ({ page }) => {
  test.setTimeout(300_000);
  await login(page, "admin@demo.local");
  await expect(page).toHaveURL(/\/cad$/);

  // --- aliases: drag the fourth one to the top, then move it one down by keyboard ---------------
  await openAdmin(page, "Materials");
  const table = page.getByTestId("alias-order");
  await expect(table.getByTestId("alias-row").first()).toBeVisible();
  const shipped = await patterns(table);
  expect(shipped.length).toBeGreaterThan(4);
  const pick = shipped[3]!;

  const handle = table.getByRole("button", { name: `Move ${pick}`, exact: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await handle.scrollIntoViewIfNeeded(); // the first row, three above, is in view too
  await savedOrder(page, async () => {
    const from = (await handle.boundingBox())!;
    const to = (await table.getByTestId("alias-row").first().boundingBox())!;
    const x = from.x + from.width / 2;
    await page.mouse.move(x, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(x, from.y - 10, { steps: 5 });
    await page.mouse.move(x, to.y + 4, { steps: 25 });
    await page.mouse.up();
  });
  const dragged = [pick, ...shipped.slice(0, 3), ...shipped.slice(4)];
  await expect.poll(() => patterns(table)).toEqual(dragged);

  await savedOrder(page, async () => {
    // Each key after what a screen reader hears: the sensor measures the rows after the pick-up.
    const announced = page.locator("[id^='DndLiveRegion']");
    await table.getByRole("button", { name: `Move ${pick}`, exact: true }).focus();
    await page.keyboard.press("Space");
    // Picked up, and (at once) over its own place.
    await expect(announced).toHaveText(`${pick} moves to place 1.`);
    await page.keyboard.press("ArrowDown");
    await expect(announced).toHaveText(`${pick} moves to place 2.`);
    await page.keyboard.press("Space");
    await expect(announced).toHaveText(`${pick} dropped at place 2.`);
  });
  const moved = [shipped[0]!, pick, ...shipped.slice(1, 3), ...shipped.slice(4)];
  await expect.poll(() => patterns(table)).toEqual(moved);
  await page.reload();
  await expect.poll(() => patterns(page.getByTestId("alias-order"))).toEqual(moved);
  await shot(page, "catalog-aliases-ordered");

  // --- reset to the defaults: the dialog says what changes, and only "Reset" changes it ---------
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  const dialog = page.getByRole("dialog", { name: "Reset the aliases to the defaults?" });
  await expect(dialog.getByTestId("reset-preview")).toContainText("1 changed default gets its shipped values back");
  await expect(dialog.getByTestId("reset-preview")).toContainText(pick);
  await shot(page, "catalog-reset-preview");
  await dialog.getByRole("button", { name: "Reset the aliases" }).click();
  await expect(dialog).toHaveCount(0);
  await expect.poll(() => patterns(page.getByTestId("alias-order"))).toEqual(shipped);

  // --- a render template: upload, then what the render host found -------------------------------
  await openAdmin(page, "Render templates");
  await expect(page.getByRole("heading", { name: "Render templates", level: 1 })).toBeVisible();
  const upload = page.getByRole("form", { name: "Upload a template" });
  await upload.getByTestId("template-file").setInputFiles(blend);
  await upload.getByLabel("Name", { exact: true }).fill("E2E studio");
  await upload.getByRole("button", { name: "Upload", exact: true }).click();
  const card = page.getByTestId("template").filter({ hasText: "E2E studio" });
  await expect(card).toHaveAttribute("data-status", "ready", { timeout: 180_000 });
  const found = page.getByLabel("What the render host found in E2E studio");
  await expect(found.locator('[data-fact="cameras"]')).toHaveText("E2ECam");
  await expect(found.locator('[data-fact="active_camera"]')).toHaveText("E2ECam");
  await expect(found.locator('[data-fact="has_anchor"]')).toHaveText("Yes");
  await expect(found.locator('[data-fact="missing_libraries"]')).toHaveText("none");
  await expect(found.locator('[data-fact="resolution"]')).toHaveText("320 × 240 px");
  await found.getByRole("button", { name: "Help: Active camera" }).focus();
  await expect(page.getByRole("tooltip")).toContainText("the first by name");
  await shot(page, "catalog-template");

  // --- a custom camera position and where its camera is ----------------------------------------
  await openAdmin(page, "Camera positions");
  const form = page.getByRole("form", { name: "New camera position" });
  await form.getByLabel("Name", { exact: true }).fill("Right high");
  await form.getByLabel("Azimuth (°)", { exact: true }).fill("90");
  await form.getByLabel("Elevation (°)", { exact: true }).fill("40");
  await expect(form.getByTestId("direction-preview")).toHaveAttribute("aria-label", "Camera on the right, from above");
  await form.getByRole("button", { name: "Add position" }).click();
  const row = page.getByTestId("position").and(page.locator('[data-name="Right high"]'));
  await expect(row.getByTestId("direction-preview")).toHaveAttribute("data-side", "right");
  // The camera dot of the view from above is right of the product (the diagram's centre is 42).
  expect(Number(await row.getByTestId("camera-top").getAttribute("cx"))).toBeGreaterThan(60);
  await shot(page, "catalog-positions");

  // --- an output type's samples, after reading their help -----------------------------------------
  await openAdmin(page, "Output types");
  await page.getByRole("button", { name: "Edit Still 1024 front", exact: true }).click();
  const editor = page.getByRole("dialog", { name: "Edit Still 1024 front" });
  await editor.getByRole("button", { name: "Help: Samples" }).focus();
  await expect(editor.getByRole("tooltip")).toContainText("Render time grows about linearly with samples");
  await editor.getByLabel("Samples", { exact: true }).fill("48");
  await editor.getByRole("button", { name: "Save", exact: true }).click();
  await expect(editor).toHaveCount(0);
  await page.reload();
  await page.getByRole("button", { name: "Edit Still 1024 front", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Edit Still 1024 front" }).getByLabel("Samples", { exact: true })).toHaveValue("48");
  await shot(page, "catalog-output-type");
});

test("a project manager cannot open the catalogue screens", async ({ page }) => {
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  // Their Admin menu holds only the invoices they may read.
  await page.getByRole("button", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Administration" }).getByRole("link")).toHaveText(["Invoices"]);
  for (const url of ["/admin/templates", "/admin/positions", "/output-types"]) {
    await page.goto(url);
    await expect(page).not.toHaveURL(new RegExp(`${url}$`));
  }
  await expect(page.getByRole("heading", { name: "Render templates", level: 1 })).toHaveCount(0);
});

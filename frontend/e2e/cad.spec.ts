/**
 * The CAD library in a real browser: a project manager uploads the FreeCAD bearing, watches it
 * become ready (conversion, metadata, materials, then the thumbnail from Blender), opens it, and
 * the three.js viewer draws the model (WebGL through SwiftShader in headless Chromium); hovering
 * a part names it. A file that is not STEP is refused with the server's reason, per file. A file
 * that OpenCASCADE reads only in part (made here from the bearing) is ready with warnings: a badge
 * in the list, the warnings on its page.
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { DEMO_PASSWORD, login, shot, stepFixture } from "./support";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const NOT_STEP = stepFixture("madehere_png_renamed.step");
const BACKGROUND = [0xee, 0xf0, 0xf3]; // viewer-scene.ts BACKGROUND

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

/** Pixels of the WebGL canvas (drawn with preserveDrawingBuffer) that are not the background. */
async function canvasStats(canvas: Locator) {
  return canvas.evaluate((element, background) => {
    const source = element as HTMLCanvasElement;
    const copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext("2d");
    if (!context || copy.width === 0 || copy.height === 0) return { total: 0, foreground: 0, colours: 0 };
    context.drawImage(source, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    const colours = new Set<number>();
    let foreground = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
      colours.add((r << 16) | (g << 8) | b);
      const distance = Math.abs(r - (background[0] ?? 0)) + Math.abs(g - (background[1] ?? 0)) + Math.abs(b - (background[2] ?? 0));
      if (distance > 24) foreground++;
    }
    return { total: data.length / 4, foreground, colours: colours.size };
  }, BACKGROUND);
}

/** Move the pointer over a grid of the canvas until the viewer names a part under it. */
async function hoverAPart(page: Page, canvas: Locator): Promise<string | null> {
  const box = await canvas.boundingBox();
  if (!box) return null;
  const hover = page.getByTestId("cad-viewer-hover");
  for (const fy of [0.5, 0.4, 0.6, 0.3, 0.7]) {
    for (const fx of [0.5, 0.4, 0.6, 0.3, 0.7, 0.35, 0.65]) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      try {
        await expect(hover).toBeVisible({ timeout: 700 });
        return (await hover.locator(".cad-viewer__hover-name").textContent()) ?? "";
      } catch {
        // nothing under this point (the bearing's bore, the background): try the next one
      }
    }
  }
  return null;
}

test("a project manager uploads the bearing, watches it get ready and inspects it in 3D", async ({ page }) => {
  test.setTimeout(300_000);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await expect(page.getByRole("heading", { name: "CAD library" })).toBeVisible();

  // Two files at once: the bearing, and a PNG named .step that the server refuses (415).
  await page.getByTestId("cad-file-input").setInputFiles([BEARING, NOT_STEP]);
  const uploads = page.getByTestId("cad-upload-item");
  await expect(uploads).toHaveCount(2);
  const refused = uploads.filter({ hasText: "madehere_png_renamed.step" });
  await expect(refused).toHaveAttribute("data-state", "failed", { timeout: 30_000 });
  await expect(refused.getByRole("alert")).toHaveText(/not a STEP file/);
  const accepted = uploads.filter({ hasText: "bearing_20x37x9__freecad_ap214.stp" });
  await expect(accepted).toHaveAttribute("data-state", "done", { timeout: 30_000 });
  await shot(page, "cad-upload");

  // Dropped files go the same way: an empty one is refused with the server's reason.
  await page.getByTestId("cad-dropzone").evaluate((zone) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([], "empty.step"));
    zone.dispatchEvent(new DragEvent("dragenter", { bubbles: true, dataTransfer: transfer }));
    zone.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
  });
  const dropped = uploads.filter({ hasText: "empty.step" });
  await expect(dropped).toHaveAttribute("data-state", "failed", { timeout: 30_000 });
  // The server refuses it as not_step ("The file is empty."); the UI words the code from the errors catalogue.
  await expect(dropped.getByRole("alert")).toHaveText(/not a STEP file/);

  // The list follows the file through processing without a reload.
  const row = page.getByRole("row").filter({ hasText: "bearing_20x37x9__freecad_ap214.stp" });
  await expect(row).toHaveCount(1);
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "ready", { timeout: 120_000 });
  await expect(row.getByRole("cell").nth(4)).toHaveText("16"); // parts
  await expect(row.getByTestId("cad-thumbnail")).toBeVisible({ timeout: 120_000 }); // rendered by Blender
  await expect(row.locator("[data-thumbnail-state]")).toHaveAttribute("data-thumbnail-state", "ready");
  await expect(row.getByTestId("cad-thumbnail-state")).toHaveCount(0); // nothing to say about it
  await expect(row.getByTestId("cad-warnings-badge")).toHaveCount(0); // a clean file
  await shot(page, "cad-list");

  // The detail page: metadata, materials, steps.
  await row.getByRole("link", { name: "bearing_20x37x9__freecad_ap214.stp" }).click();
  await expect(page).toHaveURL(/\/cad\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: /bearing_20x37x9__freecad_ap214\.stp/ })).toBeVisible();
  const metadata = page.getByTestId("cad-metadata");
  await expect(metadata).toContainText("millimetre");
  await expect(metadata).toContainText("AP214");
  await expect(page.getByTestId("cad-bbox")).toHaveText("9 × 37 × 37 mm");
  const materials = page.getByTestId("cad-materials");
  for (const part of ["Inner_Ring", "Outer_Ring", "Ball"]) {
    await expect(materials.getByRole("cell", { name: part, exact: true }).first()).toBeVisible();
  }
  await expect(materials.getByRole("row")).toHaveCount(17); // header + 16 parts
  await expect(page.getByTestId("cad-steps")).toContainText("Convert STEP to GLB");

  // The 3D viewer draws the model: a canvas that is not just background.
  const viewer = page.getByTestId("cad-viewer");
  await expect(viewer).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
  const canvas = page.getByTestId("cad-viewer-canvas");
  await expect(canvas).toBeVisible();
  await expect
    .poll(async () => (await canvasStats(canvas)).foreground, { timeout: 20_000 })
    .toBeGreaterThan(0);
  const drawn = await canvasStats(canvas);
  expect(drawn.foreground / drawn.total, "the model covers a fair part of the view").toBeGreaterThan(0.05);
  expect(drawn.colours, "shaded, not flat").toBeGreaterThan(20);

  // Hovering the model names a part and its material.
  const hovered = await hoverAPart(page, canvas);
  expect(hovered, "some point of the view is over a part").not.toBeNull();
  expect(hovered).toMatch(/^(Inner_Ring|Outer_Ring|Ball)$/);
  await expect(page.getByTestId("cad-viewer-hover")).toContainText(/SCHAEFFLER_|no material/);
  await shot(page, "cad-detail");

  // Fit to view keeps the model in the frame.
  await page.mouse.wheel(0, -600); // zoom in first
  await page.getByRole("button", { name: "Fit to view" }).click();
  await expect.poll(async () => (await canvasStats(canvas)).foreground / drawn.total, { timeout: 10_000 }).toBeGreaterThan(0.05);

  // Leaving the page disposes the viewer (its canvas goes) without errors.
  await page.getByRole("link", { name: "CAD library" }).first().click();
  await expect(page).toHaveURL(/\/cad$/);
  await expect(page.getByTestId("cad-viewer-canvas")).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test("a file OpenCASCADE reads only in part is ready with warnings, in the list and on its page", async ({ page }) => {
  test.setTimeout(240_000);
  // The bearing with one apostrophe lost in the record of the outer ring's solid: OpenCASCADE
  // skips the record and converts the other 15 parts without a word.
  const solid = "#520 = MANIFOLD_SOLID_BREP('',#521);";
  const text = (await readFile(BEARING)).toString("latin1");
  expect(text.split(solid)).toHaveLength(2);
  const name = `bearing-edited-${Date.now()}.stp`;
  const buffer = Buffer.from(text.replace(solid, "#520 = MANIFOLD_SOLID_BREP(',#521);"), "latin1");

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.getByTestId("cad-file-input").setInputFiles({ name, mimeType: "application/octet-stream", buffer });
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "ready", { timeout: 120_000 });
  await expect(row.getByTestId("cad-warnings-badge")).toHaveText("2 warnings");
  await expect(row.getByRole("cell").nth(4)).toHaveText("15"); // the outer ring is missing
  // The list follows the thumbnail to an end (rendered, or failed with its reason), then rests.
  await expect(row.locator("[data-thumbnail-state]")).toHaveAttribute("data-thumbnail-state", /^(ready|failed)$/, {
    timeout: 120_000,
  });
  await shot(page, "cad-list-warnings");

  await row.getByRole("link", { name }).click();
  const warnings = page.getByTestId("cad-warnings");
  await expect(warnings).toContainText("Ready with 2 warnings");
  await expect(warnings.locator("li[data-code]")).toHaveCount(2);
  await expect(warnings.locator('li[data-code="malformed_records"]')).toContainText("#520 MANIFOLD_SOLID_BREP");
  await expect(warnings.locator('li[data-code="products_without_geometry"]')).toContainText("Outer_Ring");
  await shot(page, "cad-detail-warnings");
});

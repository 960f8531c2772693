import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { DEMO_PASSWORD, login, shot, stepFixture } from "./support";
import { xlsx } from "./xlsx";

/**
 * Products and CAD files find each other in either order (issue 12): the PIM export first, naming
 * three STEP files nobody has uploaded yet (a workbook with a title line and a blank line above its
 * header, as PIM exports write them), then the folder of STEP files: all three products are linked.
 */

const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const run = Date.now().toString(36);
interface LinkedFile {
  fixture: string;
  name: string; // as uploaded
  named: string; // as the workbook names it
  pim: string;
}

const FILES: [LinkedFile, ...LinkedFile[]] = [
  { fixture: "screw_m6x12_countersunk.step", name: `e2e-${run}-screw.step`, named: `E2E-${run}-SCREW.STP`, pim: `LNK-${run}-1` },
  { fixture: "pulley_at3_t10_center.STEP", name: `e2e-${run}-pulley.stp`, named: `e2e-${run}-pulley`, pim: `LNK-${run}-2` },
  { fixture: "shaft_motor_antigravity_4004.STEP", name: `e2e-${run}-shaft.step`, named: `e2e-${run}-shaft.step`, pim: `LNK-${run}-3` },
];

const LONG_PIM = `LONG-${run}`;
const LONG_NAME = `${"Lagergehaeuse_Baugruppe_mit_sehr_langem_Dateinamen_".repeat(4)}${run}.stp`;

async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

/** The fixture's bytes made unique to this run (a comment in the header), so no other spec's
 * upload of the same fixture makes this one a duplicate. */
function uniqueStep(fixture: string): Buffer {
  const text = readFileSync(stepFixture(fixture), "latin1");
  return Buffer.from(text.replace("HEADER;", `HEADER;\n/* automat e2e cad-linking ${run} */`), "latin1");
}

async function productRows(page: Page) {
  await page.goto("/products");
  await page.getByRole("searchbox", { name: "Search products" }).fill(`LNK-${run}`);
  await expect(page.getByTestId("products-count")).toHaveText("1–3 of 3");
  return page.getByRole("table", { name: "Products" });
}

test("import names three STEP files first, uploading them later links all three", async ({ page }) => {
  test.setTimeout(300_000);
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);

  // The PIM export: a title line and a blank line above the header.
  await page.goto("/products/import");
  await page.getByLabel("Workbook").setInputFiles({
    name: "pim-export.xlsx",
    mimeType: XLSX_MIME,
    buffer: xlsx([
      [`PIM-Export Wälzlager ${run}, Stand 02.12.2026`],
      [],
      ["PIM-ID", "Bezeichnung", "STEP-Datei"],
      ...FILES.map((f, i) => [f.pim, `Linked part ${i + 1}`, f.named]),
      [LONG_PIM, "Part with a long CAD file name", LONG_NAME],
    ]),
  });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL(/\/products\/imports\/[0-9a-f-]+$/);
  await expect(page.getByTestId("import-summary")).toHaveText("0 imported, 4 with warnings, 0 skipped", { timeout: 30_000 });
  await expect(page.getByTestId("import-header-row")).toHaveText(
    "Header found in row 3; the rows above it were not read as products.",
  );
  const filters = page.getByRole("group", { name: "Show rows" });
  await expect(filters.getByRole("button", { name: /Warnings/ })).toContainText("4");
  const log = page.getByRole("table", { name: "Import log" });
  const [first] = FILES;
  const firstRow = log.getByRole("row").filter({ hasText: first.pim });
  await expect(firstRow).toContainText(`waiting for CAD file '${first.named}'`);
  await expect(firstRow.getByRole("cell").first()).toHaveText("4"); // the data starts below the header
  await shot(page, "cad-linking-import");

  // Each product waits for its file, by name.
  let table = await productRows(page);
  for (const f of FILES) {
    const row = table.getByRole("row").filter({ hasText: f.pim });
    await expect(row.getByTestId("waiting-for-cad")).toHaveText(`waiting for CAD file ${f.named}`);
  }
  await shot(page, "cad-linking-waiting");

  // The order wizard's product rows say so too.
  await page.goto("/orders/new");
  await page.getByRole("searchbox", { name: "Search by name or PIM id" }).fill(`LNK-${run}`);
  const wizardRow = page.getByRole("group", { name: "Products found" }).getByTestId("product-result").filter({ hasText: first.pim });
  await expect(wizardRow.getByTestId("waiting-for-cad")).toHaveText(`waiting for CAD file ${first.named}`);
  await shot(page, "cad-linking-wizard-waiting");

  // A long CAD file name is cut, in the list and in the wizard: no page scrolls sideways.
  await page.getByRole("searchbox", { name: "Search by name or PIM id" }).fill(LONG_PIM);
  const longRow = page.getByRole("group", { name: "Products found" }).getByTestId("product-result").filter({ hasText: LONG_PIM });
  await expect(longRow.getByTestId("waiting-for-cad")).toBeVisible();
  await expect(page.getByRole("group", { name: "Products found" }).getByTestId("product-result")).toHaveCount(1);
  await shot(page, "cad-linking-wizard-long-name");
  expect(await scrollsSideways(page)).toBe(false);
  await page.goto("/products");
  await page.getByRole("searchbox", { name: "Search products" }).fill(LONG_PIM);
  await expect(page.getByTestId("products-count")).toHaveText("1–1 of 1");
  await expect(page.getByTestId("waiting-for-cad")).toBeVisible();
  expect(await scrollsSideways(page)).toBe(false);
  await shot(page, "cad-linking-list-long-name");

  // The folder of STEP files.
  await page.goto("/cad");
  await page.getByTestId("cad-file-input").setInputFiles(
    FILES.map((f) => ({ name: f.name, mimeType: "application/octet-stream", buffer: uniqueStep(f.fixture) })),
  );
  const uploads = page.getByTestId("cad-upload-item");
  for (const f of FILES) {
    const item = uploads.filter({ hasText: f.name });
    await expect(item).toHaveAttribute("data-state", "done", { timeout: 60_000 });
    // The row follows the file: ready (not "processing starts now" for ever).
    await expect(item.getByTestId("cad-upload-note")).toHaveText(/^Uploaded; ready/, { timeout: 180_000 });
  }
  await shot(page, "cad-linking-uploaded");

  // All three linked, none waiting any more.
  table = await productRows(page);
  for (const f of FILES) {
    const row = table.getByRole("row").filter({ hasText: f.pim });
    await expect(row.getByRole("link", { name: f.name })).toBeVisible();
    await expect(row.getByTestId("waiting-for-cad")).toHaveCount(0);
  }
  await shot(page, "cad-linking-linked");

  // The product's history: Automat linked it, when the file its import named became ready.
  await table.getByRole("row").filter({ hasText: first.pim }).getByRole("cell").first().click();
  await page.getByRole("dialog").getByRole("link", { name: "Edit" }).click();
  const linked = page.getByTestId("product-history").getByRole("listitem").filter({ hasText: "Linked to CAD file" });
  await expect(linked).toHaveText(new RegExp(`^Linked to CAD file ${first.name} by Automat · the file its import named became ready`));
  await shot(page, "cad-linking-history");
});

test("a STEP file with a header but no geometry fails in plain words, the converter's own folded", async ({ page }) => {
  test.setTimeout(180_000);
  const bearing = readFileSync(stepFixture("bearing_20x37x9__freecad_ap214.stp"), "latin1");
  const headerOnly = `${bearing.slice(0, bearing.indexOf("DATA;"))}/* ${run} */\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n`;
  const name = `e2e-${run}-header-only.stp`;
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.getByTestId("cad-file-input").setInputFiles({ name, mimeType: "application/octet-stream", buffer: Buffer.from(headerOnly, "latin1") });
  const upload = page.getByTestId("cad-upload-item").filter({ hasText: name });
  await expect(upload.getByTestId("cad-upload-note")).toContainText("processing failed: The file has a header but no geometry", {
    timeout: 120_000,
  });

  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "failed");
  await expect(row.getByTestId("cad-error")).toHaveText(
    "The file has a header but no geometry: its DATA section is empty. Export the part again with solids (bodies) included.",
  );
  await expect(row.getByTestId("cad-error-detail")).toBeHidden(); // folded
  await row.getByText("Details", { exact: true }).click();
  await expect(row.getByTestId("cad-error-detail")).toContainText("Incorrect Syntax : Fails Count : 1");
  await shot(page, "cad-linking-failure-list");

  await row.getByRole("link", { name }).click();
  await expect(page.getByTestId("cad-error")).toContainText("header but no geometry");
  await expect(page.getByTestId("cad-error-detail")).toBeHidden();
  await shot(page, "cad-linking-failure-detail");
});

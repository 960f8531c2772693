import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { DEMO_PASSWORD, login, shot } from "./support";
import { xlsx } from "./xlsx";

const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

async function chooseWorkbook(page: Page, name: string, buffer: Buffer, mimeType = XLSX_MIME) {
  await page.getByLabel("Workbook").setInputFiles({ name, mimeType, buffer });
}

// PIM ids of this run: the installation is shared by every spec of the run.
const RUN = `R${Date.now().toString(36).toUpperCase()}`;

test("a project manager imports a workbook, reads the row log and finds a product", async ({ page }) => {
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Products" }).click();
  await expect(page.getByRole("heading", { name: "Products", exact: true })).toBeVisible();
  await shot(page, "products-empty");

  await page.getByRole("link", { name: "Import from Excel" }).first().click();
  await expect(page).toHaveURL(/\/products\/import$/);
  await chooseWorkbook(
    page,
    "bearings.xlsx",
    xlsx([
      ["PIM-ID", "Bezeichnung", "Kategorie", "Lagertyp", "Breite mm"],
      [`${RUN}-6204-2RSR`, "Rillenkugellager 6204-2RSR", "ball_bearings", "Rillenkugellager", 14],
      [null, "Zeile ohne PIM-ID", "ball_bearings", "Rillenkugellager", 15],
      [`${RUN}-6205-2Z`, "Rillenkugellager 6205-2Z", "ball_bearings", "Rillenkugellager", 15],
    ]),
  );
  await shot(page, "products-import-form");
  await page.getByRole("button", { name: "Import", exact: true }).click();

  await expect(page).toHaveURL(/\/products\/imports\/[0-9a-f-]+$/);
  await expect(page.getByTestId("import-summary")).toHaveText("2 imported, 1 skipped", { timeout: 30_000 });
  const log = page.getByRole("table", { name: "Import log" });
  const skipped = log.getByRole("row").filter({ hasText: "Skipped" });
  await expect(skipped).toHaveCount(1);
  await expect(skipped).toContainText("3"); // spreadsheet row 3: the header is row 1
  await expect(skipped).toContainText("missing pim_id");
  await expect(log.getByRole("row").filter({ hasText: "6204-2RSR" })).toContainText("Imported");
  await shot(page, "products-import-log");

  await page.getByRole("group", { name: "Show rows" }).getByRole("button", { name: /Skipped/ }).click();
  await expect(log.getByRole("row")).toHaveCount(2); // header + the skipped row

  // The import ran the built-in "Product import" workflow: its one node, done.
  const run = page.getByTestId("run-view");
  await expect(run.getByTestId("run-status")).toHaveAttribute("data-status", "completed");
  await expect(run).toContainText("Product import");
  await expect(run.getByTestId("wf-node-parse").getByTestId("wf-run")).toContainText("Done");

  await page.getByRole("link", { name: "Products", exact: true }).last().click();
  await expect(page).toHaveURL(/\/products$/);
  // Other specs add products of their own (some named "… 6204 …"): count only this workbook's,
  // whose PIM ids start with this run's token.
  await page.getByRole("searchbox", { name: "Search products" }).fill(RUN);
  await expect(page.getByTestId("products-count")).toHaveText("1–2 of 2");
  await expect(page.getByTestId("pager")).toContainText("Showing 2 of 2"); // the one pager, at the end
  await page.getByRole("searchbox", { name: "Search products" }).fill(`${RUN}-6204`);
  await expect(page.getByTestId("products-count")).toHaveText("1–1 of 1");
  const table = page.getByRole("table", { name: "Products" });
  await expect(table.getByRole("row").filter({ hasText: "6204-2RSR" })).toBeVisible();
  await expect(table.getByText("6205-2Z")).toHaveCount(0);
  await shot(page, "products-search");

  await table.getByRole("row").filter({ hasText: "6204-2RSR" }).click();
  const drawer = page.getByRole("dialog", { name: "Rillenkugellager 6204-2RSR" });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId("product-attributes")).toContainText("Breite mm");
  await expect(drawer.getByTestId("product-attributes")).toContainText("14");
  await shot(page, "products-detail");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
});

test("a broken file is refused plainly, and a missing column is mapped on the spot", async ({ page }) => {
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto("/products/import");

  await chooseWorkbook(page, "notes.xlsx", Buffer.from("just some text, not a workbook"));
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("import-error")).toHaveAttribute("data-code", "bad_excel");
  await expect(page.getByRole("alert")).toContainText("This file is not a readable Excel workbook");
  await shot(page, "products-import-bad-excel");

  await chooseWorkbook(
    page,
    "katalog-nr-spalte.xlsx",
    xlsx([
      ["Nr.", "Bezeichnung"],
      ["22205-E1", "Pendelrollenlager 22205-E1"],
    ]),
  );
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("import-error")).toHaveAttribute("data-code", "missing_columns");
  await expect(page.getByRole("alert")).toContainText("Nr., Bezeichnung");
  await shot(page, "products-import-missing-columns");
  await page.getByLabel("Field for column Nr.").selectOption("pim_id");
  await page.getByRole("button", { name: "Upload again with this mapping" }).click();
  await expect(page.getByTestId("import-summary")).toHaveText("1 imported, 0 skipped", { timeout: 30_000 });

  await page.goto("/products/import");
  const recent = page.getByRole("table", { name: "Recent imports" });
  await expect(recent.getByRole("row").filter({ hasText: "katalog-nr-spalte.xlsx" })).toContainText("1 imported, 0 skipped");
  await shot(page, "products-recent-imports");
});

test("a client sees the products but cannot import", async ({ page }) => {
  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await expect(page.getByRole("heading", { name: "Products", exact: true })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search products" }).fill(RUN);
  const table = page.getByRole("table", { name: "Products" });
  await expect(table.getByText(`${RUN}-6204-2RSR`, { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Import from Excel" })).toHaveCount(0);
  await shot(page, "products-client");

  await page.goto("/products/import");
  await expect(page).toHaveURL(/\/products$/); // not for clients: back to the list
});

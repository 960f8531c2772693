/**
 * Analytics (issue 18): a tenant admin opens the last 30 days after a real order of the demo tenant
 * has finished — one line rendered by the workers, one failed at the CAD check —, sees the charts
 * drawn with data, downloads the throughput CSV and reads its rows, and opens the failing line.
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { apiCadReady, apiCall, apiToken, apiUploadStep, apiSmallThumbnailType } from "./api";
import { DEMO_PASSWORD, login, shot, stepFixture } from "./support";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const RUN = Date.now().toString(36);
const RENDER_TIMEOUT = 180_000;

interface Order {
  id: string;
  number: string;
  lines: Array<{ id: string; product_id: string; render_status: string }>;
}

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

/** An order of the demo tenant with one completed and one failed line, finished by the workers. */
async function finishedOrder(request: APIRequestContext): Promise<Order> {
  const admin = await apiToken(request, "admin@demo.local");
  const bearing = await apiUploadStep(request, admin, BEARING);
  await apiCadReady(request, admin, bearing.id, RENDER_TIMEOUT);
  const product = (pimId: string, cadFileId: string | null) =>
    apiCall<{ id: string }>(request, admin, "post", "/api/products", { pim_id: pimId, name: `E2E ${pimId}`, cad_file_id: cadFileId });
  const ok = await product(`E2E-AN-OK-${RUN}`, bearing.id);
  const noCad = await product(`E2E-AN-NOCAD-${RUN}`, null);
  const draft = await apiCall<Order>(request, admin, "post", "/api/orders", {
    title: `E2E analytics ${RUN}`,
    product_ids: [ok.id, noCad.id],
    output_type_ids: [await apiSmallThumbnailType(request, admin)],
  });
  await apiCall(request, admin, "post", `/api/orders/${draft.id}/submit`);
  await expect
    .poll(
      async () => {
        const order = await apiCall<Order>(request, admin, "get", `/api/orders/${draft.id}`);
        const status = (productId: string) => order.lines.find((l) => l.product_id === productId)?.render_status;
        return [status(ok.id), status(noCad.id)];
      },
      { timeout: RENDER_TIMEOUT, intervals: [1000, 2000] },
    )
    .toEqual(["completed", "failed"]);
  return apiCall<Order>(request, admin, "get", `/api/orders/${draft.id}`);
}

test("a tenant admin reads the last 30 days, downloads a chart's CSV and opens a failing line", async ({ page, request }) => {
  test.setTimeout(5 * 60_000);
  const order = await finishedOrder(request);
  const today = new Date().toISOString().slice(0, 10);

  await login(page, "admin@demo.local");
  await expect(page).not.toHaveURL(/\/login/);
  await page.getByRole("link", { name: "Analytics" }).click();
  await expect(page).toHaveURL(/\/analytics$/);
  await expect(page.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible();
  await expect(page.getByTestId("range-preset")).toHaveValue("30");

  // The figures count the finished lines; each chart is drawn (SVG with shapes) and named.
  await expect(page.getByTestId("figure-renders")).not.toContainText(/^0/);
  for (const id of ["throughput", "durations", "device", "failures"]) {
    const chart = page.getByTestId(`echart-${id}`);
    await expect(chart).toHaveAttribute("role", "img");
    await expect(chart.locator("svg path").first()).toBeAttached();
  }
  await expect(page.getByRole("img", { name: /^Throughput\./ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Failures by step\./ })).toBeVisible();
  await shot(page, "analytics-30-days");

  // The throughput CSV: a header and today's row with at least the completed and the failed line.
  const card = page.getByTestId("chart-throughput");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    card.getByRole("button", { name: "Download the data of “Throughput” as CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^analytics-throughput-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), "utf8");
  const rows = csv.trim().split("\r\n").map((line) => line.split(","));
  expect(rows[0]).toEqual(["Period", "Completed", "Failed", "Render time p50 (s)", "Queue wait p50 (s)"]);
  const todayRow = rows.find((row) => row[0] === today);
  expect(todayRow, `a row for ${today} in\n${csv}`).toBeDefined();
  expect(Number(todayRow?.[1])).toBeGreaterThanOrEqual(1);
  expect(Number(todayRow?.[2])).toBeGreaterThanOrEqual(1);

  // The same numbers as a table, and from the failures table the failing line of the order.
  await card.getByRole("button", { name: "Show data" }).click();
  await expect(card.getByRole("table", { name: "Throughput" })).toContainText(today);
  const failures = page.getByTestId("chart-failures");
  await failures.getByRole("button", { name: "Show data" }).click();
  const checkRow = failures.getByRole("row").filter({ hasText: "check_cad" });
  await checkRow.getByRole("button", { name: "Failing lines" }).click();
  const dialog = page.getByRole("dialog", { name: "Failing order lines: Check CAD file" });
  const link = dialog.getByRole("link", { name: order.number });
  await expect(link).toBeVisible();
  await expect(dialog.getByTestId("failed-lines")).toContainText("has no CAD file");
  await shot(page, "analytics-failing-lines");
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order.id}`));
});

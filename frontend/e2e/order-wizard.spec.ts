/**
 * The order wizard as people use it: a rejected order is edited in the wizard after Resubmit and
 * submitted with its new lines; the wizard keeps its work across Back, Forward and Refresh and asks
 * before discarding it; "Select all" picks every matching product (not just the 50 shown), leaves
 * out the ones without a usable CAD file and refuses above the tenant's order limit.
 *
 * Set-up goes through the API: the FreeCAD bearing converted by the real workers, products linked
 * to it (or to nothing), and a tiny "Thumbnail 64" output type so the renders it starts are short.
 */
import { expect, test } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";
import { apiCadReady, apiCall, apiOutputType, apiToken, apiUploadStep } from "./api";
import { DEMO_PASSWORD, login, shot, stepFixture } from "./support";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const RUN = Date.now().toString(36).toUpperCase();
const CONVERT_TIMEOUT = 180_000;

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

interface Product {
  id: string;
  pim_id: string;
  name: string;
}

interface Order {
  id: string;
  number: string;
  status: string;
  submission_count: number;
  line_count: number;
  lines: Array<{ product_pim_id: string; output_type_name: string }>;
}

/** The bearing as a ready CAD file of the demo tenant. */
async function readyBearing(request: APIRequestContext, pm: string): Promise<string> {
  const { id } = await apiUploadStep(request, pm, BEARING);
  await apiCadReady(request, pm, id, CONVERT_TIMEOUT);
  return id;
}

const makeProduct = (request: APIRequestContext, pm: string, pimId: string, cadFileId: string | null) =>
  apiCall<Product>(request, pm, "post", "/api/products", { pim_id: pimId, name: `Wizard bearing ${pimId}`, cad_file_id: cadFileId });

/** "Thumbnail 64" (64 px, 1.25 each), made by the tenant admin unless another spec made it. */
async function thumbnail64(request: APIRequestContext): Promise<{ id: string; name: string }> {
  const admin = await apiToken(request, "admin@demo.local");
  const types = await apiCall<Array<{ id: string; name: string }>>(request, admin, "get", "/api/output-types");
  return (
    types.find((t) => t.name === "Thumbnail 64") ??
    apiCall<{ id: string; name: string }>(request, admin, "post", "/api/output-types", {
      name: "Thumbnail 64",
      kind: "thumbnail",
      render_settings: { width: 64, height: 64, samples: 4 },
      price: 1.25,
    })
  );
}

const search = (page: Page) => page.getByRole("searchbox", { name: "Search by name or PIM id" });
const found = (page: Page) => page.getByRole("group", { name: "Products found" });
const picked = (page: Page) => page.getByRole("list", { name: "Picked products" });
const types = (page: Page) => page.getByRole("group", { name: "Output types" });

test("a rejected order is edited in the wizard after Resubmit and submitted with its new lines", async ({ page, request }) => {
  test.setTimeout(5 * 60_000);
  const pm = await apiToken(request, "pm@demo.local");
  const cad = await readyBearing(request, pm);
  const w1 = await makeProduct(request, pm, `WIZ-${RUN}-1`, cad);
  const w2 = await makeProduct(request, pm, `WIZ-${RUN}-2`, cad);
  const w3 = await makeProduct(request, pm, `WIZ-${RUN}-3`, cad);
  const w4 = await makeProduct(request, pm, `WIZ-${RUN}-4`, cad);
  const thumb = await thumbnail64(request);
  // A turntable takes minutes on a CPU: the order is still live when it is rejected.
  const turntable = await apiOutputType(request, pm, "Turntable 36 frames");
  const client = await apiToken(request, "client@demo.local");
  const order = await apiCall<Order>(request, client, "post", "/api/orders", {
    title: `Wizard edit ${RUN}`,
    product_ids: [w1.id, w2.id, w3.id],
    output_type_ids: [turntable.id],
  });
  await apiCall(request, client, "post", `/api/orders/${order.id}/submit`);
  await apiCall(request, pm, "post", `/api/orders/${order.id}/reject`, {
    reason: `Only ${w1.pim_id}, plus ${w4.pim_id}; thumbnails instead of turntables`,
  });

  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await page.goto(`/orders/${order.id}`);
  await page.getByRole("button", { name: "Resubmit" }).click();
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "draft");
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order.id}/edit`));
  await expect(page.getByRole("heading", { name: `Edit ${order.number}` })).toBeVisible();

  // Step 1: the draft's three products; remove two, add a fourth.
  for (const product of [w1, w2, w3]) await expect(picked(page)).toContainText(product.pim_id);
  await picked(page).getByRole("button", { name: `Remove ${w2.name}` }).click();
  await picked(page).getByRole("button", { name: `Remove ${w3.name}` }).click();
  await search(page).fill(w4.pim_id);
  await found(page).getByRole("checkbox", { name: new RegExp(w4.pim_id) }).check();
  await expect(picked(page).getByRole("listitem")).toHaveCount(2);
  await shot(page, "order-wizard-edit-products");
  await page.getByRole("button", { name: "Next" }).click();

  // Step 2: thumbnails instead of the turntable.
  await expect(types(page).getByRole("checkbox", { name: /Turntable 36 frames/ })).toBeChecked();
  await types(page).getByRole("checkbox", { name: /Turntable 36 frames/ }).uncheck();
  await types(page).getByRole("checkbox", { name: new RegExp(thumb.name) }).check();
  await page.getByRole("button", { name: "Next" }).click();

  // Step 3: the title is the draft's; two lines at 1.25.
  await expect(page.getByLabel("Title")).toHaveValue(`Wizard edit ${RUN}`);
  await expect(page.getByTestId("line-count")).toHaveText("2");
  await expect(page.getByTestId("total-price")).toHaveText("EUR 2.50");
  await shot(page, "order-wizard-edit-review");
  await page.getByRole("button", { name: "Submit", exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/orders/${order.id}$`));
  await expect(page.getByTestId("order-status")).not.toHaveAttribute("data-status", "draft");
  await expect(page.getByTestId("order-line")).toHaveCount(2);
  const after = await apiCall<Order>(request, client, "get", `/api/orders/${order.id}`);
  expect(after.submission_count).toBe(2);
  expect(after.lines.map((l) => `${l.product_pim_id} × ${l.output_type_name}`).sort()).toEqual(
    [`${w1.pim_id} × ${thumb.name}`, `${w4.pim_id} × ${thumb.name}`].sort(),
  );
  await shot(page, "order-wizard-edit-submitted");
});

test("the wizard keeps its work across Back, Forward and Refresh, and asks before discarding it", async ({ page, request }) => {
  test.setTimeout(4 * 60_000);
  const pm = await apiToken(request, "pm@demo.local");
  const item = await makeProduct(request, pm, `KEEP-${RUN}`, await readyBearing(request, pm));
  const thumb = await thumbnail64(request);
  page.on("dialog", (dialog) => void dialog.accept()); // the browser's "leave site?" on reload

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto("/orders/new");
  await search(page).fill(item.pim_id);
  await found(page).getByRole("checkbox", { name: new RegExp(item.pim_id) }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/step=2/);
  await types(page).getByRole("checkbox", { name: new RegExp(thumb.name) }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/step=3/);
  await page.getByLabel("Title").fill(`Kept ${RUN}`);
  await page.getByLabel("Notes").fill("Front view first");

  // Browser Back walks the steps with nothing lost; Forward comes back to the review.
  await page.goBack();
  await expect(page).toHaveURL(/step=2/);
  await expect(types(page).getByRole("checkbox", { name: new RegExp(thumb.name) })).toBeChecked();
  await page.goBack();
  await expect(picked(page)).toContainText(item.pim_id);
  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(/step=3/);
  await expect(page.getByLabel("Title")).toHaveValue(`Kept ${RUN}`);

  // Refresh stays on the review with the picks, title and notes.
  await page.reload();
  await expect(page).toHaveURL(/step=3/);
  await expect(page.getByLabel("Title")).toHaveValue(`Kept ${RUN}`);
  await expect(page.getByLabel("Notes")).toHaveValue("Front view first");
  await expect(page.getByTestId("line-count")).toHaveText("1");
  await shot(page, "order-wizard-after-reload");

  // Cancel and leaving through the menu ask first.
  await page.getByRole("button", { name: "Cancel" }).click();
  const discard = page.getByRole("dialog", { name: "Discard this order?" });
  await expect(discard).toContainText(`1 product, 1 output type, “Kept ${RUN}”`);
  await shot(page, "order-wizard-discard");
  await discard.getByRole("button", { name: "Keep editing" }).click();
  await expect(discard).toBeHidden();
  await expect(page).toHaveURL(/\/orders\/new\?step=3/);
  await expect(page.getByLabel("Title")).toHaveValue(`Kept ${RUN}`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
  await expect(discard).toBeVisible();
  await discard.getByRole("button", { name: "Discard" }).click();
  await expect(page).toHaveURL(/\/orders$/);

  // Discarded means gone: a new wizard starts empty, on step 1.
  await page.goto("/orders/new?step=3");
  await expect(page.getByText("Nothing picked yet.")).toBeVisible();
  await expect(page).toHaveURL(/step=1/);
});

test("select all picks every matching product that can render, and refuses above the order limit", async ({ page, request }) => {
  test.setTimeout(5 * 60_000);
  const pm = await apiToken(request, "pm@demo.local");
  const cad = await readyBearing(request, pm);
  const thumb = await thumbnail64(request);
  const prefix = `ALL-${RUN}`;
  // 120 products; the first three have no CAD file.
  for (let batch = 0; batch < 120; batch += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => batch + i).map((n) =>
        makeProduct(request, pm, `${prefix}-${String(n).padStart(3, "0")}`, n < 3 ? null : cad),
      ),
    );
  }

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto("/orders/new");
  await search(page).fill(prefix);
  const selectAll = page.getByRole("button", { name: "Select all 120 matching" });
  await expect(selectAll).toBeEnabled();
  // No-CAD products are marked and cannot be picked.
  const noCad = found(page).getByTestId("product-result").filter({ hasText: `${prefix}-000` });
  await expect(noCad).toContainText("no CAD");
  await expect(noCad.getByRole("checkbox")).toBeDisabled();
  await expect(page.getByTestId("cad-note")).toBeVisible();
  await expect(found(page).getByTestId("product-result")).toHaveCount(50);
  await shot(page, "order-wizard-select-all");

  await selectAll.click();
  await expect(page.getByTestId("select-all-result")).toHaveText(
    "Picked 117 of 120 matching; 3 without a usable CAD file were left out.",
  );
  await expect(page.getByRole("heading", { name: "Picked (117)" })).toBeVisible();
  await expect(picked(page)).not.toContainText(`${prefix}-000`);
  await page.getByRole("button", { name: "Next" }).click();
  // Every picked product is a line in each output type: two types, twice the lines.
  await types(page).getByRole("checkbox", { name: new RegExp(thumb.name) }).check();
  await types(page).locator("label").filter({ has: page.getByText("Thumbnail", { exact: true }) }).getByRole("checkbox").check();
  await expect(page.getByText("2 output types picked")).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("line-count")).toHaveText("234");
  await expect(page.getByTestId("total-price")).toHaveText("EUR 204.75"); // 117 × (1.25 + 0.50)
  await expect(page.getByRole("heading", { name: "Lines (234)" })).toBeVisible();
  await shot(page, "order-wizard-select-all-review");
  await page.getByLabel("Title").fill(`Select all ${RUN}`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderId = page.url().split("/").pop() ?? "";
  expect((await apiCall<Order>(request, pm, "get", `/api/orders/${orderId}`)).line_count).toBe(234);

  // Above the tenant's limit, select all says so instead of picking part of them.
  const ga = await apiToken(request, "admin@automat.local");
  const tenants = await apiCall<Array<{ id: string; slug: string; tenant_config: { max_order_size: number } }>>(request, ga, "get", "/api/tenants");
  const demo = tenants.find((t) => t.slug === "demo");
  expect(demo).toBeDefined();
  const limitBefore = demo?.tenant_config.max_order_size ?? 500;
  const setLimit = async (limit: number) => {
    const response = await request.patch(`/api/tenants/${demo?.id}`, {
      headers: { Authorization: `Bearer ${ga}` },
      data: { tenant_config: { max_order_size: limit } },
    });
    expect(response.ok(), await response.text()).toBe(true);
  };
  await setLimit(100);
  try {
    await page.goto("/orders/new");
    await search(page).fill(prefix);
    await expect(page.getByRole("button", { name: "Select all 120 matching" })).toBeDisabled();
    await expect(page.getByTestId("select-all-limit")).toHaveText(
      "120 products match; an order holds at most 100 lines. Narrow the search.",
    );
    await shot(page, "order-wizard-select-all-limit");

    // 120 products fit a limit of 200, but not in two output types: back on step 1 with two
    // types picked, select all counts lines.
    await setLimit(200);
    await page.reload();
    await search(page).fill(`${prefix}-119`);
    await found(page).getByRole("checkbox", { name: new RegExp(`${prefix}-119`) }).check();
    await page.getByRole("button", { name: "Next" }).click();
    await types(page).getByRole("checkbox", { name: new RegExp(thumb.name) }).check();
    await types(page).locator("label").filter({ has: page.getByText("Thumbnail", { exact: true }) }).getByRole("checkbox").check();
    await page.getByRole("button", { name: "Back" }).click();
    await expect(page.getByText("1 product × 2 output types = 2 lines")).toBeVisible();
    await search(page).fill(prefix);
    await expect(page.getByRole("button", { name: "Select all 120 matching" })).toBeDisabled();
    await expect(page.getByTestId("select-all-limit")).toHaveText(
      "120 products × 2 output types = 240 lines; an order holds at most 200 lines. Narrow the search.",
    );
    // Narrowed to 100 products (200 lines), select all picks them and says how many lines.
    await search(page).fill(`${prefix}-0`);
    await page.getByRole("button", { name: "Select all 100 matching" }).click();
    await expect(page.getByTestId("select-all-result")).toHaveText(
      "Picked 97 of 100 matching; 3 without a usable CAD file were left out. 98 products × 2 output types = 196 lines.",
    );
  } finally {
    await setLimit(limitBefore);
  }
});

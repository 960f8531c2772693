/**
 * Orders in the browser: the wizard, live progress to a finished render with its preview and
 * download, who sees which orders, and reject → the client reads why → resubmit.
 *
 * Set-up goes through the API (Playwright's `request` with a token from /api/auth/login): the
 * FreeCAD bearing is uploaded and converted by the real workers, products link to it, and a tiny
 * "Thumbnail 64" output type keeps the real Blender render short.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { apiCall as call, apiToken as token } from "./api";
import { DEMO_PASSWORD, login, logout, shot, stepFixture } from "./support";

// e2e/run.sh runs Playwright in frontend/; the fixtures sit beside the repository.
const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const RENDER_TIMEOUT = 180_000;
const RUN = Date.now().toString(36);

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

// -- the API, for set-up and for checks behind the UI ---------------------------------------------

const bearer = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });

/** The bearing as a ready CAD file (the same content again returns the same record). */
async function readyBearing(request: APIRequestContext, pm: string): Promise<string> {
  const upload = await request.post("/api/cad-files", {
    headers: bearer(pm),
    multipart: {
      file: { name: path.basename(BEARING), mimeType: "application/octet-stream", buffer: await readFile(BEARING) },
    },
  });
  expect([200, 201], `upload: ${await upload.text()}`).toContain(upload.status());
  const { id } = (await upload.json()) as { id: string };
  await expect
    .poll(
      async () => {
        const file = await call<{ status: string; error: string | null }>(request, pm, "get", `/api/cad-files/${id}`);
        if (file.status === "failed") throw new Error(`the bearing failed to convert: ${file.error}`);
        return file.status;
      },
      { timeout: RENDER_TIMEOUT, intervals: [1000, 2000] },
    )
    .toBe("ready");
  return id;
}

async function product(request: APIRequestContext, pm: string, pimId: string, cadFileId: string | null) {
  return call<{ id: string; pim_id: string; name: string }>(request, pm, "post", "/api/products", {
    pim_id: pimId,
    name: `E2E bearing ${pimId}`,
    cad_file_id: cadFileId,
  });
}

interface OutputType {
  id: string;
  name: string;
  kind: string;
}

/** An output type by name, made by the tenant admin when it is not there yet. */
async function outputType(request: APIRequestContext, name: string, body?: Record<string, unknown>): Promise<OutputType> {
  const admin = await token(request, "admin@demo.local");
  const existing = (await call<OutputType[]>(request, admin, "get", "/api/output-types")).find((t) => t.name === name);
  if (existing) return existing;
  expect(body, `the output type ${name} is seeded`).toBeDefined();
  return call<OutputType>(request, admin, "post", "/api/output-types", { name, ...body });
}

// -- the tests ------------------------------------------------------------------------------------

test("a project manager orders a thumbnail with the wizard, watches it render live and downloads it", async ({
  page,
  request,
}) => {
  test.setTimeout(6 * 60_000);
  const pm = await token(request, "pm@demo.local");
  const cadId = await readyBearing(request, pm);
  const item = await product(request, pm, `E2E-A-${RUN}`, cadId);
  await outputType(request, "Thumbnail 64", {
    kind: "thumbnail",
    render_settings: { width: 64, height: 64, samples: 4 },
    price: 1.25,
  });

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
  await expect(page.getByTestId("kanban")).toBeVisible();
  await shot(page, "orders-kanban-before");

  // The wizard: product, output type, review.
  await page.getByRole("link", { name: "New order" }).click();
  await expect(page).toHaveURL(/\/orders\/new$/);
  await page.getByRole("searchbox", { name: "Search by name or PIM id" }).fill(item.pim_id);
  const found = page.getByRole("group", { name: "Products found" });
  await found.getByRole("checkbox", { name: new RegExp(item.pim_id) }).check();
  await expect(page.getByRole("list", { name: "Picked products" })).toContainText(item.pim_id);
  await shot(page, "order-wizard-products");
  await page.getByRole("button", { name: "Next" }).click();

  const types = page.getByRole("group", { name: "Output types" });
  const thumbnail64 = types.getByRole("checkbox", { name: /^Thumbnail 64 / });
  await thumbnail64.check();
  // Its size beside it (other specs add 64 px types of their own, e.g. an 8-frame turntable).
  await expect(thumbnail64).toHaveAccessibleName(/64 × 64 px/);
  await shot(page, "order-wizard-output-types");
  await page.getByRole("button", { name: "Next" }).click();

  await page.getByLabel("Title").fill(`E2E thumbnail ${RUN}`);
  await expect(page.getByTestId("line-count")).toHaveText("1");
  await expect(page.getByTestId("total-price")).toHaveText("EUR 1.25");
  await shot(page, "order-wizard-review");
  await page.getByRole("button", { name: "Submit", exact: true }).click();

  // The order page follows the render over the WebSocket: no reload, no navigation.
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderUrl = page.url();
  await expect(page.getByTestId("order-status")).not.toHaveAttribute("data-status", "draft");
  await page.evaluate(() => {
    (window as unknown as { __e2eMarker?: string }).__e2eMarker = "still here";
  });
  const line = page.getByTestId("order-line");
  await expect(line).toHaveCount(1);
  await shot(page, "order-detail-submitted");
  await expect(line).toHaveAttribute("data-render-status", "completed", { timeout: RENDER_TIMEOUT });
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "completed");
  expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe("still here");
  expect(page.url()).toBe(orderUrl);

  // The step timeline: check CAD → render → deliver, with the device it rendered on.
  await line.getByRole("button", { name: /Show steps of/ }).click();
  const steps = page.getByRole("list", { name: "Steps" });
  await expect(steps.locator("[data-step]")).toHaveCount(3);
  await expect(steps.locator('[data-step="render_thumbnail"]')).toHaveAttribute("data-status", "completed");
  await expect(steps.getByTestId("device")).toContainText(/CPU|GPU/);
  await expect(page.getByTestId("line-summary")).toHaveText("1 line · 1 done");

  // The preview is the rendered image, and Download saves it as a PNG.
  const preview = line.getByTestId("media-preview");
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
  await shot(page, "order-detail-completed");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    line.getByRole("button", { name: /^Download / }).first().click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.png$/i);
  const file = await readFile(await download.path());
  expect([...file.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  // The creator got the completion summary.
  await expect(page.getByTestId("unread-count")).toBeVisible();
  await page.getByRole("button", { name: /^Notifications/ }).click();
  await expect(page.getByTestId("notification").filter({ hasText: "rendering complete: 1/1 succeeded" }).first()).toBeVisible();
  await shot(page, "notifications-open");

  // The board shows it under completed.
  await page.goto("/orders");
  const card = page.locator('[data-status="completed"]').getByTestId("order-card").filter({ hasText: `E2E thumbnail ${RUN}` });
  await expect(card).toBeVisible();
  await expect(card).toContainText("1 line · 1 done");
  await shot(page, "orders-kanban-after");
});

test("clients see only their own orders, and another tenant sees none", async ({ page, request }) => {
  test.setTimeout(4 * 60_000);
  const pm = await token(request, "pm@demo.local");
  // A product without a CAD file cannot be picked in the wizard: this one has the bearing.
  const item = await product(request, pm, `E2E-B-${RUN}`, await readyBearing(request, pm));
  await outputType(request, "Thumbnail");

  // client@demo.local makes a draft with the wizard.
  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await page.goto("/orders/new");
  await page.getByRole("searchbox", { name: "Search by name or PIM id" }).fill(item.pim_id);
  await page.getByRole("group", { name: "Products found" }).getByRole("checkbox", { name: new RegExp(item.pim_id) }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("group", { name: "Output types" }).getByRole("checkbox", { name: /^Thumbnail\b(?! 64)/ }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Title").fill(`E2E client draft ${RUN}`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderId = page.url().split("/").pop() ?? "";
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "draft");
  await expect(page.getByRole("button", { name: "Submit" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Reject" })).toHaveCount(0); // not for clients
  await shot(page, "order-client-draft");
  await page.goto("/orders");
  await expect(page.getByTestId("order-card").filter({ hasText: `E2E client draft ${RUN}` })).toBeVisible();
  await logout(page);

  // Another client of the same tenant sees neither the order nor a card of it.
  const admin = await token(request, "admin@demo.local");
  const email = `client-${RUN}@demo.local`;
  const password = `e2e-${RUN}-other-client`;
  const made = await call<{ temporary_password: string }>(request, admin, "post", "/api/users", {
    email,
    full_name: "Olga Other",
    role: "client",
  });
  // A new user's password is temporary: set their own first (the Users screen's spec shows the UI).
  const temporary = await token(request, email, made.temporary_password);
  await call(request, temporary, "post", "/api/auth/password", {
    current_password: made.temporary_password,
    new_password: password,
  });
  const other = await token(request, email, password);
  expect((await request.get(`/api/orders/${orderId}`, { headers: bearer(other) })).status()).toBe(404);
  const board = await call<{ columns: Array<{ count: number }> }>(request, other, "get", "/api/orders?view=kanban");
  expect(board.columns.reduce((sum, c) => sum + c.count, 0)).toBe(0);

  await login(page, email, password);
  await expect(page).toHaveURL(/\/products$/);
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: "Order not found" })).toBeVisible();
  await shot(page, "order-other-client-not-found");
  await page.goto("/orders");
  await expect(page.getByTestId("kanban")).toBeVisible();
  await expect(page.getByTestId("order-card")).toHaveCount(0);
  await logout(page);

  // The project manager of acme sees none of demo's orders.
  const acme = await token(request, "pm@acme.local");
  expect((await request.get(`/api/orders/${orderId}`, { headers: bearer(acme) })).status()).toBe(404);
  const page1 = await call<{ items: Array<{ id: string }> }>(request, acme, "get", "/api/orders?page_size=200");
  expect(page1.items.map((o) => o.id)).not.toContain(orderId);

  await login(page, "pm@acme.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto("/orders");
  await expect(page.getByTestId("kanban")).toBeVisible();
  await expect(page.getByTestId("order-card").filter({ hasText: RUN })).toHaveCount(0);
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: "Order not found" })).toBeVisible();
  await shot(page, "order-other-tenant-not-found");
});

test("a project manager rejects with a reason; the client reads it, is notified, and resubmits", async ({
  page,
  request,
}) => {
  test.setTimeout(4 * 60_000);
  const pm = await token(request, "pm@demo.local");
  const cadId = await readyBearing(request, pm);
  const item = await product(request, pm, `E2E-C-${RUN}`, cadId);
  // A turntable takes minutes on a CPU: the order is still submitted or processing when rejected.
  const turntable = await outputType(request, "Turntable 36 frames");
  const client = await token(request, "client@demo.local");
  const order = await call<{ id: string; number: string }>(request, client, "post", "/api/orders", {
    title: `E2E to reject ${RUN}`,
    product_ids: [item.id],
    output_type_ids: [turntable.id],
  });
  await call(request, client, "post", `/api/orders/${order.id}/submit`);

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto("/orders");
  await page.getByTestId("order-card").filter({ hasText: `E2E to reject ${RUN}` }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order.id}$`));
  await page.getByRole("button", { name: "Reject" }).click();
  const dialog = page.getByRole("dialog", { name: `Reject ${order.number}` });
  await expect(dialog.getByRole("checkbox", { name: "Notify the client" })).toBeChecked();
  await dialog.getByRole("button", { name: "Reject order" }).click();
  await expect(dialog.getByText("Say why in at least 3 characters.")).toBeVisible();
  const reason = "Wrong view: please order the front still instead";
  await dialog.getByLabel("Reason").fill(reason);
  await shot(page, "order-reject-dialog");
  await dialog.getByRole("button", { name: "Reject order" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "rejected");
  await expect(page.getByTestId("rejection-reason")).toHaveText(reason);
  await expect(page.getByRole("button", { name: "Reject" })).toHaveCount(0);
  await expect(page.getByTestId("order-line")).toHaveAttribute("data-render-status", "cancelled");
  await shot(page, "order-rejected-pm");
  await logout(page);

  // The client: a notification, the reason on the order, resubmit → draft.
  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await expect(page.getByTestId("unread-count")).toBeVisible();
  await page.getByRole("button", { name: /^Notifications/ }).click();
  const note = page.getByTestId("notification").filter({ hasText: `#${order.number} was rejected` });
  await expect(note).toContainText(reason);
  await expect(note).toHaveAttribute("data-read", "false");
  await shot(page, "notifications-client-rejected");
  await note.click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order.id}$`));
  await expect(page.getByTestId("rejection")).toBeVisible();
  await expect(page.getByTestId("rejection-reason")).toHaveText(reason);
  await expect(page.getByTestId("history").locator('[data-transition="reject"]')).toContainText(reason);
  await shot(page, "order-rejected-client");

  await page.getByRole("button", { name: "Resubmit" }).click();
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "draft");
  await expect(page.getByTestId("rejection")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Submit" })).toBeVisible();
  await expect(page.getByTestId("history").locator('[data-transition="resubmit"]')).toBeVisible();
  await shot(page, "order-resubmitted-client");
});

/**
 * Honest order states and resubmits that keep finished work (issue 12), in the browser.
 *
 * Every test orders three lines of the demo tenant, rendered by the real workers:
 *   A  a product with the converted bearing × "Thumbnail 64"  → completes in seconds;
 *   B  a product without a CAD file × "Thumbnail 64"           → fails at the CAD check;
 *   C  a product × "Turntable 36 frames"                        → minutes on a CPU: still rendering
 *      (or queued) when a project manager cancels it or rejects the order.
 * C is added to the draft last and links to a freshly uploaded copy of the bearing, so its CAD
 * check waits for that conversion and A's thumbnail reaches the (single) render worker first.
 */
import { expect, test } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { apiCadReady, apiCall, apiToken, apiUploadStep } from "./api";
import { DEMO_PASSWORD, login, logout, shot, stepFixture } from "./support";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const RUN = Date.now().toString(36);
const RENDER_TIMEOUT = 180_000;
const PM_NAME = "Paul Manager"; // pm@demo.local in the demo seed

interface Line {
  id: string;
  render_status: string;
  job_document: { job_id?: string };
  media: Array<{ id: string }>;
}

interface Order {
  id: string;
  number: string;
  status: string;
  outcome: string | null;
  lines: Line[];
}

interface Three {
  order: Order;
  title: string;
  done: string;
  failed: string;
  slow: string;
}

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

async function outputTypeId(request: APIRequestContext, name: string, body?: Record<string, unknown>): Promise<string> {
  const admin = await apiToken(request, "admin@demo.local");
  const types = await apiCall<Array<{ id: string; name: string }>>(request, admin, "get", "/api/output-types");
  const existing = types.find((t) => t.name === name);
  if (existing) return existing.id;
  expect(body, `the output type ${name} is seeded`).toBeDefined();
  return (await apiCall<{ id: string }>(request, admin, "post", "/api/output-types", { name, ...body })).id;
}

async function getOrder(request: APIRequestContext, token: string, orderId: string): Promise<Order> {
  return apiCall<Order>(request, token, "get", `/api/orders/${orderId}`);
}

/** The client's order with one line completed (A), one failed (B) and one still rendering (C). */
async function threeOutcomes(request: APIRequestContext, tag: string): Promise<Three> {
  const pm = await apiToken(request, "pm@demo.local");
  const client = await apiToken(request, "client@demo.local");
  const bearing = await apiUploadStep(request, pm, BEARING);
  await apiCadReady(request, pm, bearing.id, RENDER_TIMEOUT);
  const product = (pimId: string, cadFileId: string | null) =>
    apiCall<{ id: string }>(request, pm, "post", "/api/products", { pim_id: pimId, name: `E2E ${pimId}`, cad_file_id: cadFileId });
  const a = await product(`E2E-OK-${tag}-${RUN}`, bearing.id);
  const b = await product(`E2E-NOCAD-${tag}-${RUN}`, null);
  const copy = await apiUploadStep(request, pm, BEARING, { name: `slow-${tag}-${RUN}.stp`, salt: `${tag}-${RUN}` });
  const c = await product(`E2E-SLOW-${tag}-${RUN}`, copy.id);
  const thumbnail = await outputTypeId(request, "Thumbnail 64", {
    kind: "thumbnail",
    render_settings: { width: 64, height: 64, samples: 4 },
    price: 1.25,
  });
  const turntable = await outputTypeId(request, "Turntable 36 frames");

  const title = `E2E outcomes ${tag} ${RUN}`;
  const draft = await apiCall<Order>(request, client, "post", "/api/orders", {
    title,
    product_ids: [a.id, b.id],
    output_type_ids: [thumbnail],
  });
  const withSlow = await apiCall<Order>(request, client, "post", `/api/orders/${draft.id}/lines`, {
    lines: [{ product_id: c.id, output_type_id: turntable }],
  });
  const idOf = (productId: string) =>
    (withSlow.lines as Array<Line & { product_id: string }>).find((l) => l.product_id === productId)?.id ?? "";
  const ids = { done: idOf(a.id), failed: idOf(b.id), slow: idOf(c.id) };
  await apiCall(request, client, "post", `/api/orders/${draft.id}/submit`);

  await expect
    .poll(
      async () => {
        const order = await getOrder(request, client, draft.id);
        const status = (id: string) => order.lines.find((l) => l.id === id)?.render_status;
        return [status(ids.done), status(ids.failed), ["queued", "running"].includes(status(ids.slow) ?? "")];
      },
      { timeout: RENDER_TIMEOUT, intervals: [1000, 2000] },
    )
    .toEqual(["completed", "failed", true]);
  return { order: await getOrder(request, client, draft.id), title, ...ids };
}

test("an order whose lines failed and were cancelled reads 'Completed with failures' and names who cancelled", async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(6 * 60_000);
  const { order, title } = await threeOutcomes(request, "cancel");

  // The client who ordered it watches, live, in a browser of their own.
  const watcher = await browser.newPage();
  await login(watcher, "client@demo.local");
  await expect(watcher).not.toHaveURL(/\/login/);
  await watcher.goto(`/orders/${order.id}`);
  await expect(watcher.getByTestId("live-status")).toHaveAttribute("data-live", "open");

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto(`/orders/${order.id}`);
  await page.getByRole("button", { name: "Cancel renders" }).click();
  const dialog = page.getByRole("dialog", { name: `Cancel the renders of ${order.number}?` });
  await dialog.getByRole("button", { name: "Cancel renders" }).click();
  await expect(dialog).toBeHidden();

  // Their toast is a warning (amber), not the red of a failure or a rejection.
  const toast = watcher.getByRole("status").filter({ hasText: `#${order.number} completed with failures` });
  await expect(toast).toBeVisible();
  await expect(toast).toHaveAttribute("data-tone", "warning");
  const edge = (tone: string) => watcher.evaluate((name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim(), tone);
  const [warning, danger] = [await edge("--tone-progress-fg"), await edge("--tone-danger-fg")];
  const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
  await expect(toast).toHaveCSS("border-left-color", rgb(warning));
  expect(rgb(warning)).not.toBe(rgb(danger));
  await shot(watcher, "order-outcome-toast");
  await watcher.close();
  const status = page.getByTestId("order-status");
  await expect(status).toHaveAttribute("data-status", "completed");
  await expect(status).toHaveAttribute("data-outcome", "completed_with_failures");
  await expect(status).toHaveText("Completed with failures");
  await expect(page.getByTestId("outcome-counts")).toHaveText("1 done · 1 failed · 1 cancelled");
  const history = page.getByTestId("history");
  await expect(history.locator('[data-transition="cancel_renders"]')).toContainText("Renders cancelled by you");
  await shot(page, "order-outcome-pm");
  // Nobody is told of their own action: the project manager who cancelled gets no summary (only
  // the client's submit, which was not theirs).
  const pm = await apiToken(request, "pm@demo.local");
  const pmNotes = await apiCall<{ items: Array<{ action: string; target_id: string | null }> }>(
    request,
    pm,
    "get",
    "/api/notifications?page_size=100",
  );
  expect(pmNotes.items.filter((n) => n.target_id === order.id).map((n) => n.action)).toEqual(["order.submitted"]);
  await logout(page);

  // The client who ordered it: the matching notification, and a history that names the canceller.
  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await page.getByRole("button", { name: /^Notifications/ }).click();
  const note = page.getByTestId("notification").filter({ hasText: `#${order.number} completed with failures` });
  await expect(note).toContainText(`1/3 succeeded, 1 failed, 1 cancelled by ${PM_NAME}`);
  await expect(page.getByTestId("notification").filter({ hasText: `#${order.number} rendering complete` })).toHaveCount(0);
  await shot(page, "order-outcome-notification");
  await page.goto(`/orders/${order.id}`);
  await expect(status).toHaveText("Completed with failures");
  await expect(history.locator('[data-transition="cancel_renders"]')).toContainText(`Renders cancelled by ${PM_NAME}`);
  await expect(history.locator('[data-transition="complete"]')).toContainText(`Completed with failures by ${PM_NAME}`);
  await expect(history.locator('[data-transition="complete"]')).toContainText("1 done · 1 failed · 1 cancelled");
  await expect(history).not.toContainText("Completed by Automat");
  await shot(page, "order-outcome-client");

  // The board: under Completed, but saying with failures, with the counts.
  await page.goto("/orders");
  const card = page.locator('[data-status="completed"]').getByTestId("order-card").filter({ hasText: title });
  await expect(card.getByTestId("order-outcome")).toHaveText("Completed with failures");
  await expect(card.getByTestId("order-counts")).toHaveText("3 lines · 1 done · 1 failed · 1 cancelled");
  await shot(page, "orders-kanban-outcome");
});

test("reject → resubmit → submit renders only the failed and cancelled lines; the finished one keeps its media", async ({
  page,
  request,
}) => {
  test.setTimeout(6 * 60_000);
  const { order, done, failed, slow } = await threeOutcomes(request, "resubmit");
  const pm = await apiToken(request, "pm@demo.local");
  const client = await apiToken(request, "client@demo.local");
  const kept = order.lines.find((l) => l.id === done) as Line;
  expect(kept.media.length).toBeGreaterThan(0);
  await apiCall(request, pm, "post", `/api/orders/${order.id}/reject`, { reason: "Please add the 2Z variant", notify_client: true });

  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await page.goto(`/orders/${order.id}`);
  const status = page.getByTestId("order-status");
  await expect(status).toHaveAttribute("data-status", "rejected");
  await page.getByRole("button", { name: "Resubmit", exact: true }).click();
  await expect(status).toHaveAttribute("data-status", "draft");

  // The draft says what the next submit will do, line by line.
  const row = (id: string) => page.locator(`[data-testid="order-line"][data-line-id="${id}"]`);
  await expect(row(done)).toHaveAttribute("data-render-status", "completed");
  await expect(row(done).getByTestId("line-plan")).toContainText("Kept from submission 1");
  await expect(row(failed).getByTestId("line-plan")).toHaveText("Runs again on submit");
  await expect(row(slow)).toHaveAttribute("data-render-status", "cancelled");
  await expect(row(slow).getByTestId("line-plan")).toHaveText("Runs again on submit");
  const plan = page.getByTestId("submit-plan");
  await expect(plan).toHaveText("Submit renders 2 lines; 1 finished line keeps its media.");
  // "Render again" on the finished line, then keep it after all.
  await row(done).getByRole("button", { name: "Render again", exact: true }).click();
  await expect(row(done).getByTestId("line-plan")).toHaveAttribute("data-render-again", "true");
  await expect(plan).toHaveText("Submit renders 3 lines.");
  await shot(page, "order-draft-render-again");
  await row(done).getByRole("button", { name: "Keep", exact: true }).click();
  await expect(row(done).getByTestId("line-plan")).toHaveAttribute("data-render-again", "false");
  await expect(plan).toHaveText("Submit renders 2 lines; 1 finished line keeps its media.");
  await shot(page, "order-draft-resubmitted");

  await page.getByRole("button", { name: "Submit", exact: true }).click();
  await expect(status).not.toHaveAttribute("data-status", "draft");
  await expect(page.getByTestId("history").locator('[data-transition="submit"]').first()).toContainText(
    "Submitted again (submission 2)",
  );
  await expect(page.getByTestId("history").locator('[data-transition="submit"]').first()).toContainText(
    "2 lines to render, 1 finished kept",
  );
  await expect(row(done)).toHaveAttribute("data-render-status", "completed");
  await expect(row(done).getByTestId("media-preview")).toBeVisible();
  await expect(row(failed)).toHaveAttribute("data-render-status", "failed", { timeout: RENDER_TIMEOUT });
  await shot(page, "order-resubmitted-rendering");

  // Behind the page: the finished line was not queued again and kept its files; the others ran.
  const after = await getOrder(request, client, order.id);
  const line = (id: string) => after.lines.find((l) => l.id === id) as Line;
  expect(line(done).job_document.job_id).toBe(kept.job_document.job_id);
  expect(line(done).media.map((m) => m.id)).toEqual(kept.media.map((m) => m.id));
  expect(line(failed).job_document.job_id).toBe(`line:${failed}:2`);
  expect(line(slow).job_document.job_id).toBe(`line:${slow}:2`);
  expect(["queued", "running"]).toContain(line(slow).render_status);

  // The turntable would render for minutes: stop it.
  await apiCall(request, pm, "post", `/api/orders/${order.id}/cancel-renders`);
});

/**
 * A tenant's own workflow from the editor to a finished order line (issue 13), in the browser:
 * a tenant admin copies the Still built-in, sets its render node's camera position to "side",
 * saves version 2, tries it dry on a product and assigns it to an output type (a workflow without
 * a Deliver is refused there, with the server's reason); a project manager submits an order of that
 * output type and watches the line's run on the canvas reach "completed" on every node, live.
 * The render is real (64 px, 4 samples); the bearing converts once per installation.
 */
import { expect, test } from "@playwright/test";
import type { APIRequestContext, Locator } from "@playwright/test";
import { apiCadReady, apiCall, apiToken, apiUploadStep } from "./api";
import { DEMO_PASSWORD, login, logout, openAdmin, shot, stepFixture } from "./support";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const RUN = Date.now().toString(36);
const NAME = `Still from the side ${RUN}`;
const NO_DELIVER = `Still kept to itself ${RUN}`;
const OUTPUT_TYPE = `Still 64 side ${RUN}`;
const PIM_ID = `E2E-RUN-${RUN}`;
const RENDER_TIMEOUT = 180_000;

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

interface Setup {
  cadId: string;
  productId: string;
  outputTypeId: string;
}

/** A ready bearing, a product of it, a small still output type, and a workflow order lines cannot run (no Deliver). */
async function setUp(request: APIRequestContext): Promise<Setup> {
  const admin = await apiToken(request, "admin@demo.local");
  const pm = await apiToken(request, "pm@demo.local");
  const bearing = await apiUploadStep(request, pm, BEARING);
  await apiCadReady(request, pm, bearing.id, RENDER_TIMEOUT);
  const product = await apiCall<{ id: string }>(request, pm, "post", "/api/products", {
    pim_id: PIM_ID,
    name: `Bearing ${RUN}`,
    cad_file_id: bearing.id,
  });
  const outputType = await apiCall<{ id: string }>(request, admin, "post", "/api/output-types", {
    name: OUTPUT_TYPE,
    kind: "still",
    render_settings: { width: 64, height: 64, samples: 4, position: "iso" },
    price: 2.5,
  });
  await apiCall(request, admin, "post", "/api/workflows", {
    name: NO_DELIVER,
    subject: "order_line",
    config: {
      version: 1,
      nodes: [
        { id: "check_cad", step: "check_cad", params: {} },
        { id: "render", step: "render_still", params: {} },
      ],
      edges: [{ from: "check_cad", to: "render" }],
    },
  });
  return { cadId: bearing.id, productId: product.id, outputTypeId: outputType.id };
}

const runOf = (scope: Locator, nodeId: string) => scope.getByTestId(`wf-node-${nodeId}`).getByTestId("wf-run");

test("a tenant admin's copy of Still, assigned to an output type, runs an order line to the end on the live canvas", async ({ page, request }) => {
  test.setTimeout(6 * 60_000);
  const setup = await setUp(request);

  // The tenant admin copies the built-in and sets the render's position in the generated form.
  await login(page, "admin@demo.local");
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/workflows");
  const still = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Still", exact: true }) });
  await still.getByRole("button", { name: "Copy Still" }).click();
  const copy = page.getByRole("dialog", { name: "Copy “Still”" });
  await copy.getByLabel("Name of the copy").fill(NAME);
  await copy.getByRole("button", { name: "Copy and edit" }).click();
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();
  await expect(page.getByTestId("used-by")).toHaveText(/Used by no output type/);
  const canvas = page.getByRole("region", { name: `Workflow ${NAME}` });
  await canvas.getByTestId("rf__node-render").click();
  const panel = page.getByTestId("node-panel");
  await panel.getByLabel("Position").fill("side");
  await expect(canvas.getByTestId("wf-node-render")).toContainText("position side");
  await page.getByRole("button", { name: "Save as version 2" }).click();
  await expect(page.getByTestId("latest-version")).toHaveText("Version 2");
  const workflowUrl = page.url();

  // A dry run on the product with the output type: the node's position over the type's settings.
  await page.getByRole("tab", { name: "Dry run" }).click();
  await page.getByLabel("Find a product").fill(PIM_ID);
  await page.getByLabel("Product", { exact: true }).selectOption({ label: `${PIM_ID} · Bearing ${RUN}` });
  await page.getByLabel("Output type").selectOption({ label: `${OUTPUT_TYPE} (still)` });
  await page.getByRole("button", { name: "Dry run", exact: true }).click();
  const dry = page.getByTestId("dry-run-result");
  await expect(dry).toContainText("Would run through: 3 nodes on 3 levels.");
  const render = dry.locator('[data-node-id="render"]');
  await expect(render).toContainText("position side");
  await expect(render).toContainText("width 64");
  await expect(dry.locator('[data-node-id="check_cad"]')).toContainText("is ready");
  await shot(page, "workflow-dry-run");

  // The output types page: a workflow without a Deliver is refused, the copy is taken.
  await openAdmin(page, "Output types");
  await expect(page.getByRole("heading", { name: "Output types", exact: true })).toBeVisible();
  const row = page.getByTestId("output-type").and(page.locator(`[data-name="${OUTPUT_TYPE}"]`));
  const select = row.getByRole("combobox", { name: `Workflow of ${OUTPUT_TYPE}` });
  await expect(select).toHaveValue("");
  await expect(select.locator("option:checked")).toHaveText("Still (built-in)");
  await select.selectOption({ label: `${NO_DELIVER} · version 1` });
  await row.getByRole("button", { name: `Save the workflow of ${OUTPUT_TYPE}` }).click();
  await expect(row.getByRole("alert")).toContainText(`Order lines cannot run the workflow “${NO_DELIVER}”: it has no Deliver node`);
  await shot(page, "output-types-refused");
  await select.selectOption({ label: `${NAME} · version 2` });
  await row.getByRole("button", { name: `Save the workflow of ${OUTPUT_TYPE}` }).click();
  await expect(row.getByRole("status")).toHaveText(`Saved: new lines run ${NAME}.`);
  await shot(page, "output-types");
  await page.goto(workflowUrl);
  await expect(page.getByTestId("used-by")).toHaveText(new RegExp(`Used by output types: ${OUTPUT_TYPE}`));

  // A project manager orders the product in that output type and submits it on the order page.
  await logout(page);
  const pm = await apiToken(request, "pm@demo.local");
  const order = await apiCall<{ id: string; lines: Array<{ id: string }> }>(request, pm, "post", "/api/orders", {
    title: `E2E run view ${RUN}`,
    product_ids: [setup.productId],
    output_type_ids: [setup.outputTypeId],
  });
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto(`/orders/${order.id}`);
  await page.getByRole("button", { name: `Workflow of Bearing ${RUN} · ${OUTPUT_TYPE}` }).click();
  const dialog = page.getByRole("dialog", { name: `Workflow · Bearing ${RUN} · ${OUTPUT_TYPE}` });
  await expect(dialog.getByText("The line runs its output type's workflow once the order is submitted.")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.getByRole("button", { name: "Submit", exact: true }).click();
  await expect(page.getByTestId("order-status")).not.toHaveAttribute("data-status", "draft");

  // The line's run on the canvas: the copy's version 2, live until every node is done.
  await page.getByRole("button", { name: `Workflow of Bearing ${RUN} · ${OUTPUT_TYPE}` }).click();
  const view = dialog.getByTestId("run-view");
  await expect(view).toHaveAttribute("data-live", "open");
  await expect(view).toContainText(`${NAME} version 2`);
  const runCanvas = dialog.getByRole("region", { name: `Run of ${NAME}` });
  await expect(runCanvas.getByTestId("wf-node-render")).toContainText("position side");
  await expect(runOf(runCanvas, "check_cad")).toHaveText(/Queued|Running|Done/);
  await shot(page, "workflow-run-live");
  await expect(dialog.getByTestId("run-status")).toHaveAttribute("data-status", "completed", { timeout: RENDER_TIMEOUT });
  for (const id of ["check_cad", "render", "deliver"]) await expect(runOf(runCanvas, id)).toContainText("Done");
  await expect(runOf(runCanvas, "render")).toHaveText(/Done\s*[\d.]+ s/);
  await expect(dialog.getByTestId("run-summary")).toHaveText("3 of 3 nodes done");
  await expect(dialog.locator('[data-testid="run-node"][data-status="completed"]')).toHaveCount(3);
  await expect(dialog.getByRole("button", { name: /^Retry/ })).toHaveCount(0);
  await shot(page, "workflow-run-completed");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.locator(`[data-line-id="${order.lines[0]?.id}"]`)).toHaveAttribute("data-render-status", "completed");

  // The CAD file's processing run, on its page.
  await page.goto(`/cad/${setup.cadId}`);
  const processing = page.getByTestId("run-view");
  await expect(processing.getByTestId("run-status")).toHaveAttribute("data-status", "completed");
  await expect(processing).toContainText("CAD processing");
  await shot(page, "cad-processing-run");
});

test("a failed node and its skipped descendants; once the product has a CAD file, its retry reopens the finished order and completes it", async ({
  page,
  request,
}) => {
  test.setTimeout(5 * 60_000);
  const admin = await apiToken(request, "admin@demo.local");
  const pm = await apiToken(request, "pm@demo.local");
  const product = await apiCall<{ id: string }>(request, pm, "post", "/api/products", {
    pim_id: `E2E-NOCAD-RUN-${RUN}`,
    name: `No CAD ${RUN}`,
    cad_file_id: null,
  });
  const small = `Still 64 retry ${RUN}`;
  const outputType = await apiCall<{ id: string }>(request, admin, "post", "/api/output-types", {
    name: small,
    kind: "still",
    render_settings: { width: 64, height: 64, samples: 4, position: "iso" },
    price: 1,
  });
  const order = await apiCall<{ id: string }>(request, pm, "post", "/api/orders", {
    title: `E2E failed run ${RUN}`,
    product_ids: [product.id],
    output_type_ids: [outputType.id],
  });
  await apiCall(request, pm, "post", `/api/orders/${order.id}/submit`);

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto(`/orders/${order.id}`);
  const status = page.getByTestId("order-status");
  await expect(status).toHaveAttribute("data-outcome", "completed_with_failures", { timeout: 60_000 });
  await page.getByRole("button", { name: `Workflow of No CAD ${RUN} · ${small}` }).click();
  const dialog = page.getByRole("dialog", { name: `Workflow · No CAD ${RUN} · ${small}` });
  await expect(dialog.getByTestId("run-status")).toHaveAttribute("data-status", "failed");
  const canvas = dialog.getByRole("region", { name: "Run of Still" });
  await expect(runOf(canvas, "check_cad")).toContainText("Failed");
  await expect(runOf(canvas, "render")).toContainText("Skipped");
  await expect(runOf(canvas, "deliver")).toContainText("Skipped");
  await expect(dialog.locator('[data-testid="run-node"][data-node-id="render"]')).toContainText("skipped: check_cad failed");
  await expect(dialog.locator('[data-testid="run-node"][data-node-id="check_cad"]')).toContainText("link one, then retry this step");
  await shot(page, "workflow-run-failed");

  // The missing CAD file is linked; the failed node's retry reopens the finished order.
  const bearing = await apiUploadStep(request, pm, BEARING);
  await apiCadReady(request, pm, bearing.id, RENDER_TIMEOUT);
  await apiCall(request, pm, "patch", `/api/products/${product.id}`, { cad_file_id: bearing.id });
  await dialog.getByRole("button", { name: "Retry check_cad" }).click();
  await expect(dialog.getByTestId("run-status")).toHaveAttribute("data-status", "completed", { timeout: RENDER_TIMEOUT });
  for (const id of ["check_cad", "render", "deliver"]) await expect(runOf(canvas, id)).toContainText("Done");
  await expect(dialog.getByRole("button", { name: /^Retry/ })).toHaveCount(0);
  await shot(page, "workflow-run-retried");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(status).toHaveAttribute("data-outcome", "completed");
  await expect(page.getByTestId("history").locator('[data-transition="reopen"]')).toContainText("Reopened by you · a failed line runs check_cad, render, deliver again");
});

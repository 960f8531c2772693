import { expect, test } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { DEMO_PASSWORD, login, logout, shot } from "./support";

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

// Workflow names are unique per tenant; the installation is shared by every spec of the run.
const NAME = `Still, two positions ${Date.now().toString(36)}`;

const node = (canvas: Locator, id: string) => canvas.getByTestId(`rf__node-${id}`);

/** Drag a connection from `from`'s output handle to `to`'s input handle; `whileOver` runs before the release. */
async function connect(page: Page, canvas: Locator, from: string, to: string, whileOver?: () => Promise<void>) {
  const source = node(canvas, from).locator(".react-flow__handle.source");
  const target = node(canvas, to).locator(".react-flow__handle.target");
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  if (!a || !b) throw new Error(`no handles between ${from} and ${to}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 30, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await whileOver?.();
  await page.mouse.up();
}

test("a tenant admin copies the Still built-in, adds a second still, saves version 2; a project manager reads it", async ({ page }) => {
  await login(page, "admin@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
  await expect(page.getByRole("heading", { name: "Workflows", exact: true })).toBeVisible();
  const still = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Still", exact: true }) });
  await expect(still).toContainText("Built-in");
  await shot(page, "workflows");

  await still.getByRole("button", { name: "Copy Still" }).click();
  const dialog = page.getByRole("dialog", { name: "Copy “Still”" });
  await dialog.getByLabel("Name of the copy").fill(NAME);
  await dialog.getByRole("button", { name: "Copy and edit" }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]+$/);
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();
  await expect(page.getByTestId("editor-status")).toHaveText("Version 1 · saved");
  const canvas = page.getByRole("region", { name: `Workflow ${NAME}` });
  const edges = canvas.locator(".react-flow__edge");
  await expect(edges).toHaveCount(2);

  // A second still from the palette; the server's check names it on the node: it is not connected yet.
  await page.getByRole("complementary", { name: "Steps" }).getByRole("button", { name: /Render still/ }).click();
  const second = node(canvas, "render_still");
  await expect(second).toBeVisible();
  await expect(second).toContainText("has no predecessor");
  await expect(page.getByTestId("editor-status")).toHaveText(/1 problem/);

  // Its camera position in the form generated from the step's JSON Schema.
  const panel = page.getByTestId("node-panel");
  await expect(panel.getByRole("heading", { name: "Render still" })).toBeVisible();
  await expect(panel.getByLabel("Width")).toHaveAttribute("placeholder", "Default");
  await expect(panel).toContainText("Image width in pixels. A whole number from 16 to 8192. Default: the output type's setting");
  await panel.getByLabel("Width").fill("8");
  await expect(panel).toContainText("Enter a whole number from 16 to 8192.");
  await panel.getByLabel("Width").fill("");
  await panel.getByLabel("Position").fill("front");
  await expect(second).toContainText("position front");
  await expect(second).not.toContainText("width");

  // Refused while dragging: a delivery cannot feed the CAD check (media_asset is no product).
  await connect(page, canvas, "deliver", "check_cad", async () => {
    await expect(canvas.getByTestId("connection-hint")).toHaveText(
      "Cannot connect: Check CAD file takes product, but Deliver media makes media_asset.",
    );
    await shot(page, "workflow-editor-refused");
  });
  await expect(edges).toHaveCount(2);

  await connect(page, canvas, "check_cad", "render_still");
  await connect(page, canvas, "render_still", "deliver");
  await expect(edges).toHaveCount(4);
  await expect(second).not.toContainText("has no predecessor");
  await expect(page.getByTestId("editor-status")).toHaveText("Unsaved changes");

  // Undo and redo the last connection with the keyboard.
  await canvas.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("Control+z");
  await expect(edges).toHaveCount(3);
  await page.keyboard.press("Control+Shift+z");
  await expect(edges).toHaveCount(4);
  await second.click();
  await shot(page, "workflow-editor");

  await page.getByLabel("Version note").fill("A second still from the front");
  await page.getByRole("button", { name: "Save as version 2" }).click();
  await expect(page.getByText("Saved as version 2")).toBeVisible();
  await expect(page.getByTestId("latest-version")).toHaveText("Version 2");
  await expect(page.getByTestId("editor-status")).toHaveText("Version 2 · saved");

  await page.getByRole("tab", { name: "History (2)" }).click();
  const versions = page.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("button")).toHaveCount(2);
  await expect(versions.getByRole("button").first()).toContainText("Version 2");
  await expect(versions.getByRole("button").first()).toContainText("A second still from the front");
  await expect(page.getByTestId("diff-summary")).toHaveText("From version 1 to 2: 1 node added, 2 edges added.");
  const diff = page.getByRole("region", { name: "Version 2" });
  await expect(node(diff, "render_still")).toContainText("Added");
  await expect(diff.locator(".wf-edge--added")).toHaveCount(2);
  await expect(page.getByTestId("diff-changes")).toContainText("Added node render_still (Render still)");
  await shot(page, "workflow-history");
  const url = page.url();

  // A project manager opens it read-only: no palette, no save, a form that cannot be changed.
  await logout(page);
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto(url);
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();
  await expect(page.getByText("You can look at workflows; tenant admins change them.")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Steps" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Save as version/ })).toHaveCount(0);
  const readOnly = page.getByRole("region", { name: `Workflow ${NAME}` });
  await node(readOnly, "render_still").click();
  await expect(page.getByTestId("node-panel").getByLabel("Position")).toHaveValue("front");
  await expect(page.getByTestId("node-panel").getByLabel("Position")).not.toBeEditable();
  await shot(page, "workflow-readonly");
});

/**
 * The media library in the browser: a project manager filters (chips with counts, Back undoes),
 * searches a PIM id, opens a preview of each kind (image at full size, turntable video playing,
 * GLB in the 3D viewer), moves and selects with the keyboard and the mouse, and downloads three
 * assets as a ZIP (opened and checked entry by entry); a client sees only the media of their own
 * orders.
 *
 * The media are real: the FreeCAD bearing converted by the workers, products linked to it, and
 * orders rendered by Blender with tiny output types (64 px thumbnail, an 8-frame 64 px turntable,
 * the seeded GLB export).
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { apiCadReady, apiCall as call, apiToken as token, apiUploadStep } from "./api";
import { DEMO_PASSWORD, login, shot, stepFixture } from "./support";
import { readZip } from "./zip";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const RENDER_TIMEOUT = 5 * 60_000;
const RUN = Date.now().toString(36);
// No word of one product's PIM id or name starts a word of another's: a search finds one product.
const PIM = `MEDA-${RUN}`; // the project manager's product: thumbnail, turntable, GLB
const OTHER_PIM = `MEDB-${RUN}`; // another of the tenant's products: a thumbnail
const CLIENT_PIM = `MEDC-${RUN}`; // the client's order

interface OutputType {
  id: string;
  name: string;
}

interface Asset {
  id: string;
  kind: string;
  role: string;
  file_name: string;
  file_size: number;
  content_type: string;
  pim_id: string | null;
  order_id: string | null;
}

async function outputType(request: APIRequestContext, name: string, body?: Record<string, unknown>): Promise<OutputType> {
  const admin = await token(request, "admin@demo.local");
  const existing = (await call<OutputType[]>(request, admin, "get", "/api/output-types")).find((t) => t.name === name);
  if (existing) return existing;
  expect(body, `the output type ${name} is seeded`).toBeDefined();
  return call<OutputType>(request, admin, "post", "/api/output-types", { name, ...body });
}

/** A submitted order of every product × output type, by `user`; resolves when it has finished. */
async function renderedOrder(request: APIRequestContext, user: string, productIds: string[], typeIds: string[]): Promise<string> {
  const order = await call<{ id: string }>(request, user, "post", "/api/orders", {
    title: `E2E media ${RUN}`,
    product_ids: productIds,
    output_type_ids: typeIds,
  });
  await call(request, user, "post", `/api/orders/${order.id}/submit`);
  return order.id;
}

async function finished(request: APIRequestContext, user: string, orderId: string): Promise<void> {
  await expect
    .poll(async () => (await call<{ status: string }>(request, user, "get", `/api/orders/${orderId}`)).status, {
      timeout: RENDER_TIMEOUT,
      intervals: [2000, 3000],
    })
    .toBe("completed");
}

async function assetsOf(request: APIRequestContext, user: string, query: string): Promise<Asset[]> {
  return (await call<{ items: Asset[] }>(request, user, "get", `/api/media/assets?page_size=200&${query}`)).items;
}

/** The share of the viewer's canvas (drawn with preserveDrawingBuffer) that is not its background. */
async function drawnShare(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const source = element as HTMLCanvasElement;
    const copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext("2d");
    if (!context || copy.width === 0 || copy.height === 0) return 0;
    context.drawImage(source, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      // viewer-scene.ts's background is #eef0f3
      if (Math.abs((data[i] ?? 0) - 0xee) + Math.abs((data[i + 1] ?? 0) - 0xf0) + Math.abs((data[i + 2] ?? 0) - 0xf3) > 24) drawn++;
    }
    return drawn / (data.length / 4);
  });
}

const grid = (page: Page) => page.getByRole("grid", { name: "Media" });
const tiles = (page: Page) => page.getByTestId("media-tile");

async function openMedia(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Media" }).click();
  await expect(page).toHaveURL(/\/media$/);
  await expect(page.getByRole("heading", { name: "Media", exact: true })).toBeVisible();
}

async function search(page: Page, term: string) {
  await page.getByRole("searchbox", { name: "Search media" }).fill(term);
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(term);
}

let pmAssets: Asset[] = [];
let clientAssets: Asset[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  test.setTimeout(RENDER_TIMEOUT + 4 * 60_000);
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
  const pm = await token(request, "pm@demo.local");
  const cad = await apiUploadStep(request, pm, BEARING);
  await apiCadReady(request, pm, cad.id);
  const product = (pimId: string) =>
    call<{ id: string }>(request, pm, "post", "/api/products", { pim_id: pimId, name: `E2E bearing ${pimId}`, cad_file_id: cad.id });
  const [mine, other, clients] = [await product(PIM), await product(OTHER_PIM), await product(CLIENT_PIM)];
  const thumbnail = await outputType(request, "Thumbnail 64", { kind: "thumbnail", render_settings: { width: 64, height: 64, samples: 4 }, price: 1.25 });
  const turntable = await outputType(request, "Turntable 8 frames 64", {
    kind: "turntable",
    render_settings: { width: 64, height: 64, samples: 4, frames: 8, fps: 8, format: "mp4" },
    price: 2,
  });
  const glb = await outputType(request, "Production GLB");

  const client = await token(request, "client@demo.local");
  const orders = [
    [pm, await renderedOrder(request, pm, [mine.id], [thumbnail.id, turntable.id, glb.id])],
    [pm, await renderedOrder(request, pm, [other.id], [thumbnail.id])],
    [client, await renderedOrder(request, client, [clients.id], [thumbnail.id])],
  ] as const;
  for (const [user, orderId] of orders) await finished(request, user, orderId);
  pmAssets = await assetsOf(request, pm, `q=${PIM}`);
  clientAssets = await assetsOf(request, client, "");
});

test("a project manager filters, searches a PIM id and previews an image, a turntable and a GLB", async ({ page }) => {
  test.setTimeout(3 * 60_000);
  // thumbnail, turntable video and its poster, GLB
  expect(pmAssets.map((a) => a.kind).sort()).toEqual(["glb", "thumbnail", "turntable", "turntable"]);

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await openMedia(page);
  await expect(tiles(page).first()).toBeVisible();
  // Only the visible rows are in the DOM, however many assets there are.
  await expect(page.getByTestId("media-count")).not.toHaveText("");
  await shot(page, "media-grid");

  // The search: the PIM id narrows the grid to this product's four files.
  await search(page, PIM);
  await expect(tiles(page)).toHaveCount(4);
  await expect(page.getByTestId("media-count")).toHaveText("4 assets");
  // A PIM prefix typed without its dashes finds it too.
  await search(page, PIM.replace(/-/g, " ").toLowerCase());
  await expect(tiles(page)).toHaveCount(4);
  await search(page, PIM);

  // The chips count what choosing them gives; a chip filters; Back takes it off again.
  const types = page.getByRole("group", { name: "Type" });
  await expect(types.getByRole("button", { name: /^GLB/ })).toHaveText(/GLB\s*1$/);
  await expect(types.getByRole("button", { name: /^Turntable/ })).toHaveText(/Turntable\s*2$/);
  await types.getByRole("button", { name: /^GLB/ }).click();
  await expect(page).toHaveURL(/[?&]type=/);
  await expect(types.getByRole("button", { name: /^GLB/ })).toHaveAttribute("aria-pressed", "true");
  await expect(tiles(page)).toHaveCount(1);
  await expect(tiles(page).first()).toHaveAttribute("data-kind", "glb");
  await shot(page, "media-filtered");
  await page.goBack();
  await expect(page).not.toHaveURL(/[?&]type=/);
  await expect(tiles(page)).toHaveCount(4);
  await expect(types.getByRole("button", { name: /^GLB/ })).toHaveAttribute("aria-pressed", "false");

  // The image, at full size (its own 64 px).
  const preview = page.getByRole("complementary", { name: "Preview" });
  await tiles(page).and(page.locator('[data-kind="thumbnail"]')).click();
  await expect(page).toHaveURL(/[?&]asset=/);
  const image = preview.getByTestId("media-preview-image");
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
  await expect(preview.getByTestId("media-product-link")).toHaveAttribute("href", /\/products\/[0-9a-f-]{36}$/);
  await expect(preview.getByTestId("media-order-link")).toHaveAttribute("href", /\/orders\/[0-9a-f-]{36}$/);
  await expect(preview.getByTestId("media-cad-link")).toHaveAttribute("href", /\/cad\/[0-9a-f-]{36}$/);
  await expect(preview.getByTestId("media-facts")).toContainText(PIM);
  await shot(page, "media-preview-image");

  // The link is shareable: a reload opens the same filters and preview.
  await page.reload();
  await expect(tiles(page)).toHaveCount(4);
  await expect.poll(() => preview.getByTestId("media-preview-image").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);

  // The turntable, playing.
  await tiles(page).and(page.locator('[data-content-type^="video/"]')).click();
  const video = preview.getByTestId("media-preview-video");
  await expect(video).toBeVisible();
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => ({ width: v.videoWidth, playing: !v.paused && v.readyState >= 2 })), {
      timeout: 20_000,
    })
    .toEqual({ width: 64, playing: true });
  const t0 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).not.toBe(t0);
  await shot(page, "media-preview-video");

  // The GLB, in the CAD library's 3D viewer.
  await tiles(page).and(page.locator('[data-kind="glb"]')).click();
  const viewer = preview.getByTestId("cad-viewer");
  await expect(viewer).toHaveAttribute("data-state", "ready", { timeout: 30_000 });
  const box = await viewer.boundingBox();
  expect(Math.min(box?.width ?? 0, box?.height ?? 0), "the viewer fills the preview's stage").toBeGreaterThan(250);
  const canvas = viewer.getByTestId("cad-viewer-canvas");
  await expect.poll(() => drawnShare(canvas), { timeout: 20_000 }).toBeGreaterThan(0.02);
  await shot(page, "media-preview-glb");
  await preview.screenshot({ path: "test-results/screenshots/media-preview-glb-pane.png" });

  // The keyboard: Home, then Right and Enter previews the second tile; Shift+Right selects a range.
  await grid(page).focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  const second = await tiles(page).nth(1).getAttribute("data-asset-id");
  await expect(page).toHaveURL(new RegExp(`[?&]asset=${second}`));
  await page.keyboard.press("Shift+ArrowRight");
  await expect(page.getByTestId("selected-count")).toHaveText("2 selected");
  await expect(tiles(page).nth(1)).toHaveAttribute("aria-selected", "true");
  await expect(tiles(page).nth(2)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("selected-count")).toHaveText("Nothing selected");

  // Nothing matches: the empty state offers to clear the filters.
  await search(page, `${PIM}-NOTHING`);
  await expect(page.getByText(/^No media match/)).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/media$/);
});

test("a project manager selects three assets and downloads them as a ZIP", async ({ page, request }) => {
  test.setTimeout(2 * 60_000);
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto(`/media?q=${PIM}`);
  await expect(tiles(page)).toHaveCount(4);

  // Click the first, shift-click the third: three selected.
  await tiles(page).nth(0).click();
  await tiles(page).nth(2).click({ modifiers: ["Shift"] });
  await expect(page.getByTestId("selected-count")).toHaveText("3 selected");
  const ids = await tiles(page).evaluateAll((nodes) =>
    nodes.filter((n) => n.getAttribute("aria-selected") === "true").map((n) => n.getAttribute("data-asset-id") ?? ""),
  );
  expect(ids).toHaveLength(3);
  // "Select all matching" and the checkbox's toggle.
  await page.getByRole("button", { name: "Select all 4 matching" }).click();
  await expect(page.getByTestId("selected-count")).toHaveText("4 selected");
  await page.getByRole("button", { name: "Clear selection" }).click();
  await tiles(page).nth(0).click();
  await tiles(page).nth(2).click({ modifiers: ["Shift"] });
  await expect(page.getByTestId("selected-count")).toHaveText("3 selected");

  // The bulk download is another part of issue 14: without it on this server, this step has nothing to test.
  const pm = await token(request, "pm@demo.local");
  const probe = await request.post("/api/media/downloads", { headers: { Authorization: `Bearer ${pm}` }, data: { asset_ids: ids } });
  test.skip([404, 405].includes(probe.status()) && !/media/i.test(await probe.text()), "POST /api/media/downloads is not on this server");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download selected (3)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/i);
  const entries = readZip(await readFile(await download.path()));
  const files = entries.filter((entry) => entry.name !== "manifest.csv");
  expect(entries.map((entry) => entry.name)).toContain("manifest.csv");
  expect(files).toHaveLength(3);
  const selected = pmAssets.filter((asset) => ids.includes(asset.id));
  expect(files.map((entry) => entry.size).sort()).toEqual(selected.map((asset) => asset.file_size).sort());
  for (const entry of files) expect(entry.method, `${entry.name} is stored, not deflated`).toBe(0);
  const manifest = entries.find((entry) => entry.name === "manifest.csv")?.data?.toString("utf8") ?? "";
  expect(manifest).toContain(PIM);
  await shot(page, "media-selected");
});

test("a client sees only the media of their own orders", async ({ page }) => {
  test.setTimeout(2 * 60_000);
  expect(clientAssets.length).toBeGreaterThan(0);
  expect(clientAssets.every((asset) => asset.pim_id !== PIM && asset.pim_id !== OTHER_PIM)).toBe(true);

  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await openMedia(page);
  await expect(tiles(page).first()).toBeVisible();
  const shown = await tiles(page).evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-asset-id")));
  const own = new Set(clientAssets.map((asset) => asset.id));
  expect(shown.every((id) => id !== null && own.has(id))).toBe(true);

  await search(page, CLIENT_PIM);
  await expect(tiles(page)).toHaveCount(1);
  // The project manager's product is not theirs: nothing found, not even by its PIM id.
  await search(page, PIM);
  await expect(page.getByText(/^No media match/)).toBeVisible();
  await expect(tiles(page)).toHaveCount(0);
  // Nor by a link to one of its assets.
  await page.goto(`/media?asset=${pmAssets[0]?.id}`);
  await expect(page.getByRole("complementary", { name: "Preview" })).toContainText("could not be loaded");
  await shot(page, "media-client");
});

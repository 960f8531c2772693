/**
 * Progress you can trust: a turntable being rendered shows "Frame i / N" and the time left on the
 * order page, live; its poster and the order's other picture open large in a lightbox that goes
 * next / previous with the buttons and the arrow keys.
 *
 * The demo's "Turntable 36 frames" renders 1024 px frames: far too long for a test. A small
 * turntable (30 frames of 160 px) is made by the tenant admin instead, long enough to be watched.
 */
import { expect, test } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { apiCadReady, apiCall, apiToken, apiUploadStep } from "./api";
import { DEMO_PASSWORD, login, shot, stepFixture } from "./support";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const FRAMES = 30;
const RENDER_TIMEOUT = 240_000;
const RUN = Date.now().toString(36);

async function readyBearing(request: APIRequestContext, pm: string): Promise<string> {
  const { id } = await apiUploadStep(request, pm, BEARING);
  await apiCadReady(request, pm, id, RENDER_TIMEOUT);
  return id;
}

interface OutputType {
  id: string;
  name: string;
}

async function outputType(request: APIRequestContext, name: string, body: Record<string, unknown>): Promise<OutputType> {
  const admin = await apiToken(request, "admin@demo.local");
  const existing = (await apiCall<OutputType[]>(request, admin, "get", "/api/output-types")).find((t) => t.name === name);
  return existing ?? apiCall<OutputType>(request, admin, "post", "/api/output-types", { name, ...body });
}

test("a turntable shows frame i / N and the time left while it renders; previews open large", async ({ page, request }) => {
  test.setTimeout(8 * 60_000);
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
  const pm = await apiToken(request, "pm@demo.local");
  const cadId = await readyBearing(request, pm);
  const product = await apiCall<{ id: string }>(request, pm, "post", "/api/products", {
    pim_id: `E2E-TT-${RUN}`,
    name: `E2E turntable bearing ${RUN}`,
    cad_file_id: cadId,
  });
  const turntable = await outputType(request, `Turntable ${FRAMES} frames 160`, {
    kind: "turntable",
    render_settings: { width: 160, height: 160, samples: 24, frames: FRAMES, fps: 12, format: "mp4" },
    price: 3,
  });
  const thumbnail = await outputType(request, "Thumbnail 64", {
    kind: "thumbnail",
    render_settings: { width: 64, height: 64, samples: 4 },
    price: 1.25,
  });
  const order = await apiCall<{ id: string }>(request, pm, "post", "/api/orders", {
    title: `E2E progress ${RUN}`,
    product_ids: [product.id],
    output_type_ids: [turntable.id, thumbnail.id],
  });

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto(`/orders/${order.id}`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-live", "open");
  await apiCall(request, pm, "post", `/api/orders/${order.id}/submit`);

  // While it renders: which frame of how many, and how long it will take still.
  const line = page.getByTestId("order-line").filter({ hasText: turntable.name });
  const progress = line.getByTestId("line-progress");
  await expect(progress).toContainText(new RegExp(`Frame \\d+ / ${FRAMES}`), { timeout: RENDER_TIMEOUT });
  await expect(line.getByTestId("line-eta")).toHaveText(/^(about .+|a few seconds) left$/);
  await expect(line.getByRole("progressbar")).toBeVisible();
  await shot(page, "render-progress-running");
  const seen = Number(/Frame (\d+)/.exec((await progress.textContent()) ?? "")?.[1]);
  // It moves on without a reload.
  await expect
    .poll(
      async () => {
        if ((await progress.count()) === 0) return FRAMES + 1; // finished meanwhile: it did move on
        const text = await progress.textContent({ timeout: 1000 }).catch(() => "");
        return Number(/Frame (\d+)/.exec(text ?? "")?.[1] ?? 0);
      },
      { timeout: RENDER_TIMEOUT },
    )
    .toBeGreaterThan(seen);

  // Done: both lines have a picture, and the progress has made way for the media.
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "completed", { timeout: RENDER_TIMEOUT });
  await expect(progress).toHaveCount(0);
  const openers = page.getByRole("button", { name: /^Open the (poster|preview) of .* large$/ });
  await expect(openers).toHaveCount(2);

  // The lightbox: the turntable's poster, large, then next / previous through the order's pictures.
  await line.getByRole("button", { name: /^Open the poster of .* large$/ }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAccessibleName(new RegExp(`${turntable.name}`));
  const image = dialog.getByTestId("lightbox-image");
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
  await expect(dialog.getByRole("button", { name: /Play the turntable/ })).toBeVisible();
  const position = dialog.getByTestId("lightbox-position");
  const first = (await position.textContent()) ?? "";
  await shot(page, "render-progress-lightbox");

  await page.keyboard.press("ArrowRight");
  await expect(position).not.toHaveText(first);
  await expect(dialog).toHaveAccessibleName(/Thumbnail 64/);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
  await page.keyboard.press("ArrowLeft");
  await expect(position).toHaveText(first);
  await dialog.getByRole("button", { name: "Next image" }).click();
  await expect(dialog).toHaveAccessibleName(/Thumbnail 64/);
  await dialog.getByRole("button", { name: "Previous image" }).click();
  await expect(dialog).toHaveAccessibleName(new RegExp(turntable.name));

  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(line.getByRole("button", { name: /^Open the poster of .* large$/ })).toBeFocused();
});

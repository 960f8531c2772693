/**
 * Layouts that survive real data: 300-character product names (the import accepts them), a long
 * order title and a long file name neither push a page sideways at 1280 nor at 390 px; they are cut
 * with an ellipsis and the full text is on hover (title). At 390 px tables are cards and the
 * navigation works.
 */
import { expect, test } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { apiCall, apiOutputType, apiToken, apiUploadStep } from "./api";
import { DEMO_PASSWORD, login, logout, openAccount, shot, stepFixture } from "./support";

const RUN = Date.now().toString(36);
const fill = (start: string, unit: string, length: number) => (start + unit.repeat(length)).slice(0, length);
/** One unbroken 300-character word, and 300 characters of words. */
const WORD_NAME = fill(`Unbroken${RUN}`, "X", 300);
const PROSE_NAME = fill(`Deep groove ball bearing ${RUN} `, "with seals on both sides and a very long description ", 300);
const LONG_PIM = fill(`LAY-${RUN}-`, "9", 100);
const TITLE = fill(`Catalogue${RUN}`, "Autumn", 200);
const FILE_NAME = `${fill(`screw_${RUN}_`, "countersunk_", 200)}.step`;

interface Created {
  orderId: string;
  cadId: string;
}

async function setUp(page: Page): Promise<Created> {
  const request = page.request;
  const pm = await apiToken(request, "pm@demo.local");
  const cad = await apiUploadStep(request, pm, stepFixture("screw_m6x12_countersunk.step"), { name: FILE_NAME, salt: RUN });
  const word = await apiCall<{ id: string }>(request, pm, "post", "/api/products", {
    pim_id: LONG_PIM,
    name: WORD_NAME,
    cad_file_id: cad.id,
  });
  const prose = await apiCall<{ id: string }>(request, pm, "post", "/api/products", {
    pim_id: `LAY-${RUN}-2`,
    name: PROSE_NAME,
    cad_file_id: cad.id,
  });
  const order = await apiCall<{ id: string }>(request, pm, "post", "/api/orders", {
    title: TITLE,
    product_ids: [word.id, prose.id],
    output_type_ids: [(await apiOutputType(request, pm, "Thumbnail")).id],
  });
  return { orderId: order.id, cadId: cad.id };
}

async function expectNoSidewaysScroll(page: Page, what: string) {
  // Give late content (lists, thumbnails) a moment, then measure.
  await page.waitForLoadState("networkidle");
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
    // What sticks out on the right, for the message: the outermost elements past the window's edge.
    const past = Array.from(document.querySelectorAll("body *")).filter(
      (element) => element.getBoundingClientRect().right > window.innerWidth + 0.5,
    );
    const outermost = past.filter((element) => !past.includes(element.parentElement as Element)).slice(0, 5);
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      widest: outermost.map((e) => `${e.tagName.toLowerCase()}.${Array.from(e.classList).join(".")} → ${Math.round(e.getBoundingClientRect().right)} px`),
    };
  });
  expect(scrollWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px window; past the edge: ${widest.join("; ")}`).toBeLessThanOrEqual(innerWidth);
}

/** The full text is on the element that shows it cut (title: hover, and read by assistive tech). */
async function expectFullTextOnHover(page: Page, text: string, what: string) {
  const holder = page.locator(`[title="${text}"]`).first();
  await expect(holder, `${what}: an element titled with the full text`).toBeVisible();
  await expect(holder, `${what}: the full text is in the page`).toContainText(text.slice(0, 40));
  const cut = await holder.evaluate((element) => element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight + 2);
  expect(cut, `${what}: the long text is cut, not laid out in full`).toBe(true);
}

/**
 * At 390 px a table is a list of cards: its header row is out of sight and each value shows its
 * column's name beside it (`data-label`, drawn by ui.css before the value).
 */
async function expectCards(table: Locator, labels: string[]) {
  const header = await table.locator("thead").boundingBox();
  expect(header?.width ?? 0, "the header row is hidden").toBeLessThanOrEqual(1);
  for (const label of labels) {
    const cell = table.locator(`td[data-label="${label}"]`).first();
    await expect(cell, `a value labelled ${label}`).toBeVisible();
    const shown = await cell.evaluate((element) => getComputedStyle(element, "::before").content);
    expect(shown, `the label beside the value`).toBe(JSON.stringify(label));
  }
  // Every part of a value (a name and a PIM id, a pill and a note) stands right of its label,
  // none falls into the label's column.
  const misplaced = await table.locator('td[data-label]:not([data-label=""])').evaluateAll((cells) =>
    cells.flatMap((cell) => {
      const labelEnd = cell.getBoundingClientRect().left + 72; // the label column is at least 72 px
      return Array.from(cell.querySelectorAll("*"))
        .filter((part) => part.getBoundingClientRect().width > 0 && part.getBoundingClientRect().left < labelEnd)
        .map((part) => `${cell.getAttribute("data-label")}: ${part.textContent?.slice(0, 30)}`);
    }),
  );
  expect(misplaced, "parts of values under the labels").toEqual([]);
}

let created: Created;

test.beforeAll(async ({ browser }) => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
  const page = await browser.newPage();
  created = await setUp(page);
  await page.close();
});

for (const width of [1280, 390]) {
  test(`long names, titles and file names stay within a ${width} px window`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: 900 });
    await login(page, "pm@demo.local");
    await expect(page).toHaveURL(/\/cad$/);

    // CAD library: the long file name is cut in its row.
    await expect(page.getByRole("link", { name: FILE_NAME })).toBeVisible();
    await expectNoSidewaysScroll(page, "CAD library");
    await expectFullTextOnHover(page, FILE_NAME, "CAD library");
    await shot(page, `layout-${width}-cad`);
    // With the keyboard on its link the whole name shows, still within the window.
    await page.getByRole("link", { name: FILE_NAME }).focus();
    const holder = page.locator(`[title="${FILE_NAME}"]`).first();
    await expect.poll(() => holder.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await expect(holder).toContainText(FILE_NAME);
    await expectNoSidewaysScroll(page, "CAD library, name focused");
    await page.getByRole("link", { name: FILE_NAME }).blur();

    await page.goto(`/cad/${created.cadId}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(FILE_NAME.slice(0, 20));
    await expectNoSidewaysScroll(page, "CAD file page");
    await shot(page, `layout-${width}-cad-detail`);

    // Products: the table keeps its columns.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Products" }).click();
    await page.getByRole("searchbox", { name: "Search products" }).fill(RUN);
    const table = page.getByRole("table", { name: "Products" });
    await expect(table.getByRole("row").filter({ hasText: LONG_PIM })).toBeVisible();
    await expect(table.getByRole("row").filter({ hasText: `LAY-${RUN}-2` })).toBeVisible();
    await expectNoSidewaysScroll(page, "Products");
    await expectFullTextOnHover(page, WORD_NAME, "Products");
    await expectFullTextOnHover(page, PROSE_NAME, "Products");
    if (width === 390) {
      await expectCards(table, ["Name"]); // a card per product, each value named
    } else {
      const cad = await table.getByRole("columnheader", { name: "CAD file" }).boundingBox();
      expect((cad?.x ?? 0) + (cad?.width ?? 0), "the last column is inside the window").toBeLessThanOrEqual(width);
    }
    await shot(page, `layout-${width}-products`);

    // Orders: the card cuts the title.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
    await expect(page.getByTestId("kanban")).toBeVisible();
    await expectNoSidewaysScroll(page, "Orders");
    await expectFullTextOnHover(page, TITLE, "Orders");
    // At 390 px the lanes stack and the page is the one scroll container: nothing in the board
    // scrolls by itself (at 1280 the lanes stand side by side, each scrolling its cards).
    const board = await page.getByTestId("kanban").evaluate((kanban) => {
      const scrolls = (element: Element) => {
        const style = getComputedStyle(element);
        return /auto|scroll/.test(`${style.overflowX} ${style.overflowY}`);
      };
      return {
        scrolling: [kanban, ...Array.from(kanban.querySelectorAll("*"))].filter(scrolls).map((e) => e.className),
        lefts: Array.from(kanban.children).map((lane) => Math.round(lane.getBoundingClientRect().left)),
      };
    });
    expect(board.lefts.length, "the board's lanes").toBeGreaterThanOrEqual(5);
    if (width === 390) {
      expect(board.scrolling, "scroll containers inside the board").toEqual([]);
      expect(new Set(board.lefts).size, "the lanes stack, one under the other").toBe(1);
    } else {
      expect(new Set(board.lefts).size, "the lanes stand side by side").toBe(board.lefts.length);
    }
    await shot(page, `layout-${width}-orders`);

    // The order page: title and lines.
    await page.goto(`/orders/${created.orderId}`);
    await expect(page.getByTestId("order-line")).toHaveCount(2);
    await expectNoSidewaysScroll(page, "Order page");
    await expectFullTextOnHover(page, TITLE, "Order page");
    await expectFullTextOnHover(page, WORD_NAME, "Order page");
    if (width === 390) await expectCards(page.getByRole("table", { name: "Order lines" }), ["Product", "Output type", "Status", "Media"]);
    await shot(page, `layout-${width}-order-detail`);

    // New order: the search results, the picked list and the review table.
    await page.goto("/orders/new");
    await page.getByRole("searchbox", { name: "Search by name or PIM id" }).fill(RUN);
    const found = page.getByRole("group", { name: "Products found" });
    await found.getByRole("checkbox", { name: new RegExp(LONG_PIM) }).check();
    await found.getByRole("checkbox", { name: new RegExp(`LAY-${RUN}-2`) }).check();
    await expectNoSidewaysScroll(page, "New order, products");
    await expectFullTextOnHover(page, WORD_NAME, "New order, products");
    await shot(page, `layout-${width}-new-order`);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("group", { name: "Output types" }).getByRole("checkbox").first().check();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByTestId("line-count")).toHaveText("2");
    await expectNoSidewaysScroll(page, "New order, review");
    if (width === 390) await expectCards(page.getByRole("table", { name: "Order lines" }), ["Product", "Output type", "Price"]);
    await shot(page, `layout-${width}-new-order-review`);
  });
}

/** Every control of the header is on screen and none lies over another (each can be clicked). */
async function expectHeaderFits(page: Page, who: string, width: number) {
  const controls = [
    ...(await page.getByRole("navigation", { name: "Main" }).getByRole("link").all()),
    ...(await page.getByRole("button", { name: "Admin", exact: true }).all()),
    page.getByRole("button", { name: /^Notifications/ }),
    page.getByRole("button", { name: /^Account: / }),
  ];
  const boxes: { name: string; x: number; y: number; width: number; height: number }[] = [];
  for (const control of controls) {
    await expect(control).toBeInViewport();
    boxes.push({ name: (await control.innerText()).trim(), ...(await control.boundingBox())! });
  }
  const overlaps = boxes.flatMap((a, i) =>
    boxes.slice(i + 1).filter((b) => a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1).map((b) => `${a.name} / ${b.name}`),
  );
  expect(overlaps, `header controls over one another for ${who} at ${width} px`).toEqual([]);
}

for (const width of [1280, 1024]) {
  test(`the header fits at ${width} px for every role`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    for (const who of ["admin@automat.local", "admin@demo.local", "pm@demo.local", "client@demo.local"]) {
      await login(page, who);
      await expect(page).not.toHaveURL(/\/login/);
      await expect(page.getByRole("button", { name: /^Account: / })).toBeVisible();
      await expectHeaderFits(page, who, width);
      await shot(page, `layout-${width}-header-${who.split("@")[0]}-${who.split("@")[1]!.split(".")[0]}`);
      await logout(page);
      await expect(page).toHaveURL(/\/login/);
    }
  });
}

test("the navigation works at 390 px", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await expectHeaderFits(page, "pm@demo.local", 390);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [label, url] of [
    ["Products", /\/products$/],
    ["Orders", /\/orders$/],
    ["Workflows", /\/workflows$/],
    ["Analytics", /\/analytics$/],
    ["CAD library", /\/cad$/],
  ] as const) {
    const link = nav.getByRole("link", { name: label });
    await expect(link).toBeInViewport();
    await link.click();
    await expect(page).toHaveURL(url);
  }
  // The account menu opens on screen: e-mail, language and "Log out" can be reached.
  await openAccount(page, "Account");
  await expect(page.getByTestId("user-email")).toBeInViewport();
  await expect(page.getByRole("combobox", { name: "Language" })).toBeInViewport();
  await expect(page.getByRole("button", { name: "Log out" })).toBeInViewport();
  await expectNoSidewaysScroll(page, "Shell");
  await shot(page, "layout-390-shell");
});

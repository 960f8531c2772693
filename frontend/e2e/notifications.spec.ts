/**
 * The notification center and settings (issue 16) in the browser.
 *
 * - A client chooses "Order rejected: e-mail, immediately" on the settings page; a project manager
 *   rejects their order; the e-mail reaches the client (e2e/run.sh starts Automat without
 *   AUTOMAT_SMTP_URL, so `automat up` runs its local SMTP server: the worker sends the message over
 *   SMTP, the server keeps it in the maildir a global admin reads at /api/dev/mailbox) with the
 *   order's link, and the client's Notifications tab shows the rejection.
 * - A project manager collects order completions into an hourly digest in the app: the one in the
 *   list is gone; back to the defaults, it is there again.
 */
import { expect, test } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";
import { apiCadReady, apiCall, apiOutputType, apiToken, apiUploadStep } from "./api";
import { DEMO_PASSWORD, login, logout, shot, stepFixture } from "./support";

const BEARING = stepFixture("bearing_20x37x9__freecad_ap214.stp");
const RUN = Date.now().toString(36);
const RENDER_TIMEOUT = 180_000;

interface Order {
  id: string;
  number: string;
  status: string;
}

interface MailboxMessage {
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

/** A frequency select of the settings table and the note beside it. */
function cell(page: Page, label: string, channel: "In app" | "E-mail") {
  const select = page.getByRole("combobox", { name: `${label}: ${channel}` });
  return { select, note: select.locator("xpath=..").getByTestId("source") };
}

/** The client's order of a turntable (minutes on a CPU: still live when it is rejected). */
async function liveClientOrder(request: APIRequestContext): Promise<Order> {
  const pm = await apiToken(request, "pm@demo.local");
  const bearing = await apiUploadStep(request, pm, BEARING);
  await apiCadReady(request, pm, bearing.id, RENDER_TIMEOUT);
  const product = await apiCall<{ id: string }>(request, pm, "post", "/api/products", {
    pim_id: `E2E-NOTIFY-${RUN}`,
    name: `E2E notify ${RUN}`,
    cad_file_id: bearing.id,
  });
  const turntable = await apiOutputType(request, pm, "Turntable 36 frames");
  const client = await apiToken(request, "client@demo.local");
  const order = await apiCall<Order>(request, client, "post", "/api/orders", {
    title: `E2E notify ${RUN}`,
    product_ids: [product.id],
    output_type_ids: [turntable.id],
  });
  await apiCall(request, client, "post", `/api/orders/${order.id}/submit`);
  return order;
}

test("a client chooses e-mail on rejection; a PM rejects; the e-mail arrives and the Notifications tab shows it", async ({
  page,
  request,
}) => {
  test.setTimeout(5 * 60_000);
  const order = await liveClientOrder(request);

  // The client's settings: e-mails about rejections off, then on again, immediately.
  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await page.getByRole("button", { name: /^Notifications/ }).click();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/notifications\/settings$/);
  await expect(page.getByRole("heading", { name: "Notification settings" })).toBeVisible();
  const reset = page.getByRole("button", { name: "Reset to defaults" });
  if (await reset.isEnabled()) await reset.click();
  const mail = cell(page, "Order rejected", "E-mail");
  await expect(mail.select).toHaveValue("immediate");
  await expect(mail.note).toHaveText("Role default");
  // Clients get no tenant defaults section; the event's "?" reads the help registry (GET /api/help).
  await expect(page.getByTestId("tenant-defaults")).toHaveCount(0);
  const rejectedRow = page.locator('tr[data-event-type="order_rejected"]');
  await rejectedRow.getByRole("button", { name: "Help: Order rejected" }).focus();
  await expect(page.getByRole("tooltip")).toContainText("rejected your order");
  await page.keyboard.press("Escape");

  await mail.select.selectOption("never");
  await expect(mail.note).toHaveText("Your choice · default: immediately");
  await page.reload();
  await expect(mail.select).toHaveValue("never"); // saved, not only shown
  await mail.select.selectOption("immediate");
  await expect(mail.note).toHaveText("Your choice (same as the default)");
  await page.reload();
  await expect(mail.select).toHaveValue("immediate");
  await expect(mail.note).toHaveText("Your choice (same as the default)");
  await shot(page, "notification-settings-client");

  // A client has only the Notifications tab.
  await page.getByRole("link", { name: "Back to notifications" }).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole("tab")).toHaveText(["Notifications"]);
  await logout(page);

  // The project manager rejects the order in the browser.
  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto(`/orders/${order.id}`);
  await page.getByRole("button", { name: "Reject" }).click();
  const dialog = page.getByRole("dialog", { name: `Reject ${order.number}` });
  const reason = `Please order the front still instead ${RUN}`;
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Reject order" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "rejected");
  await logout(page);

  // The e-mail: written by the worker to the embedded maildir, with the order's link.
  const admin = await apiToken(request, "admin@automat.local");
  let found: MailboxMessage | undefined;
  await expect
    .poll(
      async () => {
        const box = await apiCall<MailboxMessage[]>(request, admin, "get", "/api/dev/mailbox?limit=200");
        found = box.find((m) => m.to.includes("client@demo.local") && m.text.includes(reason));
        return found !== undefined;
      },
      { timeout: 90_000, intervals: [1000, 2000] },
    )
    .toBe(true);
  expect(found?.subject).toContain(order.number);
  expect(found?.text).toContain(`/orders/${order.id}`);
  expect(found?.html).toContain(`/orders/${order.id}`);

  // The client's Notifications tab shows the rejection, unread, and opens the order.
  await login(page, "client@demo.local");
  await expect(page).toHaveURL(/\/products$/);
  await page.getByRole("button", { name: /^Notifications/ }).click();
  await page.getByRole("link", { name: "All notifications" }).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole("tab", { name: "Notifications" })).toHaveAttribute("aria-selected", "true");
  const row = page.getByTestId("notification-row").filter({ hasText: `#${order.number} was rejected` });
  await expect(row).toContainText(reason);
  await expect(row).toHaveAttribute("data-read", "false");
  await page.getByLabel("Unread only").check();
  await expect(row).toBeVisible();
  await page.getByLabel("Type").selectOption("order.rejected");
  await expect(page.getByTestId("notification-row").filter({ hasNotText: "rejected" })).toHaveCount(0);
  await shot(page, "notifications-page-client");
  await row.getByRole("button", { name: /^Mark read/ }).click();
  await expect(row).toHaveCount(0); // read, so no longer among "unread only"
  await page.getByLabel("Unread only").uncheck();
  await expect(row).toHaveAttribute("data-read", "true");
  await row.getByRole("link", { name: new RegExp(`#${order.number} was rejected`) }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order.id}$`));
  await expect(page.getByTestId("rejection-reason")).toHaveText(reason);
});

test("a project manager collects completions into an hourly digest: they leave the list, and come back with the defaults", async ({
  page,
  request,
}) => {
  test.setTimeout(4 * 60_000);
  // The PM's own order of a product without a CAD file: its line fails at the CAD check, the order
  // finishes at once, and its creator hears of it.
  const pm = await apiToken(request, "pm@demo.local");
  const product = await apiCall<{ id: string }>(request, pm, "post", "/api/products", {
    pim_id: `E2E-NOCAD-NOTIFY-${RUN}`,
    name: `E2E no CAD ${RUN}`,
    cad_file_id: null,
  });
  const thumbnail = await apiOutputType(request, pm, "Thumbnail");
  const order = await apiCall<Order>(request, pm, "post", "/api/orders", {
    title: `E2E digest ${RUN}`,
    product_ids: [product.id],
    output_type_ids: [thumbnail.id],
  });
  await apiCall(request, pm, "post", `/api/orders/${order.id}/submit`);
  await expect
    .poll(async () => (await apiCall<Order>(request, pm, "get", `/api/orders/${order.id}`)).status, {
      timeout: RENDER_TIMEOUT,
      intervals: [1000, 2000],
    })
    .toBe("completed");

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto("/notifications");
  // Project managers see the activity feed too, not the alerts.
  await expect(page.getByRole("tab")).toHaveText(["Notifications", "Activity"]);
  const row = page.getByTestId("notification-row").filter({ hasText: `#${order.number} completed` });
  await expect(row).toBeVisible();

  await page.getByRole("link", { name: "Notification settings" }).click();
  const inApp = cell(page, "Order finished", "In app");
  await expect(inApp.select).toHaveValue("immediate");
  await inApp.select.selectOption("hourly");
  await expect(inApp.note).toHaveText("Your choice · default: immediately");
  await shot(page, "notification-settings-pm");

  await page.getByRole("link", { name: "Back to notifications" }).click();
  await expect(page.getByTestId("notification-row").first().or(page.getByText("Nothing yet"))).toBeVisible();
  await expect(row).toHaveCount(0);
  await shot(page, "notifications-page-pm-hourly");

  // The activity tab (in the URL) still records what happened.
  await page.getByRole("tab", { name: "Activity" }).click();
  await expect(page).toHaveURL(/\?tab=activity$/);
  await expect(page.getByTestId("activity-row").first()).toBeVisible();

  // Back to the defaults: the completion is listed again.
  await page.goto("/notifications/settings");
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(inApp.select).toHaveValue("immediate");
  await expect(inApp.note).toHaveText("Role default");
  await page.goto("/notifications");
  await expect(row).toBeVisible();
});

test("a tenant admin sets a tenant default; a project manager who has not chosen gets it", async ({ page }) => {
  await login(page, "admin@demo.local");
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/notifications?tab=alerts");
  await expect(page.getByRole("tab")).toHaveText(["Notifications", "Activity", "Alerts"]);
  await expect(page.getByRole("tab", { name: "Alerts" })).toHaveAttribute("aria-selected", "true");

  await page.goto("/notifications/settings");
  const defaults = page.getByTestId("tenant-defaults");
  const submitted = defaults.getByRole("combobox", { name: "Tenant default: Order submitted: E-mail" });
  await expect(submitted).toHaveValue("");
  await expect(submitted.locator("option:checked")).toHaveText("Role default");
  await expect(submitted.locator("xpath=..").getByTestId("role-defaults")).toHaveText(
    "Role defaults: project managers never, tenant admins never",
  );
  await submitted.selectOption("daily");
  await page.reload();
  await expect(submitted).toHaveValue("daily");
  await shot(page, "notification-settings-tenant-admin");
  await logout(page);

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await page.goto("/notifications/settings");
  const mine = cell(page, "Order submitted", "E-mail");
  await expect(mine.select).toHaveValue("daily");
  await expect(mine.note).toHaveText("Tenant default: daily digest");
  await expect(page.getByTestId("tenant-defaults")).toHaveCount(0);
  await logout(page);

  // Back to each role's own default.
  await login(page, "admin@demo.local");
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/notifications/settings");
  await submitted.selectOption("");
  await page.reload();
  await expect(submitted).toHaveValue("");
});

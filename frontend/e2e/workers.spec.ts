/**
 * A global admin watches the installation's workers (issue 17): the Workers page behind the Admin
 * menu lists the workers `automat up` started, online, with their queues, and every queue's length,
 * and the blocklist (empty here) with its help and a link to the alerts. A tenant admin has no such page.
 */
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, login, logout, openAdmin, shot } from "./support";

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

test("a global admin sees the running workers and the queues; a tenant admin does not", async ({ page }) => {
  await login(page, "admin@automat.local");
  await openAdmin(page, "Workers");
  await expect(page).toHaveURL(/\/admin\/workers$/);
  await expect(page.getByRole("heading", { name: "Workers", level: 1 })).toBeVisible();

  const queues = page.getByRole("table", { name: "Queues" });
  for (const queue of ["step_processing", "thumbnail_rendering"]) {
    const row = queues.getByRole("row").filter({ hasText: queue });
    await expect(row).toHaveCount(1);
    // Each queue has a worker of `automat up` taking it.
    await expect(row.getByRole("cell").nth(2)).toHaveText(/^[1-9]/);
  }
  const workers = page.getByRole("table", { name: "Workers" });
  for (const [name, queue] of [["step@", "step_processing"], ["render@", "thumbnail_rendering"]] as const) {
    const row = workers.getByRole("row").filter({ hasText: name });
    await expect(row).toHaveAttribute("data-state", "online", { timeout: 30_000 });
    await expect(row).toContainText(queue);
  }
  await shot(page, "workers");

  // Bound the step workers' pools (as `automat up` starts them: 2, so nothing moves), then undo it.
  const pool = page.getByRole("form", { name: "Pool of step_processing" });
  await pool.getByRole("button", { name: "Help: Most processes per worker" }).focus();
  await expect(page.getByRole("tooltip")).toContainText("Each process of the render queue runs its own Blender");
  await pool.getByLabel("Least processes per worker of step_processing").fill("2");
  await pool.getByLabel("Most processes per worker of step_processing").fill("2");
  await pool.getByRole("button", { name: "Save" }).click();
  await expect(pool.getByText("configured", { exact: true })).toBeVisible();
  await pool.getByLabel("Most processes per worker of step_processing").fill("1");
  await pool.getByRole("button", { name: "Save" }).click();
  await expect(pool.getByRole("alert")).toContainText("more than the most");
  await page.reload();
  await expect(page.getByRole("form", { name: "Pool of step_processing" }).getByLabel("Most processes per worker of step_processing")).toHaveValue("2");
  await page.getByRole("form", { name: "Pool of step_processing" }).getByRole("button", { name: "Leave as started" }).click();
  await expect(page.getByRole("form", { name: "Pool of step_processing" }).getByText("as started", { exact: true })).toBeVisible();

  // The blocklist: nobody failed a step three times in a row here; its help and the alerts it raises.
  const blocklist = page.locator("section").filter({ has: page.getByRole("heading", { name: /Blocklist/ }) });
  await expect(blocklist.getByText("No worker is blocklisted or counting failures.")).toBeVisible();
  await blocklist.getByRole("button", { name: /^Help: / }).focus();
  await expect(page.getByRole("tooltip")).toContainText("back to the queue for other workers");
  await blocklist.getByRole("link", { name: "Alerts about workers" }).click();
  await expect(page).toHaveURL(/\/notifications\?tab=alerts$/);

  await logout(page);
  await login(page, "admin@demo.local");
  await page.getByRole("button", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Workers" })).toHaveCount(0);
});

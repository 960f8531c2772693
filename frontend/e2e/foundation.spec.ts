import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, login, logout, navLabels, shot } from "./support";

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

test("a project manager logs in and sees tenant, role and every section", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await shot(page, "login");

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  await expect(page.getByTestId("tenant")).toContainText("demo");
  await expect(page.getByTestId("user-email")).toHaveText("pm@demo.local");
  await expect(page.getByTestId("user-role")).toHaveText("Project manager");
  expect(await navLabels(page)).toEqual(["CAD library", "Products", "Orders", "Media", "Workflows", "Analytics"]);
  await expect(page.getByRole("heading", { name: "CAD library" })).toBeVisible();
  await shot(page, "cad");

  for (const [label, name] of [["Products", "products"], ["Orders", "orders"], ["Media", "media"], ["Workflows", "workflows"]] as const) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
    await expect(page).toHaveURL(new RegExp(`/${name}$`));
    await expect(page.getByRole("heading", { name: label, exact: true })).toBeVisible();
    await shot(page, name);
  }

  await page.reload(); // served by Automat: a client-side route survives a reload, logged in
  await expect(page.getByRole("heading", { name: "Workflows" })).toBeVisible();

  await logout(page);
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/orders");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
});

test("a wrong password is shown plainly", async ({ page }) => {
  await login(page, "pm@demo.local", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("Wrong e-mail or password.");
  await expect(page).toHaveURL(/\/login/);
  await shot(page, "login-wrong-password");
});

test("repeated failures are rate limited with the time to wait", async ({ page }) => {
  // e2e/run.sh sets AUTOMAT_LOGIN_MAX_FAILURES_PER_EMAIL=3.
  for (let attempt = 1; attempt <= 3; attempt++) {
    await login(page, "nobody@demo.local", `wrong-${attempt}`);
    await expect(page.getByRole("alert")).toHaveText("Wrong e-mail or password.");
  }
  await login(page, "nobody@demo.local", "wrong-4");
  await expect(page.getByRole("alert")).toContainText(/Too many failed attempts\. Try again in \d+ (minutes?|seconds?)\./);
  await expect(page.getByRole("button", { name: "Log in" })).toBeDisabled();
  await shot(page, "login-rate-limited");
});

test("a client sees only Products, Orders and Media, and a deep link survives the login", async ({ page }) => {
  await page.goto("/orders");
  await expect(page).toHaveURL(/\/login\?next=%2Forders$/);
  await page.getByLabel("E-mail").fill("client@demo.local");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/orders$/);

  await expect(page.getByTestId("user-role")).toHaveText("Client");
  expect(await navLabels(page)).toEqual(["Products", "Orders", "Media"]);
  await page.goto("/cad");
  await expect(page).toHaveURL(/\/products$/); // not for clients: back to their start page
  await shot(page, "client-shell");
});

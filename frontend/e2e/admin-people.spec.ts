/**
 * The Users and Tenants screens: a tenant admin adds a user, who logs in with the temporary password
 * and must choose their own; the admin changes the user's role and deactivates them (each time the
 * user's next request logs them out). A global admin creates a tenant with its first admin and
 * switches into it with the tenant picker. A project manager has no Admin menu and no user list.
 */
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { apiToken } from "./api";
import { DEMO_PASSWORD, login, openAdmin, shot } from "./support";

const RUN = Date.now().toString(36);

test.beforeAll(() => {
  expect(DEMO_PASSWORD, "E2E_DEMO_PASSWORD is set by e2e/run.sh").not.toBe("");
});

const userRow = (page: Page, email: string) => page.getByRole("row").filter({ hasText: email });

test("a tenant admin adds a user, who sets a password; the admin changes the role and deactivates them", async ({ page, browser }) => {
  test.setTimeout(3 * 60_000);
  const email = `people-${RUN}@demo.local`;
  const ownPassword = `own-password-${RUN}`;

  await login(page, "admin@demo.local");
  await openAdmin(page, "Users");
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  await expect(userRow(page, "admin@demo.local")).toContainText("You");

  // Add a project manager: the temporary password is shown once.
  await page.getByRole("button", { name: "Add user", exact: true }).click();
  const add = page.getByRole("dialog", { name: "Add user" });
  await add.getByRole("textbox", { name: /^E-mail/ }).fill(email);
  await add.getByRole("textbox", { name: /^Name/ }).fill("Penny People");
  await add.getByRole("combobox", { name: /^Role/ }).selectOption({ label: "Project manager" });
  await add.getByRole("button", { name: "Add user", exact: true }).click();
  const shown = page.getByRole("dialog", { name: /Temporary password/ });
  await expect(shown).toContainText(`${email} can now log in`);
  const temporary = (await shown.getByTestId("temporary-password").innerText()).trim();
  expect(temporary.length).toBeGreaterThanOrEqual(12);
  await shot(page, "people-temporary-password");
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toHaveCount(0);
  await expect(userRow(page, email)).toContainText("Temporary password");

  // Search finds the user by name.
  await page.getByRole("searchbox", { name: "Search by e-mail or name" }).fill("Penny");
  await expect(page.getByRole("row").filter({ hasText: "@" })).toHaveCount(1);
  await expect(userRow(page, email)).toBeVisible();
  await shot(page, "people-users");

  // The new user logs in with it and must choose a password first.
  const context = await browser.newContext();
  const user = await context.newPage();
  await login(user, email, temporary);
  await expect(user).toHaveURL(/\/change-password$/);
  await expect(user.getByRole("heading", { name: "Choose your password" })).toBeVisible();
  await user.getByLabel("Temporary (current) password").fill(temporary);
  await user.getByLabel("New password", { exact: true }).fill(temporary);
  await user.getByLabel("Repeat the new password").fill(temporary);
  await user.getByRole("button", { name: "Set password" }).click();
  await expect(user.getByRole("alert")).toContainText("must differ");
  await shot(user, "people-change-password");
  await user.getByLabel("New password", { exact: true }).fill(ownPassword);
  await user.getByLabel("Repeat the new password").fill(ownPassword);
  await user.getByRole("button", { name: "Set password" }).click();
  await expect(user).toHaveURL(/\/cad$/);
  await expect(user.getByTestId("user-role")).toHaveText("Project manager");

  // The admin makes them a client: their next request logs them out; they log in as a client.
  await page.getByRole("searchbox", { name: "Search by e-mail or name" }).fill("");
  await userRow(page, email).getByRole("combobox", { name: `Role of ${email}` }).selectOption({ label: "Client" });
  await expect(page.getByText(`${email} is now Client.`)).toBeVisible();
  await expect(userRow(page, email)).not.toContainText("Temporary password");
  // Logged out: by the live connection closing at once, else by the next request.
  await user.goto("/orders");
  await expect(user).toHaveURL(/\/login/);
  await login(user, email, ownPassword);
  await expect(user).toHaveURL(/\/products$/);
  await expect(user.getByTestId("user-role")).toHaveText("Client");

  // Deactivated, the next request logs them out and the login is refused.
  await userRow(page, email).getByRole("button", { name: "Deactivate" }).click();
  const confirm = page.getByRole("dialog", { name: `Deactivate ${email}?` });
  await confirm.getByRole("button", { name: "Deactivate" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(userRow(page, email).getByTestId("user-status")).toHaveText("Inactive");
  // Logged out: by the live connection closing at once, else by the next request.
  await user.goto("/orders");
  await expect(user).toHaveURL(/\/login/);
  await login(user, email, ownPassword);
  await expect(user.getByRole("alert")).toBeVisible();
  await expect(user).toHaveURL(/\/login/);
  await context.close();
});

test("a global admin creates a tenant with its first admin and switches into it", async ({ page }) => {
  const name = `People Test ${RUN}`;
  const slug = `people-test-${RUN}`;
  const adminEmail = `first-${RUN}@people.local`;

  await login(page, "admin@automat.local");
  await expect(page).toHaveURL(/\/cad$/);
  await openAdmin(page, "Tenants");
  await expect(page.getByRole("heading", { name: "Tenants", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Create tenant", exact: true }).click();
  const create = page.getByRole("dialog", { name: /Create tenant/ });
  await create.getByRole("textbox", { name: /^Name Help/ }).fill(name);
  await expect(create.getByRole("textbox", { name: /^Short name/ })).toHaveValue(slug);
  await create.getByRole("textbox", { name: "E-mail of the first tenant admin" }).fill(adminEmail);
  await create.getByRole("textbox", { name: "Name of the first tenant admin" }).fill("Fiona First");
  await shot(page, "people-create-tenant");
  await create.getByRole("button", { name: "Create tenant", exact: true }).click();
  const shown = page.getByRole("dialog", { name: /Temporary password/ });
  await expect(shown).toContainText(adminEmail);
  await expect(shown.getByTestId("temporary-password")).not.toBeEmpty();
  await shown.getByRole("button", { name: "Done" }).click();
  const row = page.getByRole("row").filter({ hasText: slug });
  await expect(row.getByTestId("tenant-status")).toHaveText("Active");
  await shot(page, "people-tenants");

  // The new tenant is in the picker at once; switched into it, its users are its first admin.
  const picker = page.getByRole("combobox", { name: "Tenant" });
  await picker.selectOption({ label: `${name} (${slug})` });
  await expect(page).toHaveURL(/\/admin\/tenants$/);
  await openAdmin(page, "Users");
  await expect(userRow(page, adminEmail)).toContainText("Tenant admin");
  await expect(page.getByRole("row").filter({ hasText: "@" })).toHaveCount(1);
  await expect(picker.locator("option:checked")).toHaveText(`${name} (${slug})`);
});

test("a project manager has no Admin menu and gets 403 from /api/users", async ({ page, request }) => {
  const pm = await apiToken(request, "pm@demo.local");
  const response = await request.get("/api/users", { headers: { Authorization: `Bearer ${pm}` } });
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("insufficient_role");

  await login(page, "pm@demo.local");
  await expect(page).toHaveURL(/\/cad$/);
  // Their Admin menu holds only the invoices they may read.
  await page.getByRole("button", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Administration" }).getByRole("link")).toHaveText(["Invoices"]);
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/cad$/);
});

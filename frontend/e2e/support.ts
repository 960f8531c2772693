import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "@playwright/test";
import type { Page } from "@playwright/test";

/**
 * A STEP fixture: `AUTOMAT_STEP_FIXTURES` when set (as for pytest), else the team's shared folder
 * beside the checkout (`../shared/fixtures/step`).
 */
export function stepFixture(name: string): string {
  const folder =
    process.env.AUTOMAT_STEP_FIXTURES ?? fileURLToPath(new URL("../../../shared/fixtures/step/", import.meta.url));
  return path.join(folder, name);
}

/** Password of every demo user of the throwaway installation (set by e2e/run.sh). */
export const DEMO_PASSWORD = process.env.E2E_DEMO_PASSWORD ?? "";

/** Where page screenshots go (git-ignored); one PNG per page and state, for people to look at. */
export const SCREENSHOTS = "test-results/screenshots";

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** Opens an administration screen through the header's Admin menu. */
export async function openAdmin(page: Page, label: string): Promise<void> {
  await page.getByRole("button", { name: "Admin", exact: true }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: label, exact: true }).click();
}

/** Opens the header's account menu (e-mail, language, log out), named "Account: <role>". */
export async function openAccount(page: Page, account = "Account"): Promise<void> {
  const button = page.getByRole("button", { name: new RegExp(`^${account}: `) });
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
}

/** Logs out through the account menu (`account` and `label` in the UI's language). */
export async function logout(page: Page, { account = "Account", label = "Log out" } = {}): Promise<void> {
  await openAccount(page, account);
  await page.getByRole("button", { name: label, exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

export async function navLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeVisible();
  return nav.getByRole("link").allInnerTexts();
}

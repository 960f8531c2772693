import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { apiCall, apiCreateUser, apiToken } from "./api";
import { login, logout, openAccount, shot } from "./support";

/**
 * Issue 15: a project manager switches the UI to German in the header's account menu; navigation and help speak
 * German (the help text is the registry's German entry), the choice is stored on the user (it
 * survives a reload and a new login in a browser that remembers nothing), and back to English.
 * A user of its own, so no other spec's demo user starts in German.
 */
test("a project manager switches to German, keeps it across logins, and switches back", async ({ page, request }) => {
  const admin = await apiToken(request, "admin@demo.local");
  const email = `pm-language-${Date.now()}@demo.local`;
  const token = await apiCreateUser(request, admin, { email, full_name: "Petra Sprache", role: "project_manager" });
  const german = await apiCall<{ entries: Record<string, { title: string; body: string }> }>(
    request, token, "get", "/api/help?lang=de",
  ); // prettier-ignore
  const rejected = german.entries["notification.order_rejected"]!;

  await page.addInitScript(() => {
    // A browser that prefers English (as every browser test): the stored choice must win over it.
    Object.defineProperty(navigator, "languages", { get: () => ["en-US", "en"] });
  });
  await login(page, email);
  await expect(page).toHaveURL(/\/cad$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const main = (name: string) => page.getByRole("navigation", { name });
  await expect(main("Main").getByRole("link")).toHaveText(["CAD library", "Products", "Orders", "Media", "Workflows", "Analytics"]);

  await openAccount(page, "Account");
  await page.getByRole("combobox", { name: "Language", exact: true }).selectOption("de");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(main("Hauptmenü").getByRole("link")).toHaveText(["CAD-Bibliothek", "Produkte", "Aufträge", "Medien", "Workflows", "Auswertungen"]);
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Sprache", exact: true })).toHaveValue("de");
  await shot(page, "language-de");

  // A help tooltip reads the registry's German entry.
  await page.goto("/notifications/settings");
  await expectGermanHelp(page, rejected);

  // Stored on the user: a reload, then a new login in a browser that has forgotten the choice.
  await page.reload();
  await expect(main("Hauptmenü").getByRole("link").first()).toHaveText("CAD-Bibliothek");
  await logout(page, { account: "Konto", label: "Abmelden" });
  await expect(page).toHaveURL(/\/login/);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "en"); // before login: the browser's
  await login(page, email);
  await expect(main("Hauptmenü").getByRole("link")).toHaveText(["CAD-Bibliothek", "Produkte", "Aufträge", "Medien", "Workflows", "Auswertungen"]);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await page.goto("/notifications/settings");
  await expectGermanHelp(page, rejected);

  // And back to English, stored as well.
  await openAccount(page, "Konto");
  await page.getByRole("combobox", { name: "Sprache", exact: true }).selectOption("en");
  await expect(main("Main").getByRole("link").first()).toHaveText("CAD library");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const rejectedRow = page.locator('tr[data-event-type="order_rejected"]');
  await rejectedRow.getByRole("button", { name: "Help: Order rejected" }).focus();
  await expect(page.getByRole("tooltip")).toContainText("rejected your order");
  await expect
    .poll(async () => (await apiCall<{ locale: string | null }>(request, token, "get", "/api/auth/me")).locale)
    .toBe("en");
});

async function expectGermanHelp(page: Page, entry: { title: string; body: string }): Promise<void> {
  const row = page.locator('tr[data-event-type="order_rejected"]');
  const button = row.getByRole("button", { name: `Hilfe: ${entry.title}` });
  await button.focus();
  const tip = page.getByRole("tooltip");
  await expect(tip).toContainText(entry.title);
  await expect(tip).toContainText(entry.body);
  await expect(tip).toContainText("Wirkt auf: Benachrichtigungsliste, E-Mail");
  await page.keyboard.press("Escape");
}

/**
 * The Notifications page's logic, without React: which tabs a user gets, where an entry links,
 * how a digest is read, and the filters the API has no parameter for (applied to the loaded
 * pages: "Load more" fetches older ones, the filters then apply to those too).
 */
import type { Schemas } from "@/lib/api";
import { hasPermissions } from "@/lib/permissions";
import { i18n } from "@/i18n";

type Item = Schemas["NotificationItem"];
type Entry = Schemas["FeedEntry"];

export const TABS = ["notifications", "activity", "alerts"] as const;
export type Tab = (typeof TABS)[number];

export const TAB_LABELS: Record<Tab, string> = { notifications: "Notifications", activity: "Activity", alerts: "Alerts" };

/** A tab's name in the UI's language. */
export function tabLabel(tab: Tab): string {
  return i18n.t(`notifications:tabs.${tab}`, { defaultValue: TAB_LABELS[tab] });
}

/** The tabs the user may open: notifications for everyone, activity PM+, alerts TA+ (the server's matrix). */
export function tabsFor(permissions: readonly string[] | undefined): Tab[] {
  return TABS.filter(
    (tab) =>
      tab === "notifications" ||
      (tab === "activity" && hasPermissions(permissions, "view_activity")) ||
      (tab === "alerts" && hasPermissions(permissions, "view_alerts")),
  );
}

/** The tab in the URL (`?tab=activity`), or the first one the user has when it is unknown or not theirs. */
export function parseTab(value: unknown): Tab | undefined {
  return typeof value === "string" && (TABS as readonly string[]).includes(value) ? (value as Tab) : undefined;
}

export function currentTab(requested: Tab | undefined, allowed: Tab[]): Tab {
  return requested && allowed.includes(requested) ? requested : (allowed[0] ?? "notifications");
}

export const DIGEST_ACTION = "notification.digest";

/**
 * The page an entry is about, as an in-app path (the same rules as the e-mails' links on the
 * server, `notifications/mail.py: link_for`): an order, a product import, a CAD file, or the
 * entry's own `detail.url` (a media archive); null when it is about nothing to open.
 */
export function subjectPath(entry: Pick<Item, "target_type" | "target_id" | "detail">): string | null {
  const id = entry.target_id ? encodeURIComponent(entry.target_id) : null;
  if (entry.target_type === "order" && id) return `/orders/${id}`;
  if (entry.target_type === "product_import" && id) return `/products/imports/${id}`;
  if (entry.target_type === "cad_file" && id) return `/cad/${id}`;
  const url = entry.detail?.url;
  return typeof url === "string" ? appPath(url) : null;
}

/**
 * A link of a digest item (the server writes it with the public base URL, for e-mails) as an
 * in-app path; null for one outside the app (another site) or for the notifications page itself.
 */
export function appPath(link: string): string | null {
  let path: string;
  if (link.startsWith("/") && !link.startsWith("//")) {
    path = link;
  } else {
    try {
      const url = new URL(link);
      if (url.protocol !== "http:" && url.protocol !== "https:") return null;
      // The configured public base URL may differ from the origin the UI runs at (a proxy, a
      // test server): only the path matters inside the app.
      path = `${url.pathname}${url.search}`;
    } catch {
      return null;
    }
  }
  return path === "/notifications" ? null : path;
}

export interface DigestItem {
  message: string;
  path: string | null;
}

/** The entries a digest notification collected (`detail.items`), each with its in-app link. */
export function digestItems(item: Pick<Item, "action" | "detail">): DigestItem[] | null {
  if (item.action !== DIGEST_ACTION) return null;
  const raw = item.detail?.items;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((entry): entry is { message: unknown; link?: unknown } => typeof entry === "object" && entry !== null)
    .map((entry) => ({
      message: String(entry.message ?? ""),
      path: typeof entry.link === "string" ? appPath(entry.link) : null,
    }));
}

/** How many more entries the digest counted than it lists (the server lists at most a few). */
export function digestMore(item: Pick<Item, "detail">, listed: number): number {
  const counts = item.detail?.counts;
  if (!counts || typeof counts !== "object") return 0;
  const total = Object.values(counts as Record<string, unknown>).reduce<number>(
    (sum, n) => sum + (typeof n === "number" ? n : 0),
    0,
  );
  return Math.max(0, total - listed);
}

/** "order.completed_with_failures" → "Order completed with failures"; the digest → "Digest". */
export function actionLabel(action: string): string {
  if (action === DIGEST_ACTION) return i18n.t("notifications:digest");
  const words = action.replace(/[._]/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : action;
}

/** The actions among the loaded entries, for the type filter, by label. */
export function actionOptions(entries: ReadonlyArray<{ action: string }>, selected = ""): Array<{ value: string; label: string }> {
  const actions = new Set(entries.map((entry) => entry.action));
  if (selected) actions.add(selected);
  return [...actions].map((value) => ({ value, label: actionLabel(value) })).sort((a, b) => a.label.localeCompare(b.label));
}

export interface Filters {
  /** An action ("order.rejected"); empty: every one. */
  action: string;
  unreadOnly: boolean;
  /** Local dates (YYYY-MM-DD) from a date input, both inclusive; empty: open. */
  from: string;
  to: string;
}

export const NO_FILTERS: Filters = { action: "", unreadOnly: false, from: "", to: "" };

function localDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Whether an entry passes the filters (`read` only matters for notifications). */
export function matches(entry: Pick<Entry, "action" | "created_at"> & { read?: boolean }, filters: Filters): boolean {
  if (filters.action && entry.action !== filters.action) return false;
  if (filters.unreadOnly && entry.read !== false) return false;
  if (filters.from || filters.to) {
    const day = localDay(entry.created_at);
    if (filters.from && day < filters.from) return false;
    if (filters.to && day > filters.to) return false;
  }
  return true;
}

export function isFiltered(filters: Filters): boolean {
  return Boolean(filters.action || filters.unreadOnly || filters.from || filters.to);
}

/**
 * Whether loading older pages can still change what the filters show: with a date range, once
 * the oldest loaded entry is before `from`, older pages hold nothing in range.
 */
export function olderCanMatch(oldestLoaded: string | undefined, filters: Filters): boolean {
  if (!filters.from || !oldestLoaded) return true;
  return localDay(oldestLoaded) >= filters.from;
}

/** The bell's logic: the badge, read marks applied locally, times and links for people. */
import type { ToastTone } from "@/components/ui";
import type { Schemas } from "@/lib/api";
import { i18n } from "@/i18n";

type Page = Schemas["NotificationPage"];
type Item = Schemas["NotificationItem"];

/** The badge text: nothing at 0, "99+" beyond 99. */
export function badgeText(unread: number | null | undefined): string | null {
  if (!unread || unread <= 0) return null;
  return unread > 99 ? "99+" : String(unread);
}

/** The page after marking `id` read (the count drops only when it was unread). */
export function markReadLocally(page: Page, id: number, now = new Date().toISOString()): Page {
  let changed = 0;
  const items = page.items.map((item) => {
    if (item.id !== id || item.read) return item;
    changed += 1;
    return { ...item, read: true, read_at: now };
  });
  return { ...page, items, unread_count: Math.max(0, page.unread_count - changed) };
}

export function markAllReadLocally(page: Page, now = new Date().toISOString()): Page {
  return {
    ...page,
    items: page.items.map((item) => (item.read ? item : { ...item, read: true, read_at: now })),
    unread_count: 0,
  };
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return i18n.t("notifications:time.justNow");
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return i18n.t("notifications:time.minutes", { count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 24) return i18n.t("notifications:time.hours", { count: hours });
  const days = Math.round(hours / 24);
  if (days === 1) return i18n.t("notifications:time.yesterday");
  if (days < 7) return i18n.t("notifications:time.days", { count: days });
  return new Date(then).toLocaleDateString(i18n.language === "de" ? "de-DE" : "en-GB", { day: "numeric", month: "short", year: "numeric" });
}

/** The order a notification is about (to open on click), or null. */
export function orderTarget(item: Pick<Item, "target_type" | "target_id">): string | null {
  return item.target_type === "order" && item.target_id ? item.target_id : null;
}

/** A live `{"type": "notification", …}` event this tab has not shown yet (ids are increasing). */
export function isFreshNotification(event: { type: string; [key: string]: unknown }, seen: Set<number>): boolean {
  if (event.type !== "notification" || typeof event.id !== "number") return false;
  if (seen.has(event.id)) return false;
  seen.add(event.id);
  return true;
}

/**
 * A toast's tone from the notification's action: an order done with some lines failed is a
 * warning (the rest is there), a rejection or a failure is danger, a clean completion success.
 */
export function toastTone(action: string, message: string): ToastTone {
  if (/completed_with_failures/i.test(action)) return "warning";
  if (/reject|fail|stall|crash/i.test(action)) return "danger";
  if (/complete/i.test(action)) return /\b[1-9]\d* failed/.test(message) ? "warning" : "success";
  return "info";
}

/** A short title for the toast from the action ("order.completed" → "Order completed"). */
export function toastTitle(action: string): string {
  const words = action.replace(/[._]/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : i18n.t("notifications:toast.notification");
}

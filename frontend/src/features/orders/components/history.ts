/**
 * An order's history (`OrderDetail.history`, written by the server's `orders/state.py`) as lines
 * for people: what happened, who did it, and the numbers that go with it (lines queued and kept
 * by a submission, how the order ended, how many renders someone cancelled).
 */
import { outcomeLabel } from "./kanban";
import { i18n } from "@/i18n";

export interface HistoryEntry {
  at?: string;
  /** A status change (submit, start, complete, reject, resubmit, cancel, reopen). */
  transition?: string;
  /** Something that happened without a status change (cancel_renders). */
  event?: string;
  from?: string;
  to?: string;
  by?: string | null;
  by_name?: string | null;
  reason?: string;
  submission?: number;
  queued?: number;
  kept?: number;
  again?: number;
  outcome?: string;
  done?: number;
  failed?: number;
  cancelled?: number;
  /** reopen: the workflow nodes of a failed line that were retried. */
  nodes?: string;
}

export interface HistoryItem {
  kind: string;
  what: string;
  who: string;
  details: string | null;
  reason: string | null;
  at: string | undefined;
}

const LABELS: Record<string, string> = {
  submit: "Submitted",
  start: "Rendering started",
  complete: "Completed",
  reject: "Rejected",
  resubmit: "Back to draft",
  cancel: "Cancelled",
  cancel_renders: "Renders cancelled",
  reopen: "Reopened",
};

function what(entry: HistoryEntry): string {
  const kind = entry.transition ?? entry.event ?? "";
  if (kind === "submit" && (entry.submission ?? 1) > 1) return i18n.t("orders:history.submitAgain", { submission: entry.submission });
  if ((kind === "complete" || kind === "cancel") && entry.outcome) return outcomeLabel(entry.outcome);
  return LABELS[kind] ? i18n.t(`orders:history.${kind}`, { defaultValue: LABELS[kind] }) : kind;
}

function details(entry: HistoryEntry): string | null {
  const kind = entry.transition ?? entry.event;
  if (kind === "submit" && entry.queued !== undefined) {
    let text = i18n.t("orders:history.toRender", { count: entry.queued });
    if (entry.again) text += i18n.t("orders:history.againOnRequest", { count: entry.again });
    if (entry.kept) text += i18n.t("orders:history.kept", { count: entry.kept });
    return text;
  }
  if ((kind === "complete" || kind === "cancel") && entry.done !== undefined) {
    return i18n.t("orders:history.ended", { done: entry.done, failed: entry.failed ?? 0, cancelled: entry.cancelled ?? 0 });
  }
  if (kind === "cancel_renders" && entry.cancelled !== undefined) return i18n.t("orders:history.stopped", { count: entry.cancelled });
  if (kind === "reopen" && entry.nodes) return i18n.t("orders:history.reopened", { nodes: entry.nodes });
  if (kind === "reject" && entry.cancelled) return i18n.t("orders:history.rejectCancelled", { count: entry.cancelled });
  return null;
}

/** Newest first. `meId`: the viewer, named "you". */
export function historyItems(
  order: { history: readonly unknown[]; created_by?: string | null; created_by_name?: string | null },
  meId?: string,
): HistoryItem[] {
  const who = ({ by, by_name }: HistoryEntry) => {
    if (!by) return i18n.t("orders:history.automat");
    if (meId && by === meId) return i18n.t("orders:history.you");
    if (by_name) return by_name;
    if (by === order.created_by) return order.created_by_name ?? i18n.t("orders:history.creator");
    return i18n.t("orders:history.manager");
  };
  return (order.history as HistoryEntry[])
    .slice()
    .reverse()
    .map((entry) => ({
      kind: entry.transition ?? entry.event ?? "",
      what: what(entry),
      who: who(entry),
      details: details(entry),
      reason: entry.reason ?? null,
      at: entry.at,
    }));
}

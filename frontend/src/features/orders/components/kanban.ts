/**
 * The board's arrangement: the flow's columns in order (a status the API left out still gets an
 * empty column), cancelled apart at the end, and per card how its lines stand.
 */
import type { Schemas } from "@/lib/api";
import { currentLanguage, i18n } from "@/i18n";

export type OrderSummary = Schemas["OrderRead"];
export type KanbanColumn = Schemas["KanbanColumn"];

/** The order flow, left to right. */
export const FLOW = ["draft", "submitted", "processing", "completed", "rejected"] as const;
/** Shown after the flow, collapsed until opened. */
export const SIDE = ["cancelled"] as const;

export interface Board {
  columns: KanbanColumn[];
  side: KanbanColumn[];
}

export function arrangeBoard(columns: readonly KanbanColumn[]): Board {
  const byStatus = new Map(columns.map((column) => [column.status, column]));
  const pick = (status: string): KanbanColumn => byStatus.get(status) ?? { status, count: 0, orders: [] };
  const known = new Set<string>([...FLOW, ...SIDE]);
  const unknown = columns.filter((column) => !known.has(column.status));
  return { columns: [...FLOW.map(pick), ...unknown], side: SIDE.map(pick) };
}

export interface LineProgress {
  total: number;
  completed: number;
  failed: number;
  running: number;
  waiting: number;
  cancelled: number;
  /** Finished lines (completed, failed, cancelled) over all lines. */
  done: number;
}

/** How an order's lines stand, from `line_status_counts` (render statuses → counts). */
export function lineProgress(order: Pick<OrderSummary, "line_count" | "line_status_counts">): LineProgress {
  const counts = (order.line_status_counts ?? {}) as Record<string, number>;
  const get = (status: string) => counts[status] ?? 0;
  const completed = get("completed");
  const failed = get("failed");
  const running = get("running");
  const cancelled = get("cancelled");
  const counted = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const total = Math.max(order.line_count ?? 0, counted);
  const waiting = total - completed - failed - running - cancelled;
  return { total, completed, failed, running, waiting, cancelled, done: completed + failed + cancelled };
}

export type Outcome = NonNullable<OrderSummary["outcome"]>;

const OUTCOME_LABELS: Record<Outcome, string> = {
  completed: "Completed",
  completed_with_failures: "Completed with failures",
  cancelled: "Cancelled",
};

/** The words for how a finished order ended ("Completed with failures"). */
export function outcomeLabel(outcome: string): string {
  return i18n.t(`orders:outcome.${outcome}`, { defaultValue: OUTCOME_LABELS[outcome as Outcome] ?? outcome });
}

/**
 * The status an order's pill shows: a completed order with failed or cancelled lines says so
 * (never a plain green "Completed"); otherwise the order's status.
 */
export function displayStatus(order: Pick<OrderSummary, "status" | "outcome">): { status: string; label?: string } {
  if (order.outcome === "completed_with_failures") {
    return { status: "completed_with_failures", label: outcomeLabel("completed_with_failures") };
  }
  return { status: order.status };
}

/** Lines per way they ended, for a finished order: "4 done · 6 failed · 2 cancelled" (zeros left out, except done). */
export function outcomeCounts(progress: LineProgress): string {
  const parts = [i18n.t("orders:outcome.counts", { done: progress.completed })];
  if (progress.failed) parts.push(i18n.t("orders:outcome.failed", { count: progress.failed }));
  if (progress.cancelled) parts.push(i18n.t("orders:outcome.cancelledCount", { count: progress.cancelled }));
  return parts.join(" · ");
}

export interface SubmitPlan {
  /** Lines the next submit renders: new, failed, cancelled, and finished ones asked for again. */
  run: number;
  /** Finished lines that keep their media. */
  keep: number;
  /** Finished lines the user asked to render again. */
  again: number;
}

/** What submitting a draft will do with its lines (a resubmitted draft keeps finished work). */
export function submitPlan(lines: readonly { render_status: string; render_again?: boolean }[]): SubmitPlan {
  const finished = lines.filter((line) => line.render_status === "completed");
  const again = finished.filter((line) => line.render_again).length;
  const keep = finished.length - again;
  return { run: lines.length - keep, keep, again };
}

/** "Submit renders 3 lines; 1 finished line keeps its media." */
export function submitPlanText(plan: SubmitPlan): string {
  const run = i18n.t("orders:plan.run", { count: plan.run });
  if (!plan.keep) return i18n.t("orders:plan.onlyRun", { run });
  return i18n.t("orders:plan.keep", { run, count: plan.keep });
}

/** Percent widths of the card's bar segments (completed, failed, running), summing to ≤ 100. */
export function progressSegments(progress: LineProgress): { completed: number; failed: number; running: number } {
  if (progress.total === 0) return { completed: 0, failed: 0, running: 0 };
  const pct = (n: number) => (n / progress.total) * 100;
  return { completed: pct(progress.completed), failed: pct(progress.failed), running: pct(progress.running) };
}

/** "3 lines" / "1 line". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The locale of dates in each UI language. */
const LOCALES = { en: "en-GB", de: "de-DE" } as const;

/** A date for people: "28 Nov 2025". */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleDateString(LOCALES[currentLanguage()], { day: "numeric", month: "short", year: "numeric" });
}

/** A date and time for people: "28 Nov 2025, 14:05". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(LOCALES[currentLanguage()], {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Wording of an Excel import's outcome: counts and the per-row log. Tested in import-summary.test.ts. */
import type { Schemas } from "@/lib/api";
import { formatCount } from "./paging";

export type ProductImport = Schemas["ProductImportRead"];
export type ImportSummary = Schemas["ProductImportSummary"];
export type LogEntry = Schemas["ImportLogEntry"];

export const FINISHED = new Set(["completed", "failed"]);

export function isFinished(status: string): boolean {
  return FINISHED.has(status);
}

/** Rows per log status (imported, updated, warning, skipped). */
export function countLog(log: readonly LogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of log) counts[entry.status] = (counts[entry.status] ?? 0) + 1;
  return counts;
}

/**
 * "1,204 imported, 12 skipped"; updated rows and rows with a warning are named when there are any:
 * "3 imported, 2 updated, 0 skipped (1 with a warning)". Rows with a warning were stored; they are
 * part of the imported or updated count.
 */
export function formatImportCounts(
  counts: Pick<ImportSummary, "imported" | "updated" | "skipped">,
  warnings = 0,
): string {
  const parts = [`${formatCount(counts.imported)} imported`];
  if (counts.updated > 0) parts.push(`${formatCount(counts.updated)} updated`);
  parts.push(`${formatCount(counts.skipped)} skipped`);
  let text = parts.join(", ");
  if (warnings > 0) text += ` (${formatCount(warnings)} with ${warnings === 1 ? "a warning" : "warnings"})`;
  return text;
}

/** One line about where an import stands, for people waiting on it. */
export function importHeadline(record: Pick<ImportSummary, "status" | "imported" | "updated" | "skipped" | "error">, warnings = 0): string {
  switch (record.status) {
    case "pending":
      return "Waiting for a worker to read the file…";
    case "processing":
      return "Reading the rows…";
    case "failed":
      return `The import failed${record.error ? `: ${record.error}` : "."} No products were changed.`;
    case "completed":
      return formatImportCounts(record, warnings);
    default:
      return record.status;
  }
}

export const LOG_FILTERS = ["all", "skipped", "warning", "imported", "updated"] as const;
export type LogFilter = (typeof LOG_FILTERS)[number];

/** The log rows to show; skipped and warning rows first when showing all, then by row number. */
export function filterLog(log: readonly LogEntry[], filter: LogFilter): LogEntry[] {
  const rows = filter === "all" ? [...log] : log.filter((entry) => entry.status === filter);
  return rows.sort((a, b) => a.row - b.row);
}

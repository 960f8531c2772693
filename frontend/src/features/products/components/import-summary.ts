/** Wording of an Excel import's outcome: counts and the per-row log. Tested in import-summary.test.ts. */
import type { Schemas } from "@/lib/api";
import { formatCount } from "./paging";

export type ProductImport = Schemas["ProductImportRead"];
export type ImportSummary = Schemas["ProductImportSummary"];
export type LogEntry = Schemas["ImportLogEntry"];
export type RowCounts = Schemas["ImportRowCounts"];

export const FINISHED = new Set(["completed", "failed"]);

export function isFinished(status: string): boolean {
  return FINISHED.has(status);
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

/** How many rows of the log a filter shows (from the import's counts per row status). */
export function filterCount(counts: RowCounts, filter: LogFilter): number {
  if (filter === "all") return counts.imported + counts.updated + counts.warning + counts.skipped;
  return counts[filter];
}

/** The filters worth offering: all rows, and each status that has rows. */
export function offeredFilters(counts: RowCounts): LogFilter[] {
  return LOG_FILTERS.filter((filter) => filter === "all" || filterCount(counts, filter) > 0);
}

/** "Showing 200 of 200,000 rows" under a log that has more to load. */
export function shownLabel(shown: number, total: number): string {
  return `Showing ${formatCount(shown)} of ${formatCount(total)} rows`;
}

/** Wording of an Excel import's outcome: counts and the per-row log. Tested in import-summary.test.ts. */
import type { Schemas } from "@/lib/api";
import { formatCount } from "./search";

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
 * "3 imported, 2 updated, 1 with a warning, 0 skipped". The numbers are the import log's rows per
 * status, so each one is the count its filter shows (a row with a warning was stored, and is
 * counted once, as a warning).
 */
export function formatImportCounts(counts: RowCounts): string {
  const parts = [`${formatCount(counts.imported)} imported`];
  if (counts.updated > 0) parts.push(`${formatCount(counts.updated)} updated`);
  if (counts.warning > 0) parts.push(`${formatCount(counts.warning)} with ${counts.warning === 1 ? "a warning" : "warnings"}`);
  parts.push(`${formatCount(counts.skipped)} skipped`);
  return parts.join(", ");
}

/** The spreadsheet row the import found its header in, when it was not the first. */
export function headerRowNote(columnMapping: Record<string, unknown> | undefined): string | null {
  const row = columnMapping?.header_row;
  return typeof row === "number" && row > 1 ? `Header found in row ${row}; the rows above it were not read as products.` : null;
}

/** One line about where an import stands, for people waiting on it. */
export function importHeadline(record: Pick<ImportSummary, "status" | "row_counts" | "error">): string {
  switch (record.status) {
    case "pending":
      return "Waiting for a worker to read the file…";
    case "processing":
      return "Reading the rows…";
    case "failed":
      return `The import failed${record.error ? `: ${record.error}` : "."} No products were changed.`;
    case "completed":
      return formatImportCounts(record.row_counts);
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

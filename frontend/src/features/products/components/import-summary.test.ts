import { filterCount, formatImportCounts, headerRowNote, importHeadline, offeredFilters, shownLabel } from "./import-summary";
import type { RowCounts } from "./import-summary";

const rows = (imported: number, skipped: number, updated = 0, warning = 0): RowCounts => ({ imported, updated, warning, skipped });

describe("formatImportCounts", () => {
  it("says what was imported and skipped, with thousands separated", () => {
    expect(formatImportCounts(rows(1204, 12))).toBe("1,204 imported, 12 skipped");
    expect(formatImportCounts(rows(2, 1))).toBe("2 imported, 1 skipped");
  });

  it("names updates and warnings only when there are some", () => {
    expect(formatImportCounts(rows(3, 0, 2, 1))).toBe("3 imported, 2 updated, 1 with a warning, 0 skipped");
    expect(formatImportCounts(rows(3, 0, 0, 2))).toBe("3 imported, 2 with warnings, 0 skipped");
  });

  it("says the numbers the log's filter chips show (8 stored, one with a warning: 7 imported)", () => {
    const counts = rows(7, 0, 0, 1);
    expect(formatImportCounts(counts)).toBe("7 imported, 1 with a warning, 0 skipped");
    expect(filterCount(counts, "imported")).toBe(7);
    expect(filterCount(counts, "warning")).toBe(1);
  });
});

describe("headerRowNote", () => {
  it("says where the header was found when rows above it were left out", () => {
    expect(headerRowNote({ header_row: 3 })).toBe("Header found in row 3; the rows above it were not read as products.");
    expect(headerRowNote({ header_row: 1 })).toBeNull();
    expect(headerRowNote({})).toBeNull();
  });
});

describe("importHeadline", () => {
  const base = { row_counts: rows(0, 0), error: null };

  it("tells a waiting user where the import stands", () => {
    expect(importHeadline({ ...base, status: "pending" })).toMatch(/Waiting/);
    expect(importHeadline({ ...base, status: "processing" })).toMatch(/Reading/);
    expect(importHeadline({ ...base, status: "completed", row_counts: rows(2, 1) })).toBe("2 imported, 1 skipped");
  });

  it("shows the error of a failed import and that nothing changed", () => {
    expect(importHeadline({ ...base, status: "failed", error: "The workbook cannot be read" })).toBe(
      "The import failed: The workbook cannot be read No products were changed.",
    );
  });
});

describe("the row log's filters", () => {
  const counts: RowCounts = { imported: 199_990, updated: 0, warning: 3, skipped: 7 };

  it("count the rows of each filter from the import's counts", () => {
    expect(filterCount(counts, "all")).toBe(200_000);
    expect(filterCount(counts, "skipped")).toBe(7);
    expect(filterCount(counts, "updated")).toBe(0);
  });

  it("offer all rows and the statuses that have rows", () => {
    expect(offeredFilters(counts)).toEqual(["all", "skipped", "warning", "imported"]);
    expect(offeredFilters({ imported: 0, updated: 0, warning: 0, skipped: 0 })).toEqual(["all"]);
  });

  it("say how much of a long log is shown", () => {
    expect(shownLabel(200, 200_000)).toBe("Showing 200 of 200,000 rows");
  });
});

import { filterCount, formatImportCounts, importHeadline, offeredFilters, shownLabel } from "./import-summary";
import type { RowCounts } from "./import-summary";

describe("formatImportCounts", () => {
  it("says what was imported and skipped, with thousands separated", () => {
    expect(formatImportCounts({ imported: 1204, updated: 0, skipped: 12 })).toBe("1,204 imported, 12 skipped");
    expect(formatImportCounts({ imported: 2, updated: 0, skipped: 1 })).toBe("2 imported, 1 skipped");
  });

  it("names updates and warnings only when there are some", () => {
    expect(formatImportCounts({ imported: 3, updated: 2, skipped: 0 }, 1)).toBe("3 imported, 2 updated, 0 skipped (1 with a warning)");
    expect(formatImportCounts({ imported: 3, updated: 0, skipped: 0 }, 2)).toBe("3 imported, 0 skipped (2 with warnings)");
  });
});

describe("importHeadline", () => {
  const base = { imported: 0, updated: 0, skipped: 0, error: null };

  it("tells a waiting user where the import stands", () => {
    expect(importHeadline({ ...base, status: "pending" })).toMatch(/Waiting/);
    expect(importHeadline({ ...base, status: "processing" })).toMatch(/Reading/);
    expect(importHeadline({ ...base, status: "completed", imported: 2, skipped: 1 })).toBe("2 imported, 1 skipped");
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

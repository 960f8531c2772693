import { countLog, filterLog, formatImportCounts, importHeadline } from "./import-summary";
import type { LogEntry } from "./import-summary";

const log: LogEntry[] = [
  { row: 4, status: "skipped", pim_id: null, reason: "missing pim_id" },
  { row: 2, status: "imported", pim_id: "6204-2RSR", reason: null },
  { row: 3, status: "warning", pim_id: "6205", reason: "imported, but CAD file 'x.stp' not found" },
  { row: 5, status: "updated", pim_id: "6206", reason: null },
];

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

describe("the row log", () => {
  it("counts rows per status", () => {
    expect(countLog(log)).toEqual({ skipped: 1, imported: 1, warning: 1, updated: 1 });
  });

  it("filters by status and sorts by row number", () => {
    expect(filterLog(log, "all").map((e) => e.row)).toEqual([2, 3, 4, 5]);
    expect(filterLog(log, "skipped")).toEqual([log[0]]);
    expect(filterLog(log, "warning").map((e) => e.pim_id)).toEqual(["6205"]);
  });
});

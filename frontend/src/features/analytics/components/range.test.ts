import { describe, expect, it } from "vitest";
import { presetRange, rangeProblem } from "./range";

describe("date ranges", () => {
  it("counts today in a preset", () => {
    const today = new Date("2026-12-03T07:00:00Z");
    expect(presetRange(7, today)).toEqual({ from: "2026-11-27", to: "2026-12-03" });
    expect(presetRange(30, today)).toEqual({ from: "2026-11-04", to: "2026-12-03" });
    expect(presetRange(90, new Date("2026-03-01T23:59:00Z"))).toEqual({ from: "2025-12-02", to: "2026-03-01" });
  });

  it("refuses what the API would answer with invalid_range", () => {
    expect(rangeProblem({ from: "2026-06-01", to: "2026-06-30" })).toBeNull();
    expect(rangeProblem({ from: "2026-06-30", to: "2026-06-01" })).toBe("range.backwards");
    expect(rangeProblem({ from: "2026-06-01", to: "2026-06-01" })).toBe("range.backwards");
    expect(rangeProblem({ from: "2025-01-01", to: "2026-06-01" })).toBe("range.tooLong");
    expect(rangeProblem({ from: "", to: "2026-06-01" })).toBe("range.incomplete");
  });
});

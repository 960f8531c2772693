import { formatDuration, nodeRunState, pillStatus } from "./run-status";

describe("run status", () => {
  it("formats durations for people", () => {
    expect([formatDuration(0.42), formatDuration(12.4), formatDuration(125), formatDuration(3780)]).toEqual([
      "0.4 s",
      "12 s",
      "2 min 05 s",
      "1 h 03 min",
    ]);
    expect(formatDuration(null)).toBeNull();
    expect(formatDuration(-1)).toBeNull();
  });

  it("colours done like a completed status", () => {
    expect(pillStatus("done")).toBe("completed");
    expect(pillStatus("failed")).toBe("failed");
  });

  it("reads the API's node statuses", () => {
    expect(["pending", "queued", "running", "completed", "failed", "skipped", "cancelled"].map(nodeRunState)).toEqual([
      "waiting",
      "queued",
      "running",
      "done",
      "failed",
      "skipped",
      "cancelled",
    ]);
    expect(pillStatus("waiting")).toBe("pending");
  });
});

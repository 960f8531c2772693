import {
  arrangeBoard,
  displayStatus,
  lineProgress,
  outcomeCounts,
  outcomeLabel,
  plural,
  progressSegments,
  submitPlan,
  submitPlanText,
} from "./kanban";
import type { KanbanColumn } from "./kanban";

const column = (status: string, count = 0): KanbanColumn => ({ status, count, orders: [] });

describe("arrangeBoard", () => {
  it("puts the flow in order and cancelled apart", () => {
    const board = arrangeBoard([
      column("completed", 2),
      column("cancelled", 1),
      column("draft", 3),
      column("rejected"),
      column("processing", 1),
      column("submitted"),
    ]);
    expect(board.columns.map((c) => c.status)).toEqual(["draft", "submitted", "processing", "completed", "rejected"]);
    expect(board.columns[0]?.count).toBe(3);
    expect(board.side).toEqual([column("cancelled", 1)]);
  });

  it("gives a status the API left out an empty column, and keeps unknown ones", () => {
    const board = arrangeBoard([column("draft", 1), column("archived", 4)]);
    expect(board.columns.map((c) => [c.status, c.count])).toEqual([
      ["draft", 1],
      ["submitted", 0],
      ["processing", 0],
      ["completed", 0],
      ["rejected", 0],
      ["archived", 4],
    ]);
    expect(board.side[0]).toEqual(column("cancelled"));
  });
});

describe("lineProgress", () => {
  it("counts lines per state", () => {
    const progress = lineProgress({
      line_count: 10,
      line_status_counts: { completed: 4, failed: 1, running: 2, queued: 2, pending: 1 },
    });
    expect(progress).toEqual({ total: 10, completed: 4, failed: 1, running: 2, waiting: 3, cancelled: 0, done: 5 });
    expect(progressSegments(progress)).toEqual({ completed: 40, failed: 10, running: 20 });
  });

  it("copes with no lines and missing counts", () => {
    const progress = lineProgress({ line_count: 0, line_status_counts: {} });
    expect(progress.total).toBe(0);
    expect(progressSegments(progress)).toEqual({ completed: 0, failed: 0, running: 0 });
    expect(lineProgress({ line_count: 0, line_status_counts: { pending: 2 } }).total).toBe(2);
  });

  it("says line and lines", () => {
    expect(plural(1, "line")).toBe("1 line");
    expect(plural(3, "line")).toBe("3 lines");
  });
});

describe("outcomes", () => {
  it("never shows a completed order with failures as a plain Completed", () => {
    expect(displayStatus({ status: "completed", outcome: "completed_with_failures" })).toEqual({
      status: "completed_with_failures",
      label: "Completed with failures",
    });
    expect(displayStatus({ status: "completed", outcome: "completed" })).toEqual({ status: "completed" });
    expect(displayStatus({ status: "cancelled", outcome: "cancelled" })).toEqual({ status: "cancelled" });
    expect(displayStatus({ status: "processing", outcome: null })).toEqual({ status: "processing" });
    expect(outcomeLabel("cancelled")).toBe("Cancelled");
  });

  it("counts lines per outcome", () => {
    const progress = lineProgress({ line_count: 12, line_status_counts: { completed: 4, failed: 6, cancelled: 2 } });
    expect(outcomeCounts(progress)).toBe("4 done · 6 failed · 2 cancelled");
    expect(outcomeCounts(lineProgress({ line_count: 3, line_status_counts: { completed: 3 } }))).toBe("3 done");
  });
});

describe("submitPlan", () => {
  it("keeps finished lines unless asked, and runs failed, cancelled and new ones", () => {
    const plan = submitPlan([
      { render_status: "completed" },
      { render_status: "completed", render_again: true },
      { render_status: "failed" },
      { render_status: "cancelled" },
      { render_status: "pending" },
    ]);
    expect(plan).toEqual({ run: 4, keep: 1, again: 1 });
    expect(submitPlanText(plan)).toBe("Submit renders 4 lines; 1 finished line keeps its media.");
    expect(submitPlanText(submitPlan([{ render_status: "pending" }]))).toBe("Submit renders 1 line.");
    expect(submitPlanText(submitPlan([{ render_status: "completed" }, { render_status: "completed" }]))).toBe(
      "Submit renders 0 lines; 2 finished lines keep their media.",
    );
  });
});

import { historyItems } from "./history";

const order = (history: object[]) => ({ history, created_by: "client-1", created_by_name: "Clara Client" });

describe("historyItems", () => {
  it("names who cancelled renders and how the order ended, not 'Completed by Automat'", () => {
    const items = historyItems(
      order([
        { at: "2026-12-01T10:00:00Z", transition: "submit", by: "client-1", submission: 1, queued: 12, kept: 0 },
        { at: "2026-12-01T10:01:00Z", transition: "start", by: null },
        { at: "2026-12-01T10:05:00Z", event: "cancel_renders", by: "pm-1", by_name: "Petra PM", cancelled: 2 },
        {
          at: "2026-12-01T10:05:00Z",
          transition: "complete",
          by: "pm-1",
          by_name: "Petra PM",
          outcome: "completed_with_failures",
          done: 4,
          failed: 6,
          cancelled: 2,
        },
      ]),
      "client-1",
    );
    expect(items.map((i) => `${i.what} by ${i.who}`)).toEqual([
      "Completed with failures by Petra PM",
      "Renders cancelled by Petra PM",
      "Rendering started by Automat",
      "Submitted by you",
    ]);
    expect(items[0]?.details).toBe("4 done · 6 failed · 2 cancelled");
    expect(items[1]?.details).toBe("2 lines stopped");
    expect(items[3]?.details).toBe("12 lines to render");
  });

  it("tells who reopened a completed order by retrying a failed line's nodes", () => {
    const [reopened] = historyItems(
      order([{ transition: "reopen", by: "pm-1", by_name: "Petra PM", from: "completed", to: "processing", nodes: "check_cad, render" }]),
    );
    expect(`${reopened?.what} by ${reopened?.who}`).toBe("Reopened by Petra PM");
    expect(reopened?.details).toBe("a failed line runs check_cad, render again");
  });

  it("counts each submission's queued and kept lines", () => {
    const [again] = historyItems(
      order([{ transition: "submit", by: "client-1", submission: 2, queued: 3, kept: 1, again: 1 }]),
      "someone-else",
    );
    expect(again?.what).toBe("Submitted again (submission 2)");
    expect(again?.who).toBe("Clara Client");
    expect(again?.details).toBe("3 lines to render (1 finished again on request), 1 finished kept");
  });

  it("reads entries written before outcomes and counts existed", () => {
    const [done, rejected] = historyItems(
      order([
        { transition: "reject", by: "pm-2", reason: "Wrong seal" },
        { transition: "complete", by: null },
      ]),
    );
    expect([done?.what, done?.who, done?.details]).toEqual(["Completed", "Automat", null]);
    expect([rejected?.what, rejected?.who, rejected?.reason]).toEqual(["Rejected", "a project manager", "Wrong seal"]);
  });
});

import { percentDone, roundDuration } from "./duration";

describe("expected durations", () => {
  it("rounds to seconds, minutes or hours", () => {
    expect(roundDuration(0.2)).toEqual({ value: 1, unit: "s" });
    expect(roundDuration(42)).toEqual({ value: 42, unit: "s" });
    expect(roundDuration(252)).toEqual({ value: 4, unit: "min" });
    expect(roundDuration(5400)).toEqual({ value: 1.5, unit: "h" });
  });

  it("counts failed items as finished", () => {
    expect(percentDone({ total: 4, done: 1, failed: 1 })).toBe(50);
    expect(percentDone({ total: 0, done: 0, failed: 0 })).toBe(0);
  });
});

import { act, renderHook } from "@testing-library/react";
import { countLabel, searchTerm, useDebouncedValue, useProductSearch } from "./search";

describe("searchTerm", () => {
  it("trims, collapses spaces and drops an empty search", () => {
    expect(searchTerm("  6204  ")).toBe("6204");
    expect(searchTerm("deep   groove ball")).toBe("deep groove ball");
    expect(searchTerm("   ")).toBeUndefined();
    expect(searchTerm("x".repeat(250))).toHaveLength(200);
  });
});

describe("countLabel", () => {
  it("labels the rows loaded and the total", () => {
    expect(countLabel(50, 1204)).toBe("1–50 of 1,204");
    expect(countLabel(1204, 1204)).toBe("1–1,204 of 1,204");
    expect(countLabel(50, 8200, false)).toBe("1–50 of about 8,200");
    expect(countLabel(0, 0)).toBe("No products");
  });
});

describe("useDebouncedValue", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("passes a value on only after it stopped changing", () => {
    const { result, rerender } = renderHook(({ value }) => useDebouncedValue(value, 300), { initialProps: { value: "6" } });
    rerender({ value: "62" });
    act(() => vi.advanceTimersByTime(200));
    rerender({ value: "620" });
    act(() => vi.advanceTimersByTime(200));
    expect(result.current).toBe("6");
    act(() => vi.advanceTimersByTime(100));
    expect(result.current).toBe("620");
  });
});

describe("useProductSearch", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("debounces the term", () => {
    const { result } = renderHook(() => useProductSearch(300));
    expect(result.current).toMatchObject({ term: undefined, pending: false });

    act(() => result.current.setInput("6204"));
    expect(result.current).toMatchObject({ input: "6204", term: undefined, pending: true });

    act(() => vi.advanceTimersByTime(300));
    expect(result.current).toMatchObject({ term: "6204", pending: false });

    act(() => result.current.setInput(" 6204 "));
    expect(result.current.pending).toBe(false); // same term after trimming
  });
});

import { act, renderHook } from "@testing-library/react";
import { pageInfo, searchTerm, stepOffset, useDebouncedValue, useProductSearch } from "./paging";

describe("searchTerm", () => {
  it("trims, collapses spaces and drops an empty search", () => {
    expect(searchTerm("  6204  ")).toBe("6204");
    expect(searchTerm("deep   groove ball")).toBe("deep groove ball");
    expect(searchTerm("   ")).toBeUndefined();
    expect(searchTerm("x".repeat(250))).toHaveLength(200);
  });
});

describe("pageInfo", () => {
  it("labels the rows shown and the total", () => {
    expect(pageInfo(1204, 50, 0)).toMatchObject({ first: 1, last: 50, page: 1, pages: 25, hasPrevious: false, hasNext: true, label: "1–50 of 1,204" });
    expect(pageInfo(1204, 50, 1200)).toMatchObject({ first: 1201, last: 1204, page: 25, hasNext: false, hasPrevious: true, label: "1,201–1,204 of 1,204" });
  });

  it("says when the total is an estimate, and offers the next page until the API knows the end", () => {
    expect(pageInfo(8200, 50, 0, false)).toMatchObject({ first: 1, last: 50, pages: 164, hasNext: true, label: "1–50 of about 8,200" });
    expect(pageInfo(8200, 50, 8150, false)).toMatchObject({ first: 8151, last: 8200, hasNext: true });
    expect(pageInfo(8240, 50, 8200, true)).toMatchObject({ last: 8240, hasNext: false, label: "8,201–8,240 of 8,240" });
  });

  it("says so when there is nothing", () => {
    expect(pageInfo(0, 50, 0)).toMatchObject({ first: 0, last: 0, pages: 1, hasNext: false, hasPrevious: false, label: "No products" });
  });

  it("steps pages without going below the first", () => {
    expect(stepOffset(50, 50, -1)).toBe(0);
    expect(stepOffset(20, 50, -1)).toBe(0);
    expect(stepOffset(0, 50, 1)).toBe(50);
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

  it("debounces the term and goes back to the first page when it changes", () => {
    const { result } = renderHook(() => useProductSearch(300));
    expect(result.current).toMatchObject({ term: undefined, offset: 0, limit: 50, pending: false });

    act(() => result.current.setOffset(100));
    expect(result.current.offset).toBe(100);

    act(() => result.current.setInput("6204"));
    expect(result.current).toMatchObject({ input: "6204", term: undefined, pending: true, offset: 100 });

    act(() => vi.advanceTimersByTime(300));
    expect(result.current).toMatchObject({ term: "6204", pending: false, offset: 0 });

    act(() => result.current.setOffset(50));
    expect(result.current.offset).toBe(50);
    act(() => result.current.setInput(" 6204 "));
    act(() => vi.advanceTimersByTime(300));
    expect(result.current.offset).toBe(50); // same term after trimming: the page stays
  });
});

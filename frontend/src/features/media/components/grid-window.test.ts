import {
  BROWSER_MAX_HEIGHT,
  PAGES_PER_WINDOW,
  PAGE_SIZE,
  WINDOW_SIZE,
  columnsFor,
  formatTotal,
  maxScrollHeight,
  moveFocus,
  rowCount,
  rowHeightFor,
  shouldLoadMore,
  windowHasRoom,
  windowRange,
} from "./grid-window";

describe("the grid's geometry", () => {
  it("fits as many columns as tiles of the minimum width, at least one", () => {
    expect(columnsFor(0)).toBe(1);
    expect(columnsFor(100)).toBe(1);
    expect(columnsFor(168 * 2 + 12)).toBe(2);
    expect(columnsFor(168 * 2 + 11)).toBe(1);
    expect(columnsFor(1200)).toBe(6);
  });

  it("makes square pictures plus the caption", () => {
    expect(rowHeightFor(348, 2)).toBe(168 + 52 + 12);
    expect(rowCount(0, 4)).toBe(0);
    expect(rowCount(9, 4)).toBe(3);
  });

  it("keeps the scroll height far under the browser's limit at a million assets", () => {
    // Unwindowed, a million assets in 5 columns of 232 px rows would be 46 M px.
    expect(rowCount(1_000_000, 5) * 232).toBeGreaterThan(BROWSER_MAX_HEIGHT);
    // Windowed: at most WINDOW_SIZE assets are in the grid, even one column wide with tall rows.
    expect(maxScrollHeight(1, 400)).toBe(WINDOW_SIZE * 400);
    expect(maxScrollHeight(1, 400)).toBeLessThan(BROWSER_MAX_HEIGHT / 8);
    expect(PAGES_PER_WINDOW * PAGE_SIZE).toBe(WINDOW_SIZE);
  });

  it("grows a window page by page up to its size, then stops", () => {
    expect(windowHasRoom(1, true)).toBe(true);
    expect(windowHasRoom(PAGES_PER_WINDOW - 1, true)).toBe(true);
    expect(windowHasRoom(PAGES_PER_WINDOW, true)).toBe(false);
    expect(windowHasRoom(3, false)).toBe(false);
  });

  it("numbers the assets of each window", () => {
    expect(windowRange(0, 0)).toEqual({ first: 0, last: 0 });
    expect(windowRange(0, 120)).toEqual({ first: 1, last: 120 });
    expect(windowRange(2, 100)).toEqual({ first: 2 * WINDOW_SIZE + 1, last: 2 * WINDOW_SIZE + 100 });
  });

  it("loads the next page when the end comes near, once", () => {
    expect(shouldLoadMore(10, 30, true, false)).toBe(false);
    expect(shouldLoadMore(25, 30, true, false)).toBe(true);
    expect(shouldLoadMore(29, 30, true, true)).toBe(false);
    expect(shouldLoadMore(29, 30, false, false)).toBe(false);
  });

  it("says capped counts and estimates as such", () => {
    expect(formatTotal(1204, false)).toBe("1,204");
    expect(formatTotal(10_000, true)).toBe("10,000+");
    expect(formatTotal(22_000, true)).toBe("about 22,000");
  });
});

describe("keyboard navigation", () => {
  // 10 tiles, 4 columns:  0 1 2 3 / 4 5 6 7 / 8 9
  it("moves by one across and by a row up and down", () => {
    expect(moveFocus(5, "ArrowRight", 4, 10)).toBe(6);
    expect(moveFocus(5, "ArrowLeft", 4, 10)).toBe(4);
    expect(moveFocus(5, "ArrowUp", 4, 10)).toBe(1);
    expect(moveFocus(5, "ArrowDown", 4, 10)).toBe(9);
  });

  it("stops at the edges; Down from above a gap goes to the last tile", () => {
    expect(moveFocus(0, "ArrowLeft", 4, 10)).toBe(0);
    expect(moveFocus(9, "ArrowRight", 4, 10)).toBe(9);
    expect(moveFocus(2, "ArrowUp", 4, 10)).toBe(2);
    expect(moveFocus(7, "ArrowDown", 4, 10)).toBe(9);
  });

  it("jumps with Home/End and by pages", () => {
    expect(moveFocus(5, "Home", 4, 10)).toBe(0);
    expect(moveFocus(5, "End", 4, 10)).toBe(9);
    expect(moveFocus(1, "PageDown", 4, 10, 2)).toBe(9);
    expect(moveFocus(9, "PageUp", 4, 10, 1)).toBe(5);
  });

  it("starts at the first tile and does nothing in an empty grid", () => {
    expect(moveFocus(-1, "ArrowDown", 4, 10)).toBe(0);
    expect(moveFocus(-1, "ArrowDown", 4, 0)).toBe(-1);
  });
});

import { EMPTY_SELECTION, clickSelect, isSelected, rangeBetween, selectAllMatching, selectedCount, selectedIds } from "./selection";

const ORDER = ["a", "b", "c", "d", "e", "f"];
const plain = { shift: false, toggle: false };
const shift = { shift: true, toggle: false };
const toggle = { shift: false, toggle: true };

describe("the grid's multi-select", () => {
  it("selects only the clicked asset on a plain click", () => {
    let s = clickSelect(EMPTY_SELECTION, ORDER, "b", plain);
    s = clickSelect(s, ORDER, "d", plain);
    expect([...s.ids]).toEqual(["d"]);
    expect(s.anchor).toBe("d");
  });

  it("selects the range from the anchor on shift-click, in either direction", () => {
    let s = clickSelect(EMPTY_SELECTION, ORDER, "b", plain);
    s = clickSelect(s, ORDER, "e", shift);
    expect(selectedIds(s, ORDER)).toEqual(["b", "c", "d", "e"]);
    s = clickSelect(s, ORDER, "a", shift); // the anchor stays: b..a replaces b..e
    expect(selectedIds(s, ORDER)).toEqual(["a", "b"]);
  });

  it("toggles with Ctrl/Cmd (and the checkbox) and adds ranges with Ctrl+Shift", () => {
    let s = clickSelect(EMPTY_SELECTION, ORDER, "a", toggle);
    s = clickSelect(s, ORDER, "c", toggle);
    expect(selectedIds(s, ORDER)).toEqual(["a", "c"]);
    s = clickSelect(s, ORDER, "c", toggle);
    expect(selectedIds(s, ORDER)).toEqual(["a"]);
    s = clickSelect(s, ORDER, "d", toggle);
    s = clickSelect(s, ORDER, "f", { shift: true, toggle: true });
    expect(selectedIds(s, ORDER)).toEqual(["a", "d", "e", "f"]);
  });

  it("treats shift without an anchor (or one no longer loaded) as a plain click", () => {
    expect([...clickSelect(EMPTY_SELECTION, ORDER, "c", shift).ids]).toEqual(["c"]);
    const stale = { ids: new Set(["zz"]), anchor: "zz", all: false };
    expect([...clickSelect(stale, ORDER, "c", shift).ids]).toEqual(["c"]);
    expect(rangeBetween(ORDER, "a", "zz")).toEqual([]);
  });

  it("selects every matching asset, loaded or not, and counts the list's total", () => {
    const all = selectAllMatching();
    expect(isSelected(all, "not-loaded")).toBe(true);
    expect(selectedCount(all, 10_000)).toBe(10_000);
    // A click leaves "all matching" for a selection of its own.
    const one = clickSelect(all, ORDER, "b", toggle);
    expect(one.all).toBe(false);
    expect(selectedCount(one, 10_000)).toBe(1);
  });

  it("keeps ids selected in other windows after the loaded ones", () => {
    const s = { ids: new Set(["x", "c", "a"]), anchor: "a", all: false };
    expect(selectedIds(s, ORDER)).toEqual(["a", "c", "x"]);
  });
});

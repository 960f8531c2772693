import { UNDO_LIMIT, canRedo, canUndo, commit, commitFrom, redo, replace, undo, undoable } from "./undo";

describe("undo/redo", () => {
  it("steps back and forth, and a new edit drops the redo steps", () => {
    let s = undoable("a");
    s = commit(s, "b");
    s = commit(s, "c");
    s = undo(s);
    expect(s.present).toBe("b");
    expect(canRedo(s)).toBe(true);
    s = redo(s);
    expect(s.present).toBe("c");
    s = undo(undo(s));
    expect(s.present).toBe("a");
    expect(canUndo(s)).toBe(false);
    expect(undo(s)).toBe(s);
    s = commit(redo(s), "x");
    expect(s.present).toBe("x");
    expect(canRedo(s)).toBe(false);
    expect(undo(s).present).toBe("b");
  });

  it("merges consecutive commits of one group into one step, but not across another edit", () => {
    let s = undoable("");
    s = commit(s, "f", "position");
    s = commit(s, "fr", "position");
    s = commit(s, "fro", "position");
    expect(undo(s).present).toBe("");
    s = commit(s, "fro!", null);
    s = commit(s, "fro!?", "position");
    expect(undo(s).present).toBe("fro!");
    expect(undo(undo(s)).present).toBe("fro");
  });

  it("makes a drag (replace … commitFrom) one step, and none when nothing moved", () => {
    let s = commit(undoable(0), 1);
    const origin = s.present;
    s = replace(s, 2);
    s = replace(s, 3);
    s = commitFrom(s, origin, (a, b) => a === b);
    expect(s.present).toBe(3);
    expect(undo(s).present).toBe(1);
    const still = commitFrom(replace(s, 3), 3, (a, b) => a === b);
    expect(still.past).toEqual(s.past);
  });

  it("keeps at most UNDO_LIMIT steps", () => {
    let s = undoable(0);
    for (let i = 1; i <= UNDO_LIMIT + 10; i++) s = commit(s, i);
    expect(s.past).toHaveLength(UNDO_LIMIT);
    expect(s.past[0]).toBe(10);
  });
});

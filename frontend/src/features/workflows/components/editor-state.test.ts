import { editorReducer, initialEditor } from "./editor-state";
import type { EditorAction, EditorState } from "./editor-state";
import { configToGraph, graphToConfig } from "./graph";
import { STILL_CONFIG } from "./test-steps";

const STILL = configToGraph(STILL_CONFIG);

const run = (state: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, state);
const graph = (state: EditorState) => state.history.present;
const second = { id: "render_still", step: "render_still", step_version: null, params: {}, position: { x: 300, y: 170 } };

describe("the editor's edits", () => {
  it("adds a node, connects it and sets a parameter; undo walks back one edit at a time", () => {
    let s = run(
      initialEditor(STILL),
      { type: "add", node: second },
      { type: "connect", edge: { source: "check_cad", target: "render_still" } },
      { type: "param", node: "render_still", key: "position", value: "f" },
      { type: "param", node: "render_still", key: "position", value: "front" },
    );
    expect(graphToConfig(graph(s)).nodes.at(-1)).toEqual({ id: "render_still", step: "render_still", params: { position: "front" } });
    expect(graph(s).edges).toHaveLength(3);
    s = run(s, { type: "undo" }); // the typing, as one step
    expect(graph(s).nodes.at(-1)?.params).toEqual({});
    s = run(s, { type: "undo" });
    expect(graph(s).edges).toHaveLength(2);
    s = run(s, { type: "undo" });
    expect(graph(s)).toBe(STILL);
    s = run(s, { type: "redo" }, { type: "redo" }, { type: "redo" });
    expect(graph(s).nodes.at(-1)?.params).toEqual({ position: "front" });
  });

  it("clears a parameter back to the default", () => {
    const s = run(
      initialEditor(STILL),
      { type: "param", node: "render", key: "width", value: 512 },
      { type: "param", node: "render", key: "width", value: null },
    );
    expect(graph(s).nodes[1]?.params).toEqual({});
  });

  it("removes a node with its edges, and a single edge", () => {
    let s = run(initialEditor(STILL), { type: "remove", nodes: ["render"], edges: [] });
    expect(graph(s).nodes.map((n) => n.id)).toEqual(["check_cad", "deliver"]);
    expect(graph(s).edges).toEqual([]);
    s = run(initialEditor(STILL), { type: "remove", nodes: [], edges: [{ source: "render", target: "deliver" }] });
    expect(graph(s).edges).toEqual([{ source: "check_cad", target: "render" }]);
  });

  it("ignores a repeated edge, a loop and a duplicate node id", () => {
    const start = initialEditor(STILL);
    expect(run(start, { type: "connect", edge: { source: "check_cad", target: "render" } })).toBe(start);
    expect(run(start, { type: "connect", edge: { source: "render", target: "render" } })).toBe(start);
    expect(run(start, { type: "add", node: { ...second, id: "render" } })).toBe(start);
  });

  it("makes a drag one undo step, and no step for a click without a move", () => {
    const start = initialEditor(STILL);
    let s = run(
      start,
      { type: "move", positions: { render: { x: 310, y: 10 } }, done: false },
      { type: "move", positions: { render: { x: 320, y: 40 } }, done: false },
    );
    expect(s.dragOrigin).toBe(STILL);
    expect(run(s, { type: "undo" })).toBe(s); // not in the middle of a drag
    s = run(s, { type: "move", positions: { render: { x: 320, y: 40 } }, done: true });
    expect(graph(s).nodes[1]?.position).toEqual({ x: 320, y: 40 });
    expect(graph(run(s, { type: "undo" })).nodes[1]?.position).toEqual(STILL.nodes[1]?.position);
    const click = run(start, { type: "move", positions: { render: STILL.nodes[1]!.position }, done: true });
    expect(click.history.past).toEqual([]);
  });
});

import { STILL_CONFIG } from "./test-steps";
import { COLUMN_WIDTH, ROW_HEIGHT, configKey, configToGraph, depths, freePosition, graphToConfig, layout, nextNodeId } from "./graph";

const STILL = STILL_CONFIG;

const edges = (...pairs: Array<[string, string]>) => pairs.map(([source, target]) => ({ source, target }));

describe("auto-layout by topological depth", () => {
  it("puts a chain left to right on one row", () => {
    const graph = configToGraph(STILL);
    expect(graph.nodes.map((n) => [n.id, n.position])).toEqual([
      ["check_cad", { x: 0, y: 0 }],
      ["render", { x: COLUMN_WIDTH, y: 0 }],
      ["deliver", { x: 2 * COLUMN_WIDTH, y: 0 }],
    ]);
  });

  it("uses the longest path for a node with several parents and centres each column", () => {
    const ids = ["a", "b", "c", "d"];
    const e = edges(["a", "b"], ["a", "c"], ["b", "d"], ["c", "d"], ["a", "d"]);
    expect(Object.fromEntries(depths(ids, e))).toEqual({ a: 0, b: 1, c: 1, d: 2 });
    const positions = layout(ids, e);
    expect(positions.get("b")).toEqual({ x: COLUMN_WIDTH, y: -ROW_HEIGHT / 2 });
    expect(positions.get("c")).toEqual({ x: COLUMN_WIDTH, y: ROW_HEIGHT / 2 });
    expect(positions.get("d")).toEqual({ x: 2 * COLUMN_WIDTH, y: 0 });
  });

  it("is the same for the same config, and still places nodes on a cycle (after the rest)", () => {
    const ids = ["a", "b", "c"];
    const e = edges(["a", "b"], ["b", "c"], ["c", "b"]);
    expect(layout(ids, e)).toEqual(layout(ids, e));
    expect(Object.fromEntries(depths(ids, e))).toEqual({ a: 0, b: 1, c: 2 });
  });
});

describe("config and graph", () => {
  it("round-trips a stored config", () => {
    expect(graphToConfig(configToGraph(STILL))).toEqual(STILL);
  });

  it("leaves out the step version of a new node (the server pins the newest)", () => {
    const graph = configToGraph({ nodes: [{ id: "x", step: "deliver", params: {} }] });
    expect(graph.nodes[0]?.step_version).toBeNull();
    expect(graphToConfig(graph).nodes[0]).toEqual({ id: "x", step: "deliver", params: {} });
  });

  it("reads a config of any shape without throwing", () => {
    expect(configToGraph({})).toEqual({ nodes: [], edges: [] });
    expect(configToGraph(null)).toEqual({ nodes: [], edges: [] });
  });

  it("tells changed configs apart, not key order or positions", () => {
    const graph = configToGraph(STILL);
    const moved = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: { x: 5, y: 5 } })) };
    expect(configKey(graphToConfig(moved))).toBe(configKey(STILL));
    const a = { ...STILL, nodes: [{ id: "r", step: "render_still", params: { width: 1, height: 2 } }] };
    const b = { ...STILL, nodes: [{ id: "r", step: "render_still", params: { height: 2, width: 1 } }] };
    expect(configKey(a)).toBe(configKey(b));
    expect(configKey({ ...a, nodes: [{ id: "r", step: "render_still", params: { width: 3, height: 2 } }] })).not.toBe(configKey(a));
  });
});

describe("new nodes", () => {
  it("get the step's name, then a free number", () => {
    expect(nextNodeId("render_still", ["check_cad"])).toBe("render_still");
    expect(nextNodeId("render_still", ["render_still", "render_still_2"])).toBe("render_still_3");
  });

  it("go right of the selected node, in the first free row, else right of everything", () => {
    const graph = configToGraph(STILL);
    expect(freePosition(graph, "check_cad")).toEqual({ x: COLUMN_WIDTH, y: ROW_HEIGHT });
    expect(freePosition(graph)).toEqual({ x: 3 * COLUMN_WIDTH, y: 0 });
    expect(freePosition({ nodes: [], edges: [] })).toEqual({ x: 0, y: 0 });
  });
});

/**
 * The editor's model of a workflow and its mapping to the API's config
 * (`{"version": 1, "nodes": [{"id", "step", "step_version", "params"}], "edges": [{"from", "to"}]}`).
 *
 * The config has no positions (a node's params are checked against its step's schema, so they
 * cannot carry any): a loaded workflow is laid out by topological depth, left to right, the
 * same way every time. Positions the user drags to live in the editor until the page closes.
 */

export interface XY {
  x: number;
  y: number;
}

export interface GraphNode {
  id: string;
  step: string;
  /** The step version the node is pinned to (null: the step's newest, pinned on save). */
  step_version: number | null;
  params: Record<string, unknown>;
  position: XY;
}

export interface GraphEdge {
  source: string;
  target: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ConfigNode {
  id: string;
  step: string;
  step_version?: number | null;
  params: Record<string, unknown>;
}

export interface WorkflowConfig {
  version: number;
  nodes: ConfigNode[];
  edges: Array<{ from: string; to: string }>;
}

/** Horizontal distance between two depths, vertical between two nodes of one depth. */
export const COLUMN_WIDTH = 270;
export const ROW_HEIGHT = 150;

export const edgeId = (edge: GraphEdge): string => `${edge.source}->${edge.target}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Each node's depth: the longest path to it from a node without predecessors. Nodes on a cycle
 * (a merged diff of two versions can have one) come after every ordered node, in config order.
 */
export function depths(ids: readonly string[], edges: readonly GraphEdge[]): Map<string, number> {
  const known = new Set(ids);
  const incoming = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const { source, target } of edges) {
    if (!known.has(source) || !known.has(target)) continue;
    incoming.set(target, (incoming.get(target) ?? 0) + 1);
    next.get(source)?.push(target);
  }
  const depth = new Map<string, number>();
  const ready = ids.filter((id) => incoming.get(id) === 0);
  ready.forEach((id) => depth.set(id, 0));
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i] as string;
    for (const target of next.get(id) ?? []) {
      depth.set(target, Math.max(depth.get(target) ?? 0, (depth.get(id) ?? 0) + 1));
      const left = (incoming.get(target) ?? 0) - 1;
      incoming.set(target, left);
      if (left === 0) ready.push(target);
    }
  }
  const ordered = new Set(ready);
  let last = Math.max(-1, ...ready.map((id) => depth.get(id) ?? 0));
  for (const id of ids) if (!ordered.has(id)) depth.set(id, ++last);
  return depth;
}

/** Positions by depth (columns, left to right) and config order within a column, centred on y = 0. */
export function layout(ids: readonly string[], edges: readonly GraphEdge[]): Map<string, XY> {
  const depth = depths(ids, edges);
  const columns = new Map<number, string[]>();
  for (const id of ids) {
    const d = depth.get(id) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), id]);
  }
  const positions = new Map<string, XY>();
  for (const [d, column] of columns) {
    column.forEach((id, row) => positions.set(id, { x: d * COLUMN_WIDTH, y: (row - (column.length - 1) / 2) * ROW_HEIGHT }));
  }
  return positions;
}

/** The config as the API sends it (a dict of any shape), read leniently into nodes and edges. */
export function readConfig(config: unknown): WorkflowConfig {
  const raw = isRecord(config) ? config : {};
  const nodes = (Array.isArray(raw.nodes) ? raw.nodes : []).filter(isRecord).map((n) => ({
    id: String(n.id),
    step: String(n.step),
    step_version: typeof n.step_version === "number" ? n.step_version : null,
    params: isRecord(n.params) ? n.params : {},
  }));
  const edges = (Array.isArray(raw.edges) ? raw.edges : [])
    .filter(isRecord)
    .map((e) => ({ from: String(e.from), to: String(e.to) }));
  return { version: typeof raw.version === "number" ? raw.version : 1, nodes, edges };
}

/** A stored config as a graph, laid out. */
export function configToGraph(config: unknown): Graph {
  const { nodes, edges } = readConfig(config);
  const graphEdges = edges.map((e) => ({ source: e.from, target: e.to }));
  const positions = layout(
    nodes.map((n) => n.id),
    graphEdges,
  );
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      step: n.step,
      step_version: n.step_version ?? null,
      params: n.params,
      position: positions.get(n.id) ?? { x: 0, y: 0 },
    })),
    edges: graphEdges,
  };
}

/** The graph as a config to validate or save (positions are not part of it). */
export function graphToConfig(graph: Graph): WorkflowConfig {
  return {
    version: 1,
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      step: n.step,
      ...(n.step_version !== null ? { step_version: n.step_version } : {}),
      params: n.params,
    })),
    edges: graph.edges.map((e) => ({ from: e.source, to: e.target })),
  };
}

/** A stable text of a config, to tell whether the editor differs from the saved version. */
export function configKey(config: WorkflowConfig): string {
  const sorted = (value: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({
    nodes: config.nodes.map((n) => [n.id, n.step, n.step_version ?? null, sorted(n.params)]),
    edges: config.edges.map((e) => [e.from, e.to]),
  });
}

/** A new node's id: the step's name, then `name_2`, `name_3`, … (ids are unique per workflow). */
export function nextNodeId(step: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(step)) return step;
  let n = 2;
  while (used.has(`${step}_${n}`)) n++;
  return `${step}_${n}`;
}

/**
 * Where a node added from the palette goes: one column right of `after` (a selected node), or
 * right of every node; the first free row of that column.
 */
export function freePosition(graph: Graph, after?: string | null): XY {
  if (graph.nodes.length === 0) return { x: 0, y: 0 };
  const anchor = graph.nodes.find((n) => n.id === after);
  const x = anchor ? anchor.position.x + COLUMN_WIDTH : Math.max(...graph.nodes.map((n) => n.position.x)) + COLUMN_WIDTH;
  const y0 = anchor ? anchor.position.y : 0;
  const busy = (y: number) =>
    graph.nodes.some((n) => Math.abs(n.position.x - x) < COLUMN_WIDTH * 0.8 && Math.abs(n.position.y - y) < ROW_HEIGHT * 0.8);
  for (let i = 0; ; i++) {
    // 0, +1, -1, +2, -2, … rows from the anchor's row
    const offset = i === 0 ? 0 : Math.ceil(i / 2) * (i % 2 === 1 ? 1 : -1);
    const y = y0 + offset * ROW_HEIGHT;
    if (!busy(y)) return { x, y };
  }
}

/**
 * The editor's state: the graph with undo/redo. Every edit is an action; each is one undo step
 * (a drag from its start to its end; typing into one parameter field, as long as nothing else
 * happens in between).
 */
import type { ParamValue } from "./schema-form";
import { withParam } from "./schema-form";
import type { Graph, GraphEdge, GraphNode, XY } from "./graph";
import { edgeId } from "./graph";
import { commit, commitFrom, redo, replace, undo, undoable } from "./undo";
import type { Undoable } from "./undo";

export interface EditorState {
  history: Undoable<Graph>;
  /** The graph before the drag in progress (the drag's one undo step goes back to it). */
  dragOrigin: Graph | null;
}

export type EditorAction =
  | { type: "add"; node: GraphNode }
  | { type: "move"; positions: Record<string, XY>; done: boolean }
  | { type: "connect"; edge: GraphEdge }
  | { type: "remove"; nodes: string[]; edges: GraphEdge[] }
  | { type: "param"; node: string; key: string; value: ParamValue | null }
  | { type: "undo" }
  | { type: "redo" };

export function initialEditor(graph: Graph): EditorState {
  return { history: undoable(graph), dragOrigin: null };
}

const samePositions = (a: Graph, b: Graph) =>
  a.nodes.length === b.nodes.length &&
  a.nodes.every((n, i) => n.position.x === b.nodes[i]?.position.x && n.position.y === b.nodes[i]?.position.y);

function edit(state: EditorState, next: Graph, group: string | null = null): EditorState {
  return { ...state, history: commit(state.history, next, group) };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  const graph = state.history.present;
  switch (action.type) {
    case "add":
      if (graph.nodes.some((n) => n.id === action.node.id)) return state;
      return edit(state, { ...graph, nodes: [...graph.nodes, action.node] });
    case "move": {
      const nodes = graph.nodes.map((n) => (action.positions[n.id] ? { ...n, position: action.positions[n.id] as XY } : n));
      const moved = { ...graph, nodes };
      const origin = state.dragOrigin ?? graph;
      if (!action.done) return { history: replace(state.history, moved), dragOrigin: origin };
      return { history: commitFrom(replace(state.history, moved), origin, samePositions), dragOrigin: null };
    }
    case "connect": {
      const { source, target } = action.edge;
      if (source === target || graph.edges.some((e) => edgeId(e) === edgeId(action.edge))) return state;
      return edit(state, { ...graph, edges: [...graph.edges, { source, target }] });
    }
    case "remove": {
      const gone = new Set(action.nodes);
      const goneEdges = new Set(action.edges.map(edgeId));
      const nodes = graph.nodes.filter((n) => !gone.has(n.id));
      const edges = graph.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target) && !goneEdges.has(edgeId(e)));
      if (nodes.length === graph.nodes.length && edges.length === graph.edges.length) return state;
      return edit(state, { nodes, edges });
    }
    case "param": {
      const nodes = graph.nodes.map((n) =>
        n.id === action.node ? { ...n, params: withParam(n.params, action.key, action.value) } : n,
      );
      return edit(state, { ...graph, nodes }, `param:${action.node}:${action.key}`);
    }
    case "undo":
      return state.dragOrigin ? state : { ...state, history: undo(state.history) };
    case "redo":
      return state.dragOrigin ? state : { ...state, history: redo(state.history) };
  }
}

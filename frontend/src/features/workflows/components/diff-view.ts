/**
 * Two versions of a workflow as one picture: the newer version's nodes and edges plus those the
 * older one had and the newer has not, each marked added, removed or changed
 * (`GET /api/workflows/{id}/diff`), laid out together.
 */
import type { Schemas } from "@/lib/api";
import type { Graph, GraphEdge } from "./graph";
import { configToGraph, edgeId, layout, readConfig } from "./graph";
import { i18n } from "@/i18n";

export type Mark = "added" | "removed" | "changed";

export type VersionDiff = Schemas["VersionDiff"];
export type ParamChange = Schemas["ParamChange"];

export interface DiffMarks {
  nodes: Map<string, Mark>;
  edges: Map<string, Mark>;
  /** node id → what changed: params by key, and `step` / `step_version` when they did */
  changes: Map<string, Record<string, ParamChange>>;
}

export interface DiffPicture {
  graph: Graph;
  marks: DiffMarks;
}

export function diffPicture(older: unknown, newer: unknown, diff: VersionDiff): DiffPicture {
  const after = configToGraph(newer);
  const before = readConfig(older);
  const removedIds = new Set(diff.nodes_removed.map((n) => String(n.id)));
  const removedNodes = before.nodes
    .filter((n) => removedIds.has(n.id))
    .map((n) => ({ ...n, step_version: n.step_version ?? null, position: { x: 0, y: 0 } }));
  const removedEdges: GraphEdge[] = diff.edges_removed.map((e) => ({ source: e.from, target: e.to }));
  const nodes = [...after.nodes, ...removedNodes];
  const edges = [...after.edges, ...removedEdges];
  const positions = layout(
    nodes.map((n) => n.id),
    edges,
  );
  const marks: DiffMarks = { nodes: new Map(), edges: new Map(), changes: new Map() };
  for (const node of diff.nodes_added) marks.nodes.set(String(node.id), "added");
  for (const id of removedIds) marks.nodes.set(id, "removed");
  for (const change of diff.nodes_changed) {
    marks.nodes.set(change.id, "changed");
    const what: Record<string, ParamChange> = { ...(change.params ?? {}) };
    if (change.step) what.step = change.step;
    if (change.step_version) what.step_version = change.step_version;
    marks.changes.set(change.id, what);
  }
  for (const edge of diff.edges_added) marks.edges.set(edgeId({ source: edge.from, target: edge.to }), "added");
  for (const edge of removedEdges) marks.edges.set(edgeId(edge), "removed");
  return {
    graph: { nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })), edges },
    marks,
  };
}

/** "nothing changed", "1 node added, 2 changed, 1 edge removed", … */
export function diffSummary(diff: VersionDiff): string {
  const parts: string[] = [];
  if (diff.nodes_added.length) parts.push(i18n.t("workflows:history.summary.nodesAdded", { count: diff.nodes_added.length }));
  if (diff.nodes_removed.length) parts.push(i18n.t("workflows:history.summary.nodesRemoved", { count: diff.nodes_removed.length }));
  if (diff.nodes_changed.length) parts.push(i18n.t("workflows:history.summary.nodesChanged", { count: diff.nodes_changed.length }));
  if (diff.edges_added.length) parts.push(i18n.t("workflows:history.summary.edgesAdded", { count: diff.edges_added.length }));
  if (diff.edges_removed.length) parts.push(i18n.t("workflows:history.summary.edgesRemoved", { count: diff.edges_removed.length }));
  return parts.length ? parts.join(", ") : i18n.t("workflows:history.summary.nothing");
}

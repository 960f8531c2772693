/**
 * The server's validation problems (`POST /api/workflows/validate`, or a save's 422
 * `workflow_invalid` with `details.problems`) placed on what they name: a node by id, an edge by
 * its index in the config that was checked, a parameter by `field`. The rest is about the whole
 * workflow (no entry point, too many nodes, …).
 */
import { ApiError } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import type { WorkflowConfig } from "./graph";
import { edgeId } from "./graph";

export type Problem = Schemas["Problem"];

export interface PlacedProblems {
  nodes: Map<string, Problem[]>;
  /** by edge id (`source->target`) */
  edges: Map<string, Problem[]>;
  general: Problem[];
}

export const NO_PROBLEMS: PlacedProblems = { nodes: new Map(), edges: new Map(), general: [] };

function add(map: Map<string, Problem[]>, key: string, problem: Problem) {
  map.set(key, [...(map.get(key) ?? []), problem]);
}

export function placeProblems(problems: readonly Problem[], checked: WorkflowConfig): PlacedProblems {
  const placed: PlacedProblems = { nodes: new Map(), edges: new Map(), general: [] };
  const nodeIds = new Set(checked.nodes.map((n) => n.id));
  for (const problem of problems) {
    const edge = problem.edge != null ? checked.edges[problem.edge] : undefined;
    if (edge) add(placed.edges, edgeId({ source: edge.from, target: edge.to }), problem);
    else if (problem.node != null && nodeIds.has(problem.node)) add(placed.nodes, problem.node, problem);
    else placed.general.push(problem);
  }
  return placed;
}

/** The parameter a problem names (`"width"` of `"width"` or `"width.0"`), if any. */
export function problemField(problem: Problem): string | null {
  return problem.field ? (problem.field.split(".")[0] ?? null) : null;
}

/** The problems of a save that was refused as `workflow_invalid`, else null. */
export function problemsOf(error: unknown): Problem[] | null {
  if (!(error instanceof ApiError) || error.code !== "workflow_invalid") return null;
  const problems = (error.details as { problems?: unknown } | undefined)?.problems;
  return Array.isArray(problems) ? (problems as Problem[]) : null;
}

export function problemCount(placed: PlacedProblems): number {
  let count = placed.general.length;
  for (const list of placed.nodes.values()) count += list.length;
  for (const list of placed.edges.values()) count += list.length;
  return count;
}

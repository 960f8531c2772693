/**
 * The run view's model (pure, tested in run-view.test.ts): a run of `GET /api/workflow-runs` as
 * a graph for the canvas and a status overlay, and the `workflow_node` live events folded into the
 * cached runs. The events carry a node's status, attempts, duration and error and the run's status;
 * an event of a run or node the cache does not know asks for a refetch (a new run: the entry
 * nodes of a new run are not announced).
 */
import type { LiveEvent } from "@/lib/ws";
import type { Run, RunNode } from "../api/runs";
import type { Graph, GraphEdge } from "./graph";
import { layout } from "./graph";
import type { NodeRun, RunOverlay } from "./run-status";
import { nodeRunState } from "./run-status";
import { i18n } from "@/i18n";

/** A `workflow_node` event (see `pipeline/executor._announce`). */
export interface NodeEvent {
  run_id: string;
  subject_id: string;
  node_id: string;
  status: string;
  attempts: number;
  duration_s: number | null;
  error: string | null;
  run_status: string;
}

const NODE_FINISHED = new Set(["completed", "failed", "skipped", "cancelled"]);
const RUN_FINISHED = new Set(["completed", "failed", "partial", "cancelled"]);

/** The event as a `NodeEvent`, or null for any other event (or one missing what it needs). */
export function readNodeEvent(event: LiveEvent): NodeEvent | null {
  if (event.type !== "workflow_node") return null;
  const { run_id: runId, subject_id: subjectId, node_id: nodeId, status } = event;
  if (typeof runId !== "string" || typeof subjectId !== "string" || typeof nodeId !== "string" || typeof status !== "string") {
    return null;
  }
  return {
    run_id: runId,
    subject_id: subjectId,
    node_id: nodeId,
    status,
    attempts: typeof event.attempts === "number" ? event.attempts : 0,
    duration_s: typeof event.duration_s === "number" ? event.duration_s : null,
    error: typeof event.error === "string" ? event.error : null,
    run_status: typeof event.run_status === "string" ? event.run_status : "running",
  };
}

/** The nodes below `nodeId` (following the predecessor lists downwards). */
export function descendants(nodes: readonly RunNode[], nodeId: string): Set<string> {
  const below = new Set<string>();
  const todo = [nodeId];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    for (const node of nodes) {
      if (node.predecessors.includes(id) && !below.has(node.node_id)) {
        below.add(node.node_id);
        todo.push(node.node_id);
      }
    }
  }
  return below;
}

/**
 * An event older than what the node shows: an earlier attempt, or a start after the node finished
 * in the same attempt (events of two workers can cross).
 */
function stale(node: RunNode, event: NodeEvent): boolean {
  if (event.attempts < node.attempts) return true;
  return event.status === "running" && NODE_FINISHED.has(node.status) && event.attempts <= node.attempts;
}

function reset(node: RunNode): RunNode {
  return { ...node, status: "pending", error: null, started_at: null, finished_at: null, queued_at: null, duration_s: null, outputs: {} };
}

/** The node after the event; `at` is when it arrived (ISO), the start of a running node's clock. */
function patchNode(node: RunNode, event: NodeEvent, at: string): RunNode {
  const base = { ...node, status: event.status, attempts: Math.max(node.attempts, event.attempts) };
  if (event.status === "queued") return { ...reset(node), status: "queued", attempts: base.attempts, queued_at: at };
  if (event.status === "running") {
    const again = node.status !== "running" || event.attempts > node.attempts; // a new attempt starts its clock
    return { ...base, started_at: again ? at : (node.started_at ?? at), finished_at: null, duration_s: null, error: null };
  }
  if (NODE_FINISHED.has(event.status)) {
    return { ...base, finished_at: at, duration_s: event.duration_s, error: event.error };
  }
  return { ...reset(node), attempts: base.attempts };
}

/**
 * Fold one event into the cached runs. `refetch` when the run or node is not in the cache (a new
 * run), or when every node has finished but the event still calls the run running (a server that
 * announced before it settled the run: the run's end has no event of its own, and only the server
 * knows whether it is completed, failed or partial). A failed node
 * queued or started again (a retry, maybe from another browser) resets its descendants to
 * waiting, as the executor did.
 */
export function applyNodeEvent(runs: readonly Run[], event: NodeEvent, at: string): { runs: Run[]; refetch: boolean } {
  const run = runs.find((r) => r.id === event.run_id);
  const node = run?.nodes.find((n) => n.node_id === event.node_id);
  if (!run || !node) return { runs: [...runs], refetch: true };
  if (stale(node, event)) return { runs: [...runs], refetch: false };
  const retried = node.status === "failed" && (event.status === "queued" || event.status === "running");
  const again = retried ? descendants(run.nodes, node.node_id) : new Set<string>();
  const nodes = run.nodes.map((n) => (n.node_id === node.node_id ? patchNode(n, event, at) : again.has(n.node_id) ? reset(n) : n));
  const finished = RUN_FINISHED.has(event.run_status);
  const next: Run = {
    ...run,
    status: event.run_status,
    finished_at: finished ? (run.finished_at ?? at) : null,
    error: finished ? run.error : null,
    nodes,
  };
  const settled = !finished && nodes.every((n) => NODE_FINISHED.has(n.status));
  return { runs: runs.map((r) => (r === run ? next : r)), refetch: settled };
}

/**
 * The run a retry answered with, taken into the cached runs unless the cache is already ahead of
 * it: the answer is the run as it was when the retry committed, and the retried node's events
 * (started, done: a higher attempt) can reach the browser before the answer does.
 */
export function takeRetried(runs: readonly Run[], answer: Run): Run[] {
  return runs.map((cached) => {
    if (cached.id !== answer.id) return cached;
    const attempts = new Map(answer.nodes.map((n) => [n.node_id, n.attempts]));
    const ahead = cached.nodes.some((n) => n.attempts > (attempts.get(n.node_id) ?? 0));
    return ahead ? cached : answer;
  });
}

/** Seconds between two ISO times, or null. */
function seconds(from: string | null, to: string | number | null): number | null {
  if (!from || to === null) return null;
  const start = Date.parse(from);
  const end = typeof to === "number" ? to : Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, (end - start) / 1000);
}

/** A node's state for the canvas; a running node's duration counts up to `now` (ms). */
export function nodeRun(node: RunNode, now: number): NodeRun {
  const status = nodeRunState(node.status);
  const duration =
    status === "running"
      ? seconds(node.started_at, now)
      : NODE_FINISHED.has(node.status)
        ? (node.duration_s ?? seconds(node.started_at, node.finished_at))
        : null;
  return { status, duration_s: duration, error: node.error };
}

/** node id → state, for `WorkflowCanvas`'s `runStatus`. */
export function runOverlay(run: Run, now: number): RunOverlay {
  return Object.fromEntries(run.nodes.map((node) => [node.node_id, nodeRun(node, now)]));
}

/** The run's nodes as a graph (edges from the predecessor lists), laid out as the editor lays out configs. */
export function runGraph(run: Run): Graph {
  const ids = run.nodes.map((n) => n.node_id);
  const edges: GraphEdge[] = run.nodes.flatMap((n) => n.predecessors.map((p) => ({ source: p, target: n.node_id })));
  const positions = layout(ids, edges);
  return {
    nodes: run.nodes.map((n) => ({
      id: n.node_id,
      step: n.step,
      step_version: n.step_version,
      params: n.params,
      position: positions.get(n.node_id) ?? { x: 0, y: 0 },
    })),
    edges,
  };
}

/** Whether a node is running (the view's clocks tick then). */
export const isRunning = (run: Run | undefined): boolean => Boolean(run?.nodes.some((n) => n.status === "running"));

/** "1 of 3 nodes done" */
export function runSummary(run: Run): string {
  const done = run.nodes.filter((n) => n.status === "completed").length;
  return i18n.t("workflows:run.summary", { done, count: run.nodes.length });
}

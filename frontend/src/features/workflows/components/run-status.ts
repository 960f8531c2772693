/**
 * A run's status per node, to overlay on the canvas (the run view, `run-view.ts`: a run of
 * `GET /api/workflow-runs` kept up to date by the `workflow_node` live events). The canvas
 * takes it as a prop.
 */
import { i18n } from "@/i18n";

/** "waiting": its predecessors have not finished yet (the API's `pending`). */
export type NodeRunState = "waiting" | "queued" | "running" | "done" | "failed" | "skipped" | "cancelled";

export interface NodeRun {
  status: NodeRunState;
  /** Seconds the node ran (so far, while running); null before it started. */
  duration_s?: number | null;
  /** Why it failed. */
  error?: string | null;
}

/** node id → its run */
export type RunOverlay = Readonly<Record<string, NodeRun>>;

/** The status the shared pill colours by ("done" is the pill's "completed", "waiting" its "pending"). */
export function pillStatus(state: NodeRunState): string {
  return state === "done" ? "completed" : state === "waiting" ? "pending" : state;
}

/** A node status of the API (`pending`, `queued`, …, `completed`, …) as the overlay's state. */
export function nodeRunState(status: string): NodeRunState {
  switch (status) {
    case "completed":
      return "done";
    case "queued":
    case "running":
    case "failed":
    case "skipped":
    case "cancelled":
      return status;
    default:
      return "waiting";
  }
}

export const RUN_LABELS: Record<NodeRunState, string> = {
  waiting: "Waiting",
  queued: "Queued",
  running: "Running",
  done: "Done",
  failed: "Failed",
  skipped: "Skipped",
  cancelled: "Cancelled",
};

/** A node's run state in the UI's language. */
export function runLabel(state: NodeRunState): string {
  return i18n.t(`workflows:run.state.${state}`, { defaultValue: RUN_LABELS[state] });
}

/** "0.4 s", "12 s", "2 min 05 s", "1 h 03 min"; null for no duration. */
export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${pad(whole % 60)} s`;
  return `${Math.floor(whole / 3600)} h ${pad(Math.floor((whole % 3600) / 60))} min`;
}

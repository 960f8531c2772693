import type { Run, RunNode } from "../api/runs";
import { applyNodeEvent, nodeRun, readNodeEvent, runGraph, runOverlay, takeRetried } from "./run-view";
import type { NodeEvent } from "./run-view";

const node = (id: string, predecessors: string[], status = "pending", extra: Partial<RunNode> = {}): RunNode => ({
  node_id: id,
  step: id === "render" ? "render_still" : id,
  step_version: 1,
  label: id,
  params: {},
  predecessors,
  status,
  attempts: 0,
  queued_at: null,
  started_at: null,
  finished_at: null,
  duration_s: null,
  outputs: {},
  error: null,
  ...extra,
});

// The Still built-in's run of a line: check_cad → render → deliver.
const run = (nodes: RunNode[], status = "running"): Run => ({
  id: "run-1",
  tenant_id: "t",
  workflow_id: "w",
  workflow_name: "Still",
  version: 1,
  subject: "order_line",
  subject_id: "line-1",
  status,
  error: null,
  created_at: "2025-01-01T10:00:00Z",
  finished_at: null,
  nodes,
});

const fresh = () =>
  run([
    node("check_cad", [], "queued"),
    node("render", ["check_cad"]),
    node("deliver", ["render"]),
  ]);

const event = (node_id: string, status: string, extra: Partial<NodeEvent> = {}): NodeEvent => ({
  run_id: "run-1",
  subject_id: "line-1",
  node_id,
  status,
  attempts: 1,
  duration_s: null,
  error: null,
  run_status: "running",
  ...extra,
});

const T0 = "2025-01-01T10:00:01.000Z";
const T1 = "2025-01-01T10:00:04.000Z";

/** Apply events in order, as the view does, returning the one run. */
function replay(start: Run, events: Array<[NodeEvent, string]>): Run {
  let runs = [start];
  for (const [e, at] of events) runs = applyNodeEvent(runs, e, at).runs;
  return runs[0] as Run;
}

const states = (r: Run) => Object.fromEntries(r.nodes.map((n) => [n.node_id, nodeRun(n, Date.parse(T1)).status]));

describe("reading live events", () => {
  it("takes workflow_node events and nothing else", () => {
    const raw = { type: "workflow_node", run_id: "r", subject_id: "s", node_id: "render", status: "running", attempts: 2, duration_s: null, error: null, run_status: "running" };
    expect(readNodeEvent(raw)).toEqual({
      run_id: "r",
      subject_id: "s",
      node_id: "render",
      status: "running",
      attempts: 2,
      duration_s: null,
      error: null,
      run_status: "running",
    });
    expect(readNodeEvent({ type: "order_line", line_id: "x" })).toBeNull();
    expect(readNodeEvent({ type: "workflow_node", run_id: "r" })).toBeNull();
  });
});

describe("folding events into a run", () => {
  it("walks a run to completed, node by node, with durations", () => {
    const done = replay(fresh(), [
      [event("check_cad", "running"), T0],
      [event("check_cad", "completed", { duration_s: 0.4 }), T0],
      [event("render", "queued", { attempts: 0 }), T0],
      [event("render", "running"), T0],
      [event("render", "completed", { duration_s: 3 }), T1],
      [event("deliver", "queued", { attempts: 0 }), T1],
      [event("deliver", "running"), T1],
      [event("deliver", "completed", { duration_s: 0.2, run_status: "completed" }), T1],
    ]);
    expect(states(done)).toEqual({ check_cad: "done", render: "done", deliver: "done" });
    expect(done.status).toBe("completed");
    expect(done.finished_at).toBe(T1);
    expect(runOverlay(done, Date.parse(T1)).render).toEqual({ status: "done", duration_s: 3, error: null });
  });

  it("counts a running node's time up from when it started", () => {
    const running = replay(fresh(), [[event("check_cad", "running"), T0]]);
    expect(nodeRun(running.nodes[0] as RunNode, Date.parse(T1))).toEqual({ status: "running", duration_s: 3, error: null });
  });

  it("shows the failure and the skipped descendants, then resets them when the node is retried", () => {
    const failed = replay(fresh(), [
      [event("check_cad", "running"), T0],
      [event("check_cad", "failed", { error: "no CAD file", duration_s: 0.1 }), T0],
      [event("render", "skipped", { attempts: 0, error: "skipped: check_cad failed" }), T0],
      [event("deliver", "skipped", { attempts: 0, error: "skipped: check_cad failed", run_status: "failed" }), T0],
    ]);
    expect(states(failed)).toEqual({ check_cad: "failed", render: "skipped", deliver: "skipped" });
    expect(runOverlay(failed, 0).check_cad?.error).toBe("no CAD file");
    expect(failed.status).toBe("failed");

    // Someone retries it (in another browser: only the node's own event arrives).
    const again = replay(failed, [[event("check_cad", "queued", { run_status: "running" }), T1]]);
    expect(states(again)).toEqual({ check_cad: "queued", render: "waiting", deliver: "waiting" });
    expect(again.status).toBe("running");
    expect(again.finished_at).toBeNull();
    expect(again.nodes[0]?.error).toBeNull();
  });

  it("keeps what the retried node's events said when the retry's answer arrives after them", () => {
    const failed = replay(fresh(), [
      [event("check_cad", "failed", { attempts: 1 }), T0],
      [event("render", "skipped", { attempts: 0 }), T0],
      [event("deliver", "skipped", { attempts: 0, run_status: "failed" }), T0],
    ]);
    const answer = run([
      node("check_cad", [], "queued", { attempts: 1 }),
      node("render", ["check_cad"]),
      node("deliver", ["render"]),
    ]);
    // The answer first: it replaces the failed run.
    expect(states(takeRetried([failed], answer)[0] as Run)).toEqual({ check_cad: "queued", render: "waiting", deliver: "waiting" });
    // The node's events first (a quick check_cad ran its second attempt): the answer is older.
    const ran = replay(failed, [
      [event("check_cad", "running", { attempts: 2 }), T1],
      [event("check_cad", "completed", { attempts: 2, duration_s: 0.1 }), T1],
    ]);
    expect(states(takeRetried([ran], answer)[0] as Run)).toEqual({ check_cad: "done", render: "waiting", deliver: "waiting" });
  });

  it("ignores a start that arrives after the same attempt finished, and earlier attempts", () => {
    const done = replay(fresh(), [
      [event("check_cad", "running", { attempts: 2 }), T0],
      [event("check_cad", "completed", { attempts: 2, duration_s: 1 }), T1],
    ]);
    const late = replay(done, [
      [event("check_cad", "running", { attempts: 2 }), T1],
      [event("check_cad", "failed", { attempts: 1 }), T1],
    ]);
    expect(late.nodes[0]).toEqual(done.nodes[0]);
  });

  it("asks for a refetch for a run or node it does not know (a new run)", () => {
    expect(applyNodeEvent([fresh()], event("check_cad", "running", { run_id: "run-2" }), T0).refetch).toBe(true);
    expect(applyNodeEvent([fresh()], event("render_2", "running"), T0).refetch).toBe(true);
    expect(applyNodeEvent([fresh()], event("check_cad", "running"), T0).refetch).toBe(false);
  });

  it("asks the server how the run ended when its last node's event still calls it running", () => {
    const almost = replay(fresh(), [
      [event("check_cad", "completed"), T0],
      [event("render", "completed"), T0],
    ]);
    const last = applyNodeEvent([almost], event("deliver", "completed"), T1);
    expect(last.refetch).toBe(true);
    expect(last.runs[0]?.status).toBe("running");
    expect(applyNodeEvent([almost], event("deliver", "completed", { run_status: "completed" }), T1).refetch).toBe(false);
  });
});

describe("the run as a graph", () => {
  it("draws edges from the predecessor lists, laid out left to right", () => {
    const graph = runGraph(
      run([node("check_cad", []), node("render", ["check_cad"]), node("glb", ["check_cad"]), node("deliver", ["render", "glb"])]),
    );
    expect(graph.edges).toEqual([
      { source: "check_cad", target: "render" },
      { source: "check_cad", target: "glb" },
      { source: "render", target: "deliver" },
      { source: "glb", target: "deliver" },
    ]);
    const x = Object.fromEntries(graph.nodes.map((n) => [n.id, n.position.x]));
    expect(x.check_cad).toBeLessThan(x.render as number);
    expect(x.render).toBe(x.glb);
    expect(x.deliver).toBeGreaterThan(x.glb as number);
  });
});

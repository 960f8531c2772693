/**
 * The run view: a subject's (order line's, CAD file's) latest workflow run on the read-only
 * canvas with each node's live status and duration, and a table of the nodes with "Retry" on a
 * failed one. Kept live by the `workflow_node` events of `/api/ws` (folded into the cached runs,
 * `run-view.ts`) and fetched again whenever the socket (re)connects, so nothing missed while it was
 * down stays wrong. Composed into the order and CAD pages by src/app (features do not import each
 * other): `<SubjectRunView subjectId={line.id} />`.
 */
import { Link } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert, Button, DataTable, EmptyState, Select, Spinner, StatusPill } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCan } from "@/lib/session";
import { useLiveEvents } from "@/lib/ws";
import type { LiveEvent } from "@/lib/ws";
import { runsKey, useRetryNode, useRuns } from "../api/runs";
import type { Run, RunNode } from "../api/runs";
import { useSteps } from "../api/workflows";
import type { StepInfo } from "./connections";
import { RUN_LABELS, formatDuration, pillStatus } from "./run-status";
import { applyNodeEvent, isRunning, nodeRun, readNodeEvent, runGraph, runOverlay, runSummary } from "./run-view";
import { WorkflowCanvas } from "./WorkflowCanvas";
import "./workflows.css";

export interface SubjectRunViewProps {
  /** An order line's or CAD file's id. */
  subjectId: string;
  /** Shown while the subject has no run (e.g. a line of a draft). */
  noRun?: string;
}

/** Milliseconds since the epoch, once a second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [ticking]);
  return now;
}

/** The subject's runs, kept up to date from the live events; refetched on every (re)connect. */
function useLiveRuns(subjectId: string) {
  const queryClient = useQueryClient();
  const runs = useRuns(subjectId);
  const onEvent = useCallback(
    (raw: LiveEvent) => {
      const event = readNodeEvent(raw);
      if (!event || event.subject_id !== subjectId) return;
      let refetch = true;
      queryClient.setQueryData<Run[]>(runsKey(subjectId), (cached) => {
        if (!cached) return cached;
        const next = applyNodeEvent(cached, event, new Date().toISOString());
        refetch = next.refetch;
        return next.runs;
      });
      if (refetch) void queryClient.invalidateQueries({ queryKey: runsKey(subjectId) });
    },
    [queryClient, subjectId],
  );
  const live = useLiveEvents(onEvent);
  useEffect(() => {
    if (live === "open") void queryClient.invalidateQueries({ queryKey: runsKey(subjectId) });
  }, [live, queryClient, subjectId]);
  return { runs, live };
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function SubjectRunView({ subjectId, noRun = "No workflow has run on this yet." }: SubjectRunViewProps) {
  const { runs, live } = useLiveRuns(subjectId);
  const steps = useSteps();
  const [picked, setPicked] = useState<string | null>(null);
  const list = runs.data ?? [];
  const run = list.find((r) => r.id === picked) ?? list[0];

  if (runs.isError) return <Alert>The workflow runs could not be loaded: {errorMessage(runs.error)}</Alert>;
  if (runs.isPending || steps.isPending) {
    return (
      <div className="wf-loading">
        <Spinner /> Loading the workflow run…
      </div>
    );
  }
  return (
    <div className="wf-run" data-testid="run-view" data-live={live}>
      {!run ? (
        <EmptyState title="No run yet">{noRun}</EmptyState>
      ) : (
        <>
          <div className="wf-run__head">
            {list.length > 1 ? (
              <label className="wf-run__pick">
                <span className="sr-only">Run</span>
                <Select value={run.id} onChange={(event) => setPicked(event.target.value === list[0]?.id ? null : event.target.value)}>
                  {list.map((r, i) => (
                    <option key={r.id} value={r.id}>
                      {i === 0 ? "Latest run" : "Run"} · {when(r.created_at)} · {r.status}
                    </option>
                  ))}
                </Select>
              </label>
            ) : (
              <span className="wf-muted">Started {when(run.created_at)}</span>
            )}
            <span>
              {run.workflow_id ? (
                <Link to="/workflows/$workflowId" params={{ workflowId: run.workflow_id }}>
                  {run.workflow_name}
                </Link>
              ) : (
                run.workflow_name
              )}{" "}
              <span className="wf-muted">version {run.version}</span>
            </span>
            <span data-testid="run-status" data-status={run.status}>
              <StatusPill status={run.status} />
            </span>
            <span className="wf-muted" data-testid="run-summary">
              {runSummary(run)}
            </span>
          </div>
          <RunDetail key={run.id} run={run} subjectId={subjectId} steps={steps.data ?? []} />
        </>
      )}
    </div>
  );
}

function RunDetail({ run, subjectId, steps }: { run: Run; subjectId: string; steps: StepInfo[] }) {
  const canRetry = useCan("trigger_renders");
  const retry = useRetryNode(subjectId);
  const now = useNow(isRunning(run));
  const stepMap = useMemo(() => new Map(steps.map((s) => [s.name, s])), [steps]);
  const graph = useMemo(() => runGraph(run), [run]);
  const overlay = useMemo(() => runOverlay(run, now), [run, now]);

  const columns: Array<Column<RunNode>> = [
    {
      key: "node",
      header: "Step",
      width: "24%",
      render: (n) => (
        <>
          <div>{n.label || n.step}</div>
          <code className="wf-muted">{n.node_id}</code>
        </>
      ),
    },
    {
      key: "status",
      header: "Status",
      width: "14%",
      render: (n) => {
        const state = nodeRun(n, now).status;
        return <StatusPill status={pillStatus(state)} label={RUN_LABELS[state]} />;
      },
    },
    { key: "attempts", header: "Attempts", width: "10%", align: "right", render: (n) => n.attempts },
    { key: "duration", header: "Duration", width: "12%", align: "right", render: (n) => formatDuration(nodeRun(n, now).duration_s) ?? "—" },
    { key: "error", header: "Note", shrink: true, render: (n) => (n.error ? <span className={n.status === "failed" ? "wf-run__error" : "wf-muted"}>{n.error}</span> : null) },
    {
      key: "retry",
      header: "",
      label: "",
      width: "10%",
      align: "right",
      render: (n) =>
        canRetry && n.status === "failed" ? (
          <Button
            size="sm"
            loading={retry.isPending && retry.variables?.nodeId === n.node_id}
            onClick={() => retry.mutate({ runId: run.id, nodeId: n.node_id })}
            aria-label={`Retry ${n.node_id}`}
          >
            Retry
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      {retry.error && (
        <Alert>
          {retry.variables ? `${retry.variables.nodeId} was not retried: ` : ""}
          {errorMessage(retry.error)}
        </Alert>
      )}
      <div className="wf-run__canvas">
        <WorkflowCanvas graph={graph} steps={stepMap} runStatus={overlay} label={`Run of ${run.workflow_name}`} />
      </div>
      <DataTable
        caption="Nodes of the run"
        columns={columns}
        rows={run.nodes}
        rowKey={(n) => n.node_id}
        rowAttributes={(n) => ({ "data-testid": "run-node", "data-node-id": n.node_id, "data-status": n.status })}
      />
    </>
  );
}

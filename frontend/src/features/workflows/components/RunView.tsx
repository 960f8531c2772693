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
import { Alert, Button, DataTable, EmptyState, Select, Spinner, StatusPill, statusLabel } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCan } from "@/lib/session";
import { useLiveEvents } from "@/lib/ws";
import type { LiveEvent } from "@/lib/ws";
import { runsKey, useRetryNode, useRuns } from "../api/runs";
import type { Run, RunNode } from "../api/runs";
import { useSteps } from "../api/workflows";
import type { StepInfo } from "./connections";
import { formatDuration, pillStatus, runLabel } from "./run-status";
import { applyNodeEvent, isRunning, nodeRun, readNodeEvent, runGraph, runOverlay, runSummary } from "./run-view";
import { WorkflowCanvas } from "./WorkflowCanvas";
import "./workflows.css";
import { useTranslation } from "react-i18next";
import { useFormat } from "@/i18n/format";

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


export function SubjectRunView({ subjectId, noRun }: SubjectRunViewProps) {
  const { t } = useTranslation("workflows");
  const format = useFormat();
  const when = (iso: string) => format.dateTime(iso, { dateStyle: "medium", timeStyle: "medium" });
  const { runs, live } = useLiveRuns(subjectId);
  const steps = useSteps();
  const [picked, setPicked] = useState<string | null>(null);
  const list = runs.data ?? [];
  const run = list.find((r) => r.id === picked) ?? list[0];

  if (runs.isError) return <Alert>{t("run.error", { error: errorMessage(runs.error) })}</Alert>;
  if (runs.isPending || steps.isPending) {
    return (
      <div className="wf-loading">
        <Spinner /> {t("run.loading")}
      </div>
    );
  }
  return (
    <div className="wf-run" data-testid="run-view" data-live={live}>
      {!run ? (
        <EmptyState title={t("run.none")}>{noRun ?? t("run.noRun")}</EmptyState>
      ) : (
        <>
          <div className="wf-run__head">
            {list.length > 1 ? (
              <label className="wf-run__pick">
                <span className="sr-only">{t("run.run")}</span>
                <Select value={run.id} onChange={(event) => setPicked(event.target.value === list[0]?.id ? null : event.target.value)}>
                  {list.map((r, i) => (
                    <option key={r.id} value={r.id}>
                      {i === 0 ? t("run.latest") : t("run.run")} · {when(r.created_at)} · {statusLabel(r.status)}
                    </option>
                  ))}
                </Select>
              </label>
            ) : (
              <span className="wf-muted">{t("run.started", { date: when(run.created_at) })}</span>
            )}
            <span>
              {run.workflow_id ? (
                <Link to="/workflows/$workflowId" params={{ workflowId: run.workflow_id }}>
                  {run.workflow_name}
                </Link>
              ) : (
                run.workflow_name
              )}{" "}
              <span className="wf-muted">{t("run.version", { version: run.version })}</span>
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
  const { t } = useTranslation("workflows");
  const canRetry = useCan("trigger_renders");
  const retry = useRetryNode(subjectId);
  const now = useNow(isRunning(run));
  const stepMap = useMemo(() => new Map(steps.map((s) => [s.name, s])), [steps]);
  const graph = useMemo(() => runGraph(run), [run]);
  const overlay = useMemo(() => runOverlay(run, now), [run, now]);

  const columns: Array<Column<RunNode>> = [
    {
      key: "node",
      header: t("run.step"),
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
      header: t("run.status"),
      width: "14%",
      render: (n) => {
        const state = nodeRun(n, now).status;
        return <StatusPill status={pillStatus(state)} label={runLabel(state)} />;
      },
    },
    { key: "attempts", header: t("run.attempts"), width: "10%", align: "right", render: (n) => n.attempts },
    { key: "duration", header: t("run.duration"), width: "12%", align: "right", render: (n) => formatDuration(nodeRun(n, now).duration_s) ?? "—" },
    { key: "error", header: t("run.note"), shrink: true, render: (n) => (n.error ? <span className={n.status === "failed" ? "wf-run__error" : "wf-muted"}>{n.error}</span> : null) },
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
            aria-label={t("run.retryLabel", { node: n.node_id })}
          >
            {t("run.retry")}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      {retry.error && (
        <Alert>
          {retry.variables ? t("run.notRetried", { node: retry.variables.nodeId }) : ""}
          {errorMessage(retry.error)}
        </Alert>
      )}
      <div className="wf-run__canvas">
        <WorkflowCanvas graph={graph} steps={stepMap} runStatus={overlay} label={t("run.canvas", { name: run.workflow_name })} />
      </div>
      <DataTable
        caption={t("run.caption")}
        columns={columns}
        rows={run.nodes}
        rowKey={(n) => n.node_id}
        rowAttributes={(n) => ({ "data-testid": "run-node", "data-node-id": n.node_id, "data-status": n.status })}
      />
    </>
  );
}

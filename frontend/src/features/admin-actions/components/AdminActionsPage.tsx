/**
 * /admin/actions: the maintenance actions as cards (help, what it would touch now, the expected
 * duration from measured durations), each started after a confirmation that says what it touches,
 * then a live progress bar with cancel; below, the history of past jobs.
 */
import { useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Button, Card, Dialog, Field, Input, LoadMore, PageHeader, ProgressBar, Spinner, toast } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import { allItems, totalOf } from "@/lib/paging";
import { useFormat } from "@/i18n/format";
import {
  useAdminActions,
  useAdminJobs,
  useAdminJobsLive,
  useCancelJob,
  usePreview,
  useStartAction,
} from "../api/admin-actions";
import type { ActionName, AdminAction, AdminJob, Estimate, ThumbnailParams } from "../api/admin-actions";
import { percentDone, roundDuration, stalledMinutes } from "../duration";
import "./admin-actions.css";

/** Literal entries, so the help completeness test sees each one. */
const HELP: Record<ActionName, ReactNode> = {
  regenerate_thumbnails: <HelpTooltip entry="action.regenerate_thumbnails" />,
  process_unprocessed_cad_files: <HelpTooltip entry="action.process_unprocessed_cad_files" />,
  requeue_failed_lines: <HelpTooltip entry="action.requeue_failed_lines" />,
  recompute_media_search_columns: <HelpTooltip entry="action.recompute_media_search_columns" />,
};

export function AdminActionsPage() {
  const { t } = useTranslation("adminActions");
  const actions = useAdminActions();
  useAdminJobsLive();
  return (
    <>
      <PageHeader title={t("title")} />
      <p className="aa-intro">{t("intro")}</p>
      {actions.isPending ? (
        <Spinner label={t("loading")} />
      ) : actions.isError ? (
        <Alert>{errorMessage(actions.error)}</Alert>
      ) : (
        <div className="aa-grid">
          {actions.data.map((action) => (
            <ActionCard key={action.name} action={action} />
          ))}
        </div>
      )}
      <History />
    </>
  );
}

function useDuration() {
  const { t } = useTranslation("adminActions");
  const fmt = useFormat();
  return (seconds: number) => {
    const { value, unit } = roundDuration(seconds);
    return t(`duration.${unit}`, { value: fmt.number(value) });
  };
}

function EstimateText({ estimate }: { estimate: Estimate }) {
  const { t } = useTranslation("adminActions");
  const fmt = useFormat();
  const duration = useDuration();
  const items = t(`unit.${estimate.unit}`, { count: estimate.items, n: fmt.number(estimate.items) });
  if (estimate.items === 0) return <span>{t("estimate.nothing", { items })}</span>;
  const per = fmt.number(estimate.per_item_s, { maximumFractionDigits: estimate.per_item_s < 0.1 ? 3 : 1 });
  const key = estimate.basis === "measured" ? "estimate.measured" : estimate.basis === "past_jobs" ? "estimate.pastJobs" : "estimate.default";
  return <span>{t(key, { duration: duration(estimate.seconds), items, per })}</span>;
}

function ActionCard({ action }: { action: AdminAction }) {
  const { t } = useTranslation("adminActions");
  const [confirming, setConfirming] = useState(false);
  const job = action.running_job;
  return (
    <Card
      title={
        <span className="aa-title">
          {t(`actions.${action.name}.title`)} {HELP[action.name]}
        </span>
      }
      className="aa-card"
      aria-label={t(`actions.${action.name}.title`)}
    >
      <p className="aa-body">{t(`actions.${action.name}.summary`)}</p>
      <p className="aa-estimate" data-testid={`estimate-${action.name}`}>
        <EstimateText estimate={action.estimate} />
      </p>
      {job ? (
        <JobProgress job={job} />
      ) : (
        <Button onClick={() => setConfirming(true)}>{t("run")}</Button>
      )}
      {confirming && <ConfirmDialog action={action} onClose={() => setConfirming(false)} />}
    </Card>
  );
}

function JobProgress({ job }: { job: AdminJob }) {
  const { t } = useTranslation("adminActions");
  const fmt = useFormat();
  const cancel = useCancelJob();
  const cancelling = Boolean(job.progress?.cancel_requested);
  const label = t("progress", { done: fmt.number(job.done + job.failed), total: fmt.number(job.total) });
  return (
    <div className="aa-progress" role="status" aria-label={t("progressLabel")}>
      <ProgressBar value={percentDone(job)} label={label} />
      <p className="aa-progress-text">
        {job.state === "queued" ? t("state.queued") : label}
        {job.failed > 0 && <> · {t("failedItems", { count: job.failed })}</>}
        {cancelling && <> · {t("cancelling")}</>}
      </p>
      <Button
        variant="danger"
        size="sm"
        loading={cancel.isPending}
        disabled={cancelling}
        onClick={() =>
          cancel.mutate(job.id, {
            onError: (error) => toast({ title: t("failedToStart"), message: errorMessage(error), tone: "danger" }),
          })
        }
      >
        {t("cancel")}
      </Button>
    </div>
  );
}

function ConfirmDialog({ action, onClose }: { action: AdminAction; onClose: () => void }) {
  const { t } = useTranslation("adminActions");
  const fmt = useFormat();
  const duration = useDuration();
  const thumbnails = action.name === "regenerate_thumbnails";
  const [onlyFallback, setOnlyFallback] = useState(false);
  const [since, setSince] = useState("");
  const params: ThumbnailParams = thumbnails
    ? { only_fallback: onlyFallback, ...(since ? { created_since: new Date(since).toISOString() } : {}) }
    : { only_fallback: false };
  const preview = usePreview(action.name, params, true);
  const start = useStartAction();
  const estimate = preview.data;
  const run = () =>
    start.mutate(
      { name: action.name, params },
      {
        onSuccess: () => onClose(),
        onError: (error) => toast({ title: t("failedToStart"), message: errorMessage(error), tone: "danger" }),
      },
    );
  return (
    <Dialog
      open
      onClose={onClose}
      title={t(`actions.${action.name}.title`)}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common:cancel")}
          </Button>
          <Button onClick={run} loading={start.isPending} disabled={!estimate || estimate.items === 0}>
            {t("confirm")}
          </Button>
        </>
      }
    >
      {thumbnails && (
        <div className="aa-filters">
          <label className="aa-check">
            <input type="checkbox" checked={onlyFallback} onChange={(e) => setOnlyFallback(e.target.checked)} />{" "}
            {t("filters.onlyFallback")}
          </label>
          <Field label={t("filters.since")}>
            <Input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
          </Field>
        </div>
      )}
      {preview.isPending ? (
        <Spinner label={t("loading")} />
      ) : preview.isError ? (
        <Alert>{errorMessage(preview.error)}</Alert>
      ) : estimate ? (
        <p className="aa-touch" data-testid="confirm-touch">
          {t(`actions.${action.name}.touches`, { count: estimate.items, n: fmt.number(estimate.items) })}
          {estimate.items > 0 && <> {t("expected", { duration: duration(estimate.seconds) })}</>}
        </p>
      ) : null}
    </Dialog>
  );
}

/** Why a job ended as it did: a stalled job (its worker lost) in the UI's language, else the
 * server's words (the failed items' reasons). */
export function JobError({ job }: { job: Pick<AdminJob, "error" | "progress"> }) {
  const { t } = useTranslation("adminActions");
  const fmt = useFormat();
  const stalled = stalledMinutes(job);
  if (stalled !== null)
    return (
      <div className="aa-error" data-testid="job-stalled" title={job.error ?? undefined}>
        {t("stalled", { minutes: fmt.number(stalled) })}
      </div>
    );
  return job.error ? <div className="aa-error">{job.error}</div> : null;
}

const TONE: Record<AdminJob["state"], "neutral" | "info" | "progress" | "success" | "danger" | "muted"> = {
  queued: "neutral",
  running: "progress",
  succeeded: "success",
  failed: "danger",
  cancelled: "muted",
};

function History() {
  const { t } = useTranslation("adminActions");
  const fmt = useFormat();
  const jobs = useAdminJobs();
  const items = allItems(jobs.data);
  const { total } = totalOf(jobs.data);
  return (
    <Card title={t("history.title")} className="aa-history" aria-label={t("history.title")}>
      {jobs.isPending ? (
        <Spinner label={t("loading")} />
      ) : jobs.isError ? (
        <Alert>{errorMessage(jobs.error)}</Alert>
      ) : items.length === 0 ? (
        <p>{t("history.empty")}</p>
      ) : (
        <table className="aa-table">
          <caption className="sr-only">{t("history.title")}</caption>
          <thead>
            <tr>
              <th>{t("history.action")}</th>
              <th>{t("history.state")}</th>
              <th>{t("history.items")}</th>
              <th>{t("history.started")}</th>
              <th>{t("history.took")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <tr key={job.id}>
                <td>{t(`actions.${job.action}.title`)}</td>
                <td>
                  <Badge tone={TONE[job.state]}>{t(`state.${job.state}`)}</Badge>
                  <JobError job={job} />
                </td>
                <td>
                  {t("history.counts", { done: fmt.number(job.done), failed: fmt.number(job.failed), total: fmt.number(job.total) })}
                </td>
                <td>{fmt.dateTime(job.started_at ?? job.created_at)}</td>
                <td>
                  {job.started_at && job.finished_at
                    ? t("history.seconds", {
                        value: fmt.number((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000, { maximumFractionDigits: 1 }),
                      })
                    : "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore
        shown={items.length}
        total={total}
        hasNext={Boolean(jobs.hasNextPage)}
        loading={jobs.isFetchingNextPage}
        onMore={() => void jobs.fetchNextPage()}
      />
    </Card>
  );
}

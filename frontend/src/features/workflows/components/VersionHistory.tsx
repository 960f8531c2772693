/**
 * A workflow's versions, newest first; the one picked is drawn with what changed since an
 * earlier one (`GET /api/workflows/{id}/diff`): nodes and edges added, removed or changed, each
 * changed parameter before → after.
 */
import { useMemo, useState } from "react";
import { Alert, Select, Spinner, cx } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useDiff, useVersion, useVersions } from "../api/workflows";
import type { StepInfo } from "./connections";
import { diffPicture, diffSummary } from "./diff-view";
import type { VersionDiff } from "./diff-view";
import { configToGraph } from "./graph";
import { formatParam } from "./schema-form";
import { WorkflowCanvas } from "./WorkflowCanvas";
import { useTranslation } from "react-i18next";
import { useFormat } from "@/i18n/format";


function ChangeList({ diff, steps }: { diff: VersionDiff; steps: ReadonlyMap<string, StepInfo> }) {
  const { t } = useTranslation("workflows");
  const label = (node: Record<string, unknown>) => steps.get(String(node.step))?.label ?? String(node.step);
  return (
    <ul className="wf-changes" data-testid="diff-changes">
      {diff.nodes_added.map((node) => (
        <li key={`+${String(node.id)}`} className="wf-changes--added">
          {t("history.added")} <code>{String(node.id)}</code> ({label(node)})
        </li>
      ))}
      {diff.nodes_removed.map((node) => (
        <li key={`-${String(node.id)}`} className="wf-changes--removed">
          {t("history.removed")} <code>{String(node.id)}</code> ({label(node)})
        </li>
      ))}
      {diff.nodes_changed.flatMap((change) =>
        Object.entries({ ...(change.params ?? {}), ...(change.step ? { step: change.step } : {}) }).map(([key, value]) => (
          <li key={`~${change.id}.${key}`} className="wf-changes--changed">
            <code>{change.id}</code> {key}: <del>{formatParam(value.before)}</del> → <ins>{formatParam(value.after)}</ins>
          </li>
        )),
      )}
      {diff.edges_added.map((edge) => (
        <li key={`+${edge.from}>${edge.to}`} className="wf-changes--added">
          {t("history.addedEdge")} <code>{edge.from}</code> → <code>{edge.to}</code>
        </li>
      ))}
      {diff.edges_removed.map((edge) => (
        <li key={`-${edge.from}>${edge.to}`} className="wf-changes--removed">
          {t("history.removedEdge")} <code>{edge.from}</code> → <code>{edge.to}</code>
        </li>
      ))}
    </ul>
  );
}

function Comparison({ workflowId, from, to, steps }: { workflowId: string; from: number | null; to: number; steps: ReadonlyMap<string, StepInfo> }) {
  const { t } = useTranslation("workflows");
  const newer = useVersion(workflowId, to);
  const older = useVersion(workflowId, from);
  const diff = useDiff(workflowId, from, to);
  const picture = useMemo(() => {
    if (!newer.data) return null;
    if (from === null) return { graph: configToGraph(newer.data.config), marks: undefined };
    return older.data && diff.data ? diffPicture(older.data.config, newer.data.config, diff.data) : null;
  }, [from, newer.data, older.data, diff.data]);
  const error = newer.error ?? older.error ?? diff.error;
  if (error) return <Alert>{t("history.error", { error: errorMessage(error) })}</Alert>;
  if (!picture) {
    return (
      <div className="wf-loading">
        <Spinner /> {t("history.loadingVersion", { version: to })}
      </div>
    );
  }
  return (
    <>
      <p className="wf-diff__summary" data-testid="diff-summary">
        {from === null ? t("history.first", { version: to }) : t("history.fromTo", { from, to, summary: diff.data ? diffSummary(diff.data) : "" })}
      </p>
      <div className="wf-diff__canvas">
        <WorkflowCanvas key={`${from}-${to}`} graph={picture.graph} steps={steps} marks={picture.marks} label={t("history.canvas", { version: to })} />
      </div>
      {diff.data && from !== null && <ChangeList diff={diff.data} steps={steps} />}
    </>
  );
}

export function VersionHistory({ workflowId, steps }: { workflowId: string; steps: ReadonlyMap<string, StepInfo> }) {
  const { t } = useTranslation("workflows");
  const format = useFormat();
  const versions = useVersions(workflowId);
  const [picked, setPicked] = useState<number | null>(null);
  const [base, setBase] = useState<number | null>(null);
  if (versions.isError) return <Alert>{t("history.error", { error: errorMessage(versions.error) })}</Alert>;
  if (!versions.data) {
    return (
      <div className="wf-loading">
        <Spinner /> {t("history.loading")}
      </div>
    );
  }
  const items = versions.data.items;
  const to = picked ?? items[0]?.version ?? 1;
  const earlier = items.filter((v) => v.version < to);
  const from = base !== null && base < to ? base : (earlier[0]?.version ?? null);
  return (
    <div className="wf-history">
      <ol className="wf-history__list" aria-label={t("history.versions")}>
        {items.map((version) => (
          <li key={version.version}>
            <button
              type="button"
              className={cx("wf-history__item", version.version === to && "wf-history__item--current")}
              aria-current={version.version === to || undefined}
              onClick={() => {
                setPicked(version.version);
                setBase(null);
              }}
            >
              <span className="wf-history__version">{t("history.version", { version: version.version })}</span>
              <span className="wf-history__note">{version.note || t("history.noNote")}</span>
              <span className="wf-history__date">{format.dateTime(version.created_at)}</span>
            </button>
          </li>
        ))}
      </ol>
      <div className="wf-diff">
        {earlier.length > 0 && (
          <label className="wf-diff__base">
            {t("history.compare")}{" "}
            <Select value={from ?? ""} onChange={(event) => setBase(Number(event.target.value))} aria-label={t("history.compareLabel")}>
              {earlier.map((v) => (
                <option key={v.version} value={v.version}>
                  {t("history.option", { version: v.version })}
                </option>
              ))}
            </Select>
          </label>
        )}
        <Comparison workflowId={workflowId} from={from} to={to} steps={steps} />
      </div>
    </div>
  );
}

import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { Alert, Badge, Button, Dialog, DisabledAction, PageHeader, PageSpinner, cx } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCan, useTenantView } from "@/lib/session";
import { useOutputTypes } from "../api/output-types";
import { useDeleteWorkflow, useSteps, useWorkflow } from "../api/workflows";
import type { WorkflowDetail } from "../api/workflows";
import { subjectLabel } from "./connections";
import { CopyDialog } from "./CopyDialog";
import { DryRunPanel } from "./DryRunPanel";
import { usedBy } from "./output-type-workflows";
import { VersionHistory } from "./VersionHistory";
import { WorkflowEditor } from "./WorkflowEditor";
import "./workflows.css";
import { useTranslation } from "react-i18next";

const route = getRouteApi("/_app/workflows/$workflowId");

type Tab = "editor" | "history" | "dry-run";

/** "Used by output types: A, B" for an order line workflow (the output types page changes it). */
function UsedBy({ workflow }: { workflow: WorkflowDetail }) {
  const { t } = useTranslation("workflows");
  const canWrite = useCan("manage_settings");
  const types = useOutputTypes(workflow.subject === "order_line").data ?? [];
  if (workflow.subject !== "order_line") return null;
  const users = usedBy(workflow, types);
  return (
    <span className="wf-muted" data-testid="used-by">
      {users.length === 0 ? t("page.usedByNone") : t("page.usedBy", { names: users.map((type) => type.name).join(", ") })}
      {canWrite && (
        <>
          {" · "}
          <Link to="/output-types">{t("page.outputTypes")}</Link>
        </>
      )}
    </span>
  );
}

function DeleteDialog({ workflow, open, onClose }: { workflow: WorkflowDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation("workflows");
  const navigate = useNavigate();
  const remove = useDeleteWorkflow();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t("delete.title", { name: workflow.name })}
      footer={
        <>
          <Button onClick={onClose}>{t("common:cancel")}</Button>
          <Button
            variant="danger"
            loading={remove.isPending}
            onClick={() => remove.mutate(workflow.id, { onSuccess: () => void navigate({ to: "/workflows" }) })}
          >
            {t("delete.submit")}
          </Button>
        </>
      }
    >
      <p>{t("delete.body", { count: workflow.latest_version })}</p>
      {remove.error && <Alert>{errorMessage(remove.error)}</Alert>}
    </Dialog>
  );
}

/** One workflow: the editor (read-only for built-ins and project managers) and its version history. */
export function WorkflowEditorPage() {
  const { t } = useTranslation("workflows");
  const { workflowId } = route.useParams();
  const workflow = useWorkflow(workflowId);
  const steps = useSteps();
  const canWrite = useCan("manage_settings");
  const { overview } = useTenantView();
  const [tab, setTab] = useState<Tab>("editor");
  const [copying, setCopying] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const stepMap = useMemo(() => new Map((steps.data ?? []).map((s) => [s.name, s])), [steps.data]);

  const error = workflow.error ?? steps.error;
  if (error) {
    return (
      <>
        <PageHeader title={t("page.title")} />
        <Alert>{t("page.error", { error: errorMessage(error) })}</Alert>
        <p>
          <Link to="/workflows">{t("page.back")}</Link>
        </p>
      </>
    );
  }
  if (!workflow.data || !steps.data) return <PageSpinner />;
  const w = workflow.data;
  const editable = canWrite && !w.builtin;

  return (
    <>
      <PageHeader
        title={w.name}
        description={
          <span className="wf-badges">
            {w.builtin && <Badge tone="info">{t("list.builtin")}</Badge>}
            <Badge>{t("page.runsOn", { subject: subjectLabel(w.subject) })}</Badge>
            <Badge data-testid="latest-version">{t("page.version", { version: w.latest_version })}</Badge>
            {w.description && <span className="wf-muted">{w.description}</span>}
            {!overview && <UsedBy workflow={w} />}
          </span>
        }
        actions={
          <>
            <Link to="/workflows" className="ui-button ui-button--ghost">
              {t("page.all")}
            </Link>
            {canWrite &&
              w.builtin &&
              (overview ? (
                <DisabledAction reason={t("page.pickTenantCopy")}>{t("page.copyToChange")}</DisabledAction>
              ) : (
                <Button variant="primary" onClick={() => setCopying(true)}>
                  {t("page.copyToChange")}
                </Button>
              ))}
            {editable && (
              <Button variant="danger" onClick={() => setDeleting(true)}>
                {t("page.delete")}
              </Button>
            )}
          </>
        }
      />
      {!editable && (
        <Alert tone="info">
          {w.builtin
            ? t("page.builtinReadOnly")
            : t("page.readOnly")}
        </Alert>
      )}
      <div className="wf-tabs" role="tablist" aria-label={t("page.tabs")}>
        {(["editor", "history", "dry-run"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={cx("wf-tabs__tab", tab === name && "wf-tabs__tab--current")}
            onClick={() => setTab(name)}
          >
            {name === "editor" ? (editable ? t("page.tabEditor") : t("page.tabWorkflow")) : name === "history" ? t("page.tabHistory", { count: w.latest_version }) : t("page.tabDryRun")}
          </button>
        ))}
      </div>
      {/* The editor stays mounted on the history tab: unsaved edits survive a look at the history. */}
      <div hidden={tab !== "editor"}>
        <WorkflowEditor key={w.id} workflow={w} steps={steps.data} editable={editable} active={tab === "editor"} />
      </div>
      {tab === "history" && <VersionHistory workflowId={w.id} steps={stepMap} />}
      {tab === "dry-run" && <DryRunPanel workflow={w} />}
      {copying && <CopyDialog source={w} onClose={() => setCopying(false)} />}
      {editable && <DeleteDialog workflow={w} open={deleting} onClose={() => setDeleting(false)} />}
    </>
  );
}

import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { Alert, Badge, Button, Dialog, DisabledAction, PageHeader, PageSpinner, cx } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCan, useTenantView } from "@/lib/session";
import { useOutputTypes } from "../api/output-types";
import { useDeleteWorkflow, useSteps, useWorkflow } from "../api/workflows";
import type { WorkflowDetail } from "../api/workflows";
import { SUBJECT_LABELS } from "./connections";
import { CopyDialog } from "./CopyDialog";
import { DryRunPanel } from "./DryRunPanel";
import { usedBy } from "./output-type-workflows";
import { VersionHistory } from "./VersionHistory";
import { WorkflowEditor } from "./WorkflowEditor";
import "./workflows.css";

const route = getRouteApi("/_app/workflows/$workflowId");

type Tab = "editor" | "history" | "dry-run";

/** "Used by output types: A, B" for an order line workflow (the output types page changes it). */
function UsedBy({ workflow }: { workflow: WorkflowDetail }) {
  const canWrite = useCan("manage_settings");
  const types = useOutputTypes(workflow.subject === "order_line").data ?? [];
  if (workflow.subject !== "order_line") return null;
  const users = usedBy(workflow, types);
  return (
    <span className="wf-muted" data-testid="used-by">
      {users.length === 0 ? "Used by no output type" : `Used by output types: ${users.map((t) => t.name).join(", ")}`}
      {canWrite && (
        <>
          {" · "}
          <Link to="/output-types">Output types</Link>
        </>
      )}
    </span>
  );
}

function DeleteDialog({ workflow, open, onClose }: { workflow: WorkflowDetail; open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const remove = useDeleteWorkflow();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Delete “${workflow.name}”?`}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="danger"
            loading={remove.isPending}
            onClick={() => remove.mutate(workflow.id, { onSuccess: () => void navigate({ to: "/workflows" }) })}
          >
            Delete workflow
          </Button>
        </>
      }
    >
      <p>The workflow and all its {workflow.latest_version} versions are deleted.</p>
      {remove.error && <Alert>{errorMessage(remove.error)}</Alert>}
    </Dialog>
  );
}

/** One workflow: the editor (read-only for built-ins and project managers) and its version history. */
export function WorkflowEditorPage() {
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
        <PageHeader title="Workflow" />
        <Alert>The workflow could not be loaded: {errorMessage(error)}</Alert>
        <p>
          <Link to="/workflows">Back to the workflows</Link>
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
            {w.builtin && <Badge tone="info">Built-in</Badge>}
            <Badge>Runs on: {SUBJECT_LABELS[w.subject]}</Badge>
            <Badge data-testid="latest-version">Version {w.latest_version}</Badge>
            {w.description && <span className="wf-muted">{w.description}</span>}
            {!overview && <UsedBy workflow={w} />}
          </span>
        }
        actions={
          <>
            <Link to="/workflows" className="ui-button ui-button--ghost">
              All workflows
            </Link>
            {canWrite &&
              w.builtin &&
              (overview ? (
                <DisabledAction reason="Pick a tenant to copy it">Copy to change it</DisabledAction>
              ) : (
                <Button variant="primary" onClick={() => setCopying(true)}>
                  Copy to change it
                </Button>
              ))}
            {editable && (
              <Button variant="danger" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )}
          </>
        }
      />
      {!editable && (
        <Alert tone="info">
          {w.builtin
            ? "A built-in workflow is read-only. Copy it into your tenant to change it."
            : "You can look at workflows; tenant admins change them."}
        </Alert>
      )}
      <div className="wf-tabs" role="tablist" aria-label="Workflow">
        {(["editor", "history", "dry-run"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={cx("wf-tabs__tab", tab === name && "wf-tabs__tab--current")}
            onClick={() => setTab(name)}
          >
            {name === "editor" ? (editable ? "Editor" : "Workflow") : name === "history" ? `History (${w.latest_version})` : "Dry run"}
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

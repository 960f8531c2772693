import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Alert, Badge, Button, DataTable, DisabledAction, EmptyState, PageHeader, Spinner } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCan, useTenantView } from "@/lib/session";
import { useWorkflows } from "../api/workflows";
import type { Workflow } from "../api/workflows";
import { SUBJECT_LABELS } from "./connections";
import { CopyDialog } from "./CopyDialog";
import { NewWorkflowDialog } from "./NewWorkflowDialog";
import "./workflows.css";

/** The built-in workflows and the tenant's own. Project managers read; tenant admins copy, create and edit. */
export function WorkflowsPage() {
  const navigate = useNavigate();
  const canWrite = useCan("manage_settings");
  const { overview, tenantName } = useTenantView();
  const workflows = useWorkflows();
  const [copying, setCopying] = useState<Workflow | null>(null);
  const [creating, setCreating] = useState(false);
  const rows = workflows.data?.pages.flatMap((page) => page.items) ?? [];
  const names = new Map(rows.map((w) => [w.id, w.name]));

  const columns: Array<Column<Workflow>> = [
    {
      key: "name",
      header: "Name",
      fullText: (w) => w.name,
      render: (w) => (
        <Link to="/workflows/$workflowId" params={{ workflowId: w.id }} onClick={(event) => event.stopPropagation()}>
          {w.name}
        </Link>
      ),
    },
    { key: "subject", header: "Runs on", width: "14%", render: (w) => SUBJECT_LABELS[w.subject] },
    {
      key: "origin",
      header: "Kind",
      width: "22%",
      render: (w) =>
        w.builtin ? (
          <Badge tone="info">Built-in</Badge>
        ) : (
          <span className="wf-muted">
            {overview && w.tenant_id ? `${tenantName(w.tenant_id)} · ` : ""}
            {w.copied_from ? `Copy of ${names.get(w.copied_from) ?? "another workflow"}` : "Own"}
          </span>
        ),
    },
    { key: "version", header: "Version", width: "9%", align: "right", render: (w) => w.latest_version },
    {
      key: "actions",
      header: "",
      label: "",
      width: "12%",
      align: "right",
      render: (w) =>
        w.builtin && canWrite && !overview ? (
          <Button
            size="sm"
            onClick={(event) => {
              event.stopPropagation();
              setCopying(w);
            }}
            aria-label={`Copy ${w.name}`}
          >
            Copy
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title="Workflows"
        description={
          canWrite
            ? "The steps each upload and order line runs. Built-ins are read-only: copy one to change it."
            : "The steps each upload and order line runs. Tenant admins change them."
        }
        actions={
          canWrite &&
          (overview ? (
            <DisabledAction reason="Pick a tenant to create a workflow">New workflow</DisabledAction>
          ) : (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New workflow
            </Button>
          ))
        }
      />
      {workflows.isError ? (
        <Alert>The workflows could not be loaded: {errorMessage(workflows.error)}</Alert>
      ) : workflows.isLoading ? (
        <div className="wf-loading">
          <Spinner /> Loading workflows…
        </div>
      ) : (
        <DataTable
          caption="Workflows"
          columns={columns}
          rows={rows}
          rowKey={(w) => w.id}
          onRowClick={(w) => void navigate({ to: "/workflows/$workflowId", params: { workflowId: w.id } })}
          empty={<EmptyState title="No workflows">There are no workflows yet.</EmptyState>}
        />
      )}
      {workflows.hasNextPage && (
        <div className="wf-more">
          <Button onClick={() => void workflows.fetchNextPage()} loading={workflows.isFetchingNextPage}>
            Show more
          </Button>
        </div>
      )}
      <CopyDialog source={copying} onClose={() => setCopying(null)} />
      <NewWorkflowDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

/**
 * /output-types (tenant admins and above): the tenant's output types with the workflow their
 * lines run. The select offers the built-in of the type's kind and the tenant's order line
 * workflows; saving PATCHes `workflow_id`, and the server's refusal (a workflow with more than one
 * render, one of another subject) is shown on the row.
 */
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { Alert, Badge, Button, DataTable, EmptyState, PageHeader, Select, Spinner } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useTenantView } from "@/lib/session";
import { useOutputTypes, useSetOutputTypeWorkflow } from "../api/output-types";
import type { OutputType } from "../api/output-types";
import { useWorkflows } from "../api/workflows";
import type { Workflow } from "../api/workflows";
import { workflowChoices, workflowOf } from "./output-type-workflows";
import "./workflows.css";

/** Every workflow of the tenant (the list comes 200 a page; the rest are fetched on). */
export function useAllWorkflows(enabled = true): { workflows: Workflow[]; isPending: boolean; error: unknown } {
  const query = useWorkflows();
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (enabled && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [enabled, hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { workflows: query.data?.pages.flatMap((page) => page.items) ?? [], isPending: query.isPending, error: query.error };
}

function WorkflowCell({ type, workflows }: { type: OutputType; workflows: Workflow[] }) {
  const stored = type.workflow_id ?? "";
  const [value, setValue] = useState(stored);
  const save = useSetOutputTypeWorkflow();
  const [saved, setSaved] = useState(false);
  const running = workflowOf({ kind: type.kind, workflow_id: value || null }, workflows);
  const changed = value !== stored;

  return (
    <div className="ot-workflow">
      <div className="ot-workflow__row">
        <Select
          aria-label={`Workflow of ${type.name}`}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setSaved(false);
            save.reset();
          }}
        >
          {workflowChoices(type, workflows).map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </Select>
        <Button
          size="sm"
          variant={changed ? "primary" : "secondary"}
          disabled={!changed}
          loading={save.isPending}
          onClick={() =>
            save.mutate({ outputTypeId: type.id, workflowId: value || null }, { onSuccess: () => setSaved(true) })
          }
          aria-label={`Save the workflow of ${type.name}`}
        >
          Save
        </Button>
        {running && (
          <Link to="/workflows/$workflowId" params={{ workflowId: running.id }} className="ot-workflow__open">
            Open
          </Link>
        )}
      </div>
      {save.error ? (
        <div className="ot-workflow__error" role="alert">
          {errorMessage(save.error)}
        </div>
      ) : saved && !changed ? (
        <div className="ot-workflow__saved" role="status">
          Saved: new lines run {running?.name ?? "it"}.
        </div>
      ) : null}
    </div>
  );
}

/** What another feature may add (composed in src/app: the catalog's output type editor). */
export interface OutputTypeSlots {
  /** Beside the title, e.g. "New output type"; gets the tenant's workflows. */
  headerActions?: (workflows: Workflow[]) => ReactNode;
  /** A last column per row, e.g. "Edit" and "Deactivate". */
  rowActions?: (type: OutputType, workflows: Workflow[]) => ReactNode;
}

export function OutputTypesPage({ headerActions, rowActions }: OutputTypeSlots = {}) {
  const { overview } = useTenantView();
  const types = useOutputTypes(!overview);
  const { workflows, isPending, error } = useAllWorkflows(!overview);

  const columns: Array<Column<OutputType>> = [
    {
      key: "name",
      header: "Name",
      render: (t) => (
        <>
          {t.name} {!t.is_active && <Badge tone="muted">Inactive</Badge>}
        </>
      ),
    },
    { key: "kind", header: "Kind", width: "12%", render: (t) => <Badge>{t.kind}</Badge> },
    { key: "price", header: "Price", width: "10%", align: "right", render: (t) => t.price },
    {
      key: "workflow",
      header: "Workflow",
      width: "48%",
      render: (t) => <WorkflowCell type={t} workflows={workflows} />,
    },
  ];
  if (rowActions) {
    columns.push({ key: "actions", header: <span className="sr-only">Actions</span>, width: "210px", render: (t) => rowActions(t, workflows) });
  }

  return (
    <>
      <PageHeader
        title="Output types"
        description="What the tenant's orders can ask for, and the workflow each one's lines run. Copy a built-in workflow on the Workflows page to change what a line does."
        actions={overview || !headerActions ? undefined : headerActions(workflows)}
      />
      {overview ? (
        <EmptyState title="Pick a tenant">Output types belong to a tenant: pick one to see and change its output types.</EmptyState>
      ) : types.isError || error ? (
        <Alert>The output types could not be loaded: {errorMessage(types.error ?? error)}</Alert>
      ) : types.isPending || isPending ? (
        <div className="wf-loading">
          <Spinner /> Loading output types…
        </div>
      ) : (
        <DataTable
          caption="Output types"
          columns={columns}
          rows={types.data}
          rowKey={(t) => t.id}
          rowAttributes={(t) => ({ "data-testid": "output-type", "data-name": t.name })}
          empty={<EmptyState title="No output types">The tenant has no output types yet.</EmptyState>}
        />
      )}
    </>
  );
}

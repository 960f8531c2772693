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
import { useTranslation } from "react-i18next";

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
  const { t } = useTranslation("workflows");
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
          aria-label={t("outputTypes.workflowOf", { name: type.name })}
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
          aria-label={t("outputTypes.saveLabel", { name: type.name })}
        >
          {t("outputTypes.save")}
        </Button>
        {running && (
          <Link to="/workflows/$workflowId" params={{ workflowId: running.id }} className="ot-workflow__open">
            {t("outputTypes.open")}
          </Link>
        )}
      </div>
      {save.error ? (
        <div className="ot-workflow__error" role="alert">
          {errorMessage(save.error)}
        </div>
      ) : saved && !changed ? (
        <div className="ot-workflow__saved" role="status">
          {t("outputTypes.saved", { name: running?.name ?? t("outputTypes.it") })}
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
  const { t } = useTranslation("workflows");
  const { overview } = useTenantView();
  const types = useOutputTypes(!overview);
  const { workflows, isPending, error } = useAllWorkflows(!overview);

  const columns: Array<Column<OutputType>> = [
    {
      key: "name",
      header: t("outputTypes.name"),
      render: (type) => (
        <>
          {type.name} {!type.is_active && <Badge tone="muted">{t("outputTypes.inactive")}</Badge>}
        </>
      ),
    },
    { key: "kind", header: t("outputTypes.kind"), width: "12%", render: (type) => <Badge>{type.kind}</Badge> },
    { key: "price", header: t("outputTypes.price"), width: "10%", align: "right", render: (type) => type.price },
    {
      key: "workflow",
      header: t("outputTypes.workflow"),
      width: "48%",
      render: (type) => <WorkflowCell type={type} workflows={workflows} />,
    },
  ];
  if (rowActions) {
    columns.push({ key: "actions", header: <span className="sr-only">{t("outputTypes.actions")}</span>, width: "210px", render: (type) => rowActions(type, workflows) });
  }

  return (
    <>
      <PageHeader
        title={t("outputTypes.title")}
        description={t("outputTypes.description")}
        actions={overview || !headerActions ? undefined : headerActions(workflows)}
      />
      {overview ? (
        <EmptyState title={t("outputTypes.pickTenant")}>{t("outputTypes.pickTenantBody")}</EmptyState>
      ) : types.isError || error ? (
        <Alert>{t("outputTypes.error", { error: errorMessage(types.error ?? error) })}</Alert>
      ) : types.isPending || isPending ? (
        <div className="wf-loading">
          <Spinner /> {t("outputTypes.loading")}
        </div>
      ) : (
        <DataTable
          caption={t("outputTypes.caption")}
          columns={columns}
          rows={types.data}
          rowKey={(type) => type.id}
          rowAttributes={(type) => ({ "data-testid": "output-type", "data-name": type.name })}
          empty={<EmptyState title={t("outputTypes.empty")}>{t("outputTypes.emptyBody")}</EmptyState>}
        />
      )}
    </>
  );
}

import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Alert, Badge, Button, DataTable, DisabledAction, EmptyState, PageHeader, Spinner } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCan, useTenantView } from "@/lib/session";
import { useWorkflows } from "../api/workflows";
import type { Workflow } from "../api/workflows";
import { subjectLabel } from "./connections";
import { CopyDialog } from "./CopyDialog";
import { NewWorkflowDialog } from "./NewWorkflowDialog";
import "./workflows.css";
import { useTranslation } from "react-i18next";

/** The built-in workflows and the tenant's own. Project managers read; tenant admins copy, create and edit. */
export function WorkflowsPage() {
  const { t } = useTranslation("workflows");
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
      header: t("list.name"),
      fullText: (w) => w.name,
      render: (w) => (
        <Link to="/workflows/$workflowId" params={{ workflowId: w.id }} onClick={(event) => event.stopPropagation()}>
          {w.name}
        </Link>
      ),
    },
    { key: "subject", header: t("list.runsOn"), width: "14%", render: (w) => subjectLabel(w.subject) },
    {
      key: "origin",
      header: t("list.kind"),
      width: "22%",
      render: (w) =>
        w.builtin ? (
          <Badge tone="info">{t("list.builtin")}</Badge>
        ) : (
          <span className="wf-muted">
            {overview && w.tenant_id ? `${tenantName(w.tenant_id)} · ` : ""}
            {w.copied_from ? t("list.copyOf", { name: names.get(w.copied_from) ?? t("list.anotherWorkflow") }) : t("list.own")}
          </span>
        ),
    },
    { key: "version", header: t("list.version"), width: "9%", align: "right", render: (w) => w.latest_version },
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
            aria-label={t("list.copyLabel", { name: w.name })}
          >
            {t("list.copy")}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={
          canWrite
            ? t("list.descriptionWrite")
            : t("list.descriptionRead")
        }
        actions={
          canWrite &&
          (overview ? (
            <DisabledAction reason={t("list.pickTenant")}>{t("list.new")}</DisabledAction>
          ) : (
            <Button variant="primary" onClick={() => setCreating(true)}>
              {t("list.new")}
            </Button>
          ))
        }
      />
      {workflows.isError ? (
        <Alert>{t("list.error", { error: errorMessage(workflows.error) })}</Alert>
      ) : workflows.isLoading ? (
        <div className="wf-loading">
          <Spinner /> {t("list.loading")}
        </div>
      ) : (
        <DataTable
          caption={t("list.caption")}
          columns={columns}
          rows={rows}
          rowKey={(w) => w.id}
          onRowClick={(w) => void navigate({ to: "/workflows/$workflowId", params: { workflowId: w.id } })}
          empty={<EmptyState title={t("list.empty")}>{t("list.emptyBody")}</EmptyState>}
        />
      )}
      {workflows.hasNextPage && (
        <div className="wf-more">
          <Button onClick={() => void workflows.fetchNextPage()} loading={workflows.isFetchingNextPage}>
            {t("list.showMore")}
          </Button>
        </div>
      )}
      <CopyDialog source={copying} onClose={() => setCopying(null)} />
      <NewWorkflowDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "@tanstack/react-router";
import { Alert, Button, DataTable, Dialog, EmptyState, Field, Input, LoadMore, PageHeader, Select, StatusPill } from "@/components/ui";
import type { Column } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { useFormat } from "@/i18n/format";
import { allItems, totalOf } from "@/lib/paging";
import { useCan } from "@/lib/session";
import { INVOICE_STATUSES, apiErrorText, useBillingMode, useCompletedOrders, useDraftInvoice, useInvoicePages } from "../api/billing";
import type { InvoiceStatus, InvoiceSummary } from "../api/billing";
import { formatMoney } from "./money";
import { PriceList } from "./PriceList";
import "./billing.css";

/** /admin/invoices: the tenant's invoices and credit notes, and (a tab) its price list. */
export function InvoicesPage() {
  const { t } = useTranslation("billing");
  const [tab, setTab] = useState<"invoices" | "prices">("invoices");
  const canManage = useCan("manage_invoices");
  return (
    <div className="page">
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        actions={canManage && tab === "invoices" ? <DraftInvoiceButton /> : undefined}
      />
      <div role="tablist" className="billing-tabs">
        {(["invoices", "prices"] as const).map((name) => (
          <Button key={name} role="tab" aria-selected={tab === name} variant={tab === name ? "primary" : "ghost"} size="sm" onClick={() => setTab(name)}>
            {t(`tabs.${name}`)}
          </Button>
        ))}
      </div>
      {tab === "invoices" ? <InvoiceList /> : <PriceList canManage={canManage} />}
    </div>
  );
}

function InvoiceList() {
  const { t } = useTranslation("billing");
  const fmt = useFormat();
  const navigate = useNavigate();
  const [status, setStatus] = useState<InvoiceStatus | "">("");
  const pages = useInvoicePages(status);
  const rows = allItems(pages.data);
  const { total, estimate } = totalOf(pages.data);

  const subject = (row: InvoiceSummary) =>
    row.period_start && row.period_end
      ? `${fmt.date(row.period_start)} – ${fmt.date(row.period_end)}`
      : row.order_id
        ? t("orderSubject")
        : "";
  const columns: Array<Column<InvoiceSummary>> = [
    { key: "number", header: t("col.number"), render: (row) => row.number ?? <span className="muted">{t("noNumber")}</span> },
    { key: "kind", header: t("col.kind"), render: (row) => t(`kind.${row.kind}`) },
    { key: "status", header: t("col.status"), render: (row) => <StatusPill status={row.status} label={t(`status.${row.status}`)} /> },
    { key: "subject", header: t("col.subject"), render: subject },
    { key: "total", header: t("col.total"), align: "right", render: (row) => formatMoney(row.gross_total, row.currency, fmt.language) },
    { key: "issued", header: t("col.issued"), render: (row) => (row.issued_at ? fmt.date(row.issued_at) : "") },
  ];

  return (
    <>
      <div className="billing-filter">
        <Field label={t("filter.status")}>
          <Select value={status} onChange={(event) => setStatus(event.target.value as InvoiceStatus | "")} data-testid="status-filter">
            <option value="">{t("filter.all")}</option>
            {INVOICE_STATUSES.map((name) => (
              <option key={name} value={name}>
                {t(`status.${name}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {pages.error ? (
        <Alert tone="danger">{apiErrorText(pages.error, t)}</Alert>
      ) : (
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={(row) => row.id}
          onRowClick={(row) => void navigate({ to: "/admin/invoices/$invoiceId", params: { invoiceId: row.id } })}
          rowAttributes={(row) => ({ "data-invoice": row.number ?? row.id })}
          empty={pages.isPending ? undefined : <EmptyState title={t("empty")} />}
        />
      )}
      <LoadMore shown={rows.length} total={total} estimate={estimate} hasNext={!!pages.hasNextPage} loading={pages.isFetchingNextPage} onMore={() => void pages.fetchNextPage()} />
    </>
  );
}

function lastMonth(): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return date.toISOString().slice(0, 7);
}

function DraftInvoiceButton() {
  const { t } = useTranslation("billing");
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const mode = useBillingMode(open);
  const orders = useCompletedOrders(open && mode.data === "per_order");
  const draft = useDraftInvoice();
  const [month, setMonth] = useState(lastMonth);
  const [orderId, setOrderId] = useState("");
  const perOrder = mode.data === "per_order";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    draft.mutate(perOrder ? { order_id: orderId } : { month }, {
      onSuccess: (invoice) => {
        setOpen(false);
        if (invoice) void navigate({ to: "/admin/invoices/$invoiceId", params: { invoiceId: invoice.id } });
      },
    });
  };

  return (
    <>
      <span className="billing-action">
        <Button variant="primary" onClick={() => { draft.reset(); setOpen(true); }}>
          {t("draft.button")}
        </Button>
        <HelpTooltip entry="action.draft_invoice" />
      </span>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={t("draft.title")}
        footer={
          <>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              {t("confirm.cancel")}
            </Button>
            <Button variant="primary" type="submit" form="draft-invoice" loading={draft.isPending} disabled={mode.isPending || (perOrder && !orderId)}>
              {t("draft.submit")}
            </Button>
          </>
        }
      >
        <form id="draft-invoice" onSubmit={submit} className="billing-form">
          {mode.data && <p className="muted">{t(perOrder ? "draft.modePerOrder" : "draft.modeMonthly")}</p>}
          {perOrder ? (
            orders.data && orders.data.length === 0 ? (
              <p>{t("draft.noOrders")}</p>
            ) : (
              <Field label={t("draft.order")}>
                <Select value={orderId} onChange={(event) => setOrderId(event.target.value)} data-testid="draft-order">
                  <option value="">{t("draft.pickOrder")}</option>
                  {(orders.data ?? []).map((order) => (
                    <option key={order.id} value={order.id}>
                      {order.number} · {order.title}
                    </option>
                  ))}
                </Select>
              </Field>
            )
          ) : (
            <Field label={t("draft.month")}>
              <Input type="month" value={month} onChange={(event) => setMonth(event.target.value)} required data-testid="draft-month" />
            </Field>
          )}
          {draft.error && <Alert tone="danger">{apiErrorText(draft.error, t)}</Alert>}
        </form>
      </Dialog>
    </>
  );
}

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import { Alert, Button, Card, DataTable, Dialog, PageHeader, PageSpinner, StatusPill, toast } from "@/components/ui";
import type { Column } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { useFormat } from "@/i18n/format";
import { useCan } from "@/lib/session";
import { apiErrorText, downloadInvoice, useDeleteDraft, useInvoice, useInvoiceAction } from "../api/billing";
import type { Invoice, InvoiceAction } from "../api/billing";
import { formatMoney } from "./money";
import "./billing.css";

const route = getRouteApi("/_app/admin/invoices/$invoiceId");

type Line = Invoice["lines"][number];
type Action = InvoiceAction | "delete";

/** What can be done with an invoice in its status (the API checks the same). */
function actionsOf(invoice: Invoice): Action[] {
  if (invoice.status === "draft") return ["issue", "delete"];
  if (invoice.kind !== "invoice" || invoice.credited_by) return [];
  if (invoice.status === "issued") return ["pay", "void", "credit"];
  if (invoice.status === "paid") return ["credit"];
  return [];
}

const HELP: Record<Action, string> = {
  issue: "action.issue_invoice",
  pay: "action.pay_invoice",
  void: "action.void_invoice",
  credit: "action.credit_invoice",
  delete: "action.delete_invoice",
};

/** /admin/invoices/$invoiceId: one invoice or credit note, its lines and totals, its actions. */
export function InvoiceDetailPage() {
  const { t } = useTranslation("billing");
  const { invoiceId } = route.useParams();
  const invoice = useInvoice(invoiceId);
  if (invoice.error) return <Alert>{apiErrorText(invoice.error, t)}</Alert>;
  if (!invoice.data) return <PageSpinner />;
  return <InvoiceView invoice={invoice.data} />;
}

function InvoiceView({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation("billing");
  const fmt = useFormat();
  const canManage = useCan("manage_invoices");
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const money = (value: number | string) => formatMoney(value, invoice.currency, fmt.language);
  const title = `${t(`kind.${invoice.kind}`)} ${invoice.number ?? t("noNumber")}`;

  const columns: Array<Column<Line>> = [
    { key: "product", header: t("line.product"), render: (line) => `${line.product_name}${line.pim_id ? ` (${line.pim_id})` : ""}` },
    { key: "type", header: t("line.outputType"), render: (line) => line.output_type_name },
    { key: "unit", header: t("line.unitPrice"), align: "right", render: (line) => money(line.unit_price) },
    { key: "qty", header: t("line.quantity"), align: "right", render: (line) => fmt.number(line.quantity) },
    { key: "amount", header: t("line.amount"), align: "right", render: (line) => money(line.amount) },
  ];
  const download = (format: "pdf" | "csv") => {
    setDownloadError(null);
    downloadInvoice(invoice.id, format).catch(setDownloadError);
  };
  const customer = [invoice.customer.name, invoice.customer.address].filter(Boolean).join("\n");

  return (
    <div className="page billing-detail">
      <p>
        <Link to="/admin/invoices">← {t("detail.back")}</Link>
      </p>
      <PageHeader
        title={title}
        actions={
          <>
            <Button onClick={() => download("pdf")}>{t("detail.downloadPdf")}</Button>
            <Button onClick={() => download("csv")}>{t("detail.downloadCsv")}</Button>
          </>
        }
      />
      {downloadError != null && <Alert>{apiErrorText(downloadError, t)}</Alert>}
      <Card>
        <dl className="billing-facts">
          <dt>{t("col.status")}</dt>
          <dd>
            <StatusPill status={invoice.status} label={t(`status.${invoice.status}`)} />
          </dd>
          <dt>{t("detail.number")}</dt>
          <dd data-testid="invoice-number">{invoice.number ?? t("noNumber")}</dd>
          <dt>{t("detail.customer")}</dt>
          <dd className="billing-address">{customer}</dd>
          {invoice.period_start && invoice.period_end && (
            <>
              <dt>{t("detail.period")}</dt>
              <dd>
                {fmt.date(invoice.period_start)} – {fmt.date(invoice.period_end)}
              </dd>
            </>
          )}
          {invoice.order_id && (
            <>
              <dt>{t("detail.order")}</dt>
              <dd>
                <Link to="/orders/$orderId" params={{ orderId: invoice.order_id }}>
                  {invoice.lines[0]?.order_number ?? t("detail.order")}
                </Link>
              </dd>
            </>
          )}
          <dt>{t("detail.created")}</dt>
          <dd>{fmt.dateTime(invoice.created_at)}</dd>
          {invoice.issued_at && (
            <>
              <dt>{t("detail.issued")}</dt>
              <dd>{fmt.dateTime(invoice.issued_at)}</dd>
            </>
          )}
          {invoice.paid_at && (
            <>
              <dt>{t("detail.paid")}</dt>
              <dd>{fmt.dateTime(invoice.paid_at)}</dd>
            </>
          )}
          {invoice.voided_at && (
            <>
              <dt>{t("detail.voided")}</dt>
              <dd>{fmt.dateTime(invoice.voided_at)}</dd>
            </>
          )}
          {invoice.note && (
            <>
              <dt>{t("detail.note")}</dt>
              <dd>{invoice.note}</dd>
            </>
          )}
        </dl>
        {invoice.credits_id && <RelatedLink id={invoice.credits_id} text="detail.credits" />}
        {invoice.credited_by && <RelatedLink id={invoice.credited_by} text="detail.creditedBy" />}
      </Card>
      <h2>{t("detail.lines")}</h2>
      <DataTable columns={columns} rows={invoice.lines} rowKey={(line) => line.id} />
      <dl className="billing-totals" data-testid="totals">
        <dt>{t("detail.net")}</dt>
        <dd>{money(invoice.net_total)}</dd>
        <dt>{t("detail.tax", { rate: fmt.number(Number(invoice.tax_rate)) })}</dt>
        <dd>{money(invoice.tax_total)}</dd>
        <dt>{t("detail.gross")}</dt>
        <dd>
          <strong>{money(invoice.gross_total)}</strong>
        </dd>
      </dl>
      {canManage ? <Actions invoice={invoice} /> : <p className="muted">{t("detail.readOnly")}</p>}
    </div>
  );
}

/** The credited invoice, or the credit note that cancels this one, by its number. */
function RelatedLink({ id, text }: { id: string; text: "detail.credits" | "detail.creditedBy" }) {
  const { t } = useTranslation("billing");
  const related = useInvoice(id);
  return (
    <p>
      <Link to="/admin/invoices/$invoiceId" params={{ invoiceId: id }} data-testid="related-invoice">
        {t(text, { number: related.data?.number ?? "…" })}
      </Link>
    </p>
  );
}

function Actions({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation("billing");
  const navigate = useNavigate();
  const [asked, setAsked] = useState<Action | null>(null);
  const act = useInvoiceAction(invoice.id);
  const remove = useDeleteDraft(invoice.id);
  const actions = actionsOf(invoice);
  const pending = act.isPending || remove.isPending;
  const error = act.error ?? remove.error;

  const confirm = () => {
    if (!asked) return;
    if (asked === "delete") {
      remove.mutate(undefined, {
        onSuccess: () => {
          toast({ title: t("done.delete"), tone: "success" });
          void navigate({ to: "/admin/invoices" });
        },
        onSettled: () => setAsked(null),
      });
      return;
    }
    const action = asked;
    act.mutate(action, {
      onSuccess: (result) => {
        toast({ title: t(`done.${action}`, { number: result?.number ?? "" }), tone: "success" });
        if (action === "credit" && result) void navigate({ to: "/admin/invoices/$invoiceId", params: { invoiceId: result.id } });
      },
      onSettled: () => setAsked(null),
    });
  };

  if (actions.length === 0) return null;
  return (
    <div className="billing-actions">
      {actions.map((action) => (
        <span key={action} className="billing-action">
          <Button
            variant={action === "issue" ? "primary" : action === "delete" || action === "void" ? "danger" : "secondary"}
            onClick={() => {
              act.reset();
              remove.reset();
              setAsked(action);
            }}
          >
            {t(`action.${action}`)}
          </Button>
          <HelpTooltip entry={HELP[action]} />
        </span>
      ))}
      {error && <Alert>{apiErrorText(error, t)}</Alert>}
      <Dialog
        open={asked !== null}
        onClose={() => setAsked(null)}
        title={asked ? t(`action.${asked}`) : ""}
        footer={
          <>
            <Button variant="ghost" onClick={() => setAsked(null)}>
              {t("confirm.cancel")}
            </Button>
            <Button variant={asked === "delete" || asked === "void" ? "danger" : "primary"} loading={pending} onClick={confirm} data-testid="confirm-action">
              {asked ? t(`action.${asked}`) : ""}
            </Button>
          </>
        }
      >
        {asked && <p>{t(`confirm.${asked}`)}</p>}
      </Dialog>
    </div>
  );
}

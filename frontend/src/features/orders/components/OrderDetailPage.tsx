import { Link, getRouteApi } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import type { ComponentType } from "react";
import { Badge, Button, Card, DataTable, Dialog, EmptyState, PageHeader, PageSpinner, StatusPill, Truncate } from "@/components/ui";
import type { Column } from "@/components/ui";
import { ApiError, errorMessage } from "@/lib/api";
import { useCan, useMe } from "@/lib/session";
import { useOrder } from "../api/get-order";
import type { OrderDetail, OrderLine } from "../api/get-order";
import { useOrdersLive } from "../api/use-orders-live";
import { LineBar, lineSummary } from "./OrderCard";
import { LineProgress } from "./LineProgress";
import { MediaPreview, galleryItem } from "./MediaPreview";
import { LineRenderAgain, OrderActions, availableActions } from "./OrderActions";
import { StepTimeline } from "./StepTimeline";
import { dateTime, displayStatus, lineProgress, outcomeCounts } from "./kanban";
import { historyItems } from "./history";
import { readJobDocument } from "@/lib/job-document";
import "./orders.css";
import { useTranslation } from "react-i18next";

const route = getRouteApi("/_app/orders/$orderId");

export interface OrderDetailPageProps {
  /**
   * A line's workflow run, live (src/app gives the workflows' run view). Offered to those who
   * trigger renders (project managers and above): clients see the steps only.
   */
  lineRun?: ComponentType<{ subjectId: string; noRun?: string }>;
}

/** /orders/$orderId: the order, its actions, history and every line with live progress. */
export function OrderDetailPage({ lineRun }: OrderDetailPageProps = {}) {
  const { t } = useTranslation("orders");
  const { orderId } = route.useParams();
  const order = useOrder(orderId);
  const live = useOrdersLive();
  const me = useMe().data;
  const canManage = useCan("reject_orders");
  const canSeeRuns = useCan("trigger_renders");

  if (order.isPending) return <PageSpinner label={t("detail.loading")} />;
  if (order.isError) {
    const notFound = order.error instanceof ApiError && (order.error.status === 404 || order.error.status === 422);
    return (
      <EmptyState
        title={notFound ? t("detail.notFound") : t("detail.loadError")}
        action={
          <Link to="/orders" className="ui-button ui-button--secondary">
            {t("detail.all")}
          </Link>
        }
      >
        {notFound ? t("detail.notYours") : errorMessage(order.error)}
      </EmptyState>
    );
  }
  const data = order.data;
  const progress = lineProgress({
    line_count: data.lines.length,
    line_status_counts: countStatuses(data.lines),
  });

  return (
    <>
      <PageHeader
        title={
          <span className="order-title">
            <span data-testid="order-number">{data.number}</span>
            <span data-testid="order-status" data-status={data.status} data-outcome={data.outcome ?? undefined}>
              <StatusPill {...displayStatus(data)} />
            </span>
          </span>
        }
        description={
          <>
            {data.title && <Truncate className="order-title__text" text={data.title} />}
            <span className="muted">
              {data.created_by_name ? t("detail.by", { name: data.created_by_name }) : ""}
              {t("detail.created", { date: dateTime(data.created_at) })}
              {data.submitted_at && t("detail.submitted", { date: dateTime(data.submitted_at) })}
              {data.completed_at && t("detail.finished", { date: dateTime(data.completed_at) })}
            </span>
          </>
        }
        actions={
          <Link to="/orders" className="ui-button ui-button--ghost">
            {t("detail.all")}
          </Link>
        }
      />
      <span hidden data-testid="live-status" data-live={live} />

      {data.status === "rejected" && data.rejection_reason && (
        <div className="rejection" role="alert" data-testid="rejection">
          <strong>{data.rejected_at ? t("detail.rejectedOn", { date: dateTime(data.rejected_at) }) : t("detail.rejected")}</strong>{" "}
          <span data-testid="rejection-reason">{data.rejection_reason}</span>
          <div className="rejection__hint">
            {t("detail.rejectedHint")}
          </div>
        </div>
      )}

      <div className="order-top">
        <OrderActions order={data} />
        {data.lines.length > 0 && (
          <div className="order-progress">
            <LineBar progress={progress} />
            <span className="muted" data-testid="line-summary">
              {lineSummary(progress)}
            </span>
            {data.outcome && (
              <span className="order-outcome" data-testid="outcome-counts" data-outcome={data.outcome}>
                {outcomeCounts(progress)}
              </span>
            )}
          </div>
        )}
      </div>

      {data.notes && (
        <Card title={t("detail.notes")} className="order-notes">
          <p className="pre">{data.notes}</p>
        </Card>
      )}

      <Card title={t("detail.lines", { count: data.lines.length })} flush className="order-lines">
        {data.lines.length === 0 ? (
          <div className="ui-card__body muted">{t("detail.noLines")}</div>
        ) : (
          <LinesTable
            lines={data.lines}
            LineRun={canSeeRuns ? lineRun : undefined}
            draft={data.status === "draft" ? { orderId: data.id, canChange: availableActions(data, { id: me?.id, canManage }).renderAgain } : null}
          />
        )}
      </Card>

      <History order={data} />
    </>
  );
}

function countStatuses(lines: readonly OrderLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) counts[line.render_status] = (counts[line.render_status] ?? 0) + 1;
  return counts;
}

/**
 * The order's lines (a `DataTable`: cards with a label per value on a narrow screen); a line's
 * steps open under it. `draft`: the order is a draft; its finished lines say whether the next
 * submit renders them.
 */
function LinesTable({
  lines,
  draft,
  LineRun,
}: {
  lines: OrderLine[];
  draft: { orderId: string; canChange: boolean } | null;
  LineRun?: OrderDetailPageProps["lineRun"];
}) {
  const { t } = useTranslation("orders");
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const [runOf, setRunOf] = useState<OrderLine | null>(null);
  const closeRun = useCallback(() => setRunOf(null), []); // stable: the dialog keeps its focus
  const gallery = useMemo(
    () => lines.flatMap((l) => galleryItem(l.media ?? [], `${l.product_name} · ${l.output_type_name}`) ?? []),
    [lines],
  );
  const flip = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const columns: Array<Column<OrderLine>> = [
    {
      key: "steps",
      header: <span className="sr-only">{t("lines.details")}</span>,
      label: "",
      width: "36px",
      render: (line) => (
        <Button
          size="sm"
          variant="ghost"
          aria-expanded={open.has(line.id)}
          aria-label={t(open.has(line.id) ? "lines.hide" : "lines.show", { name: `${line.product_name} · ${line.output_type_name}` })}
          onClick={() => flip(line.id)}
        >
          {open.has(line.id) ? "▾" : "▸"}
        </Button>
      ),
    },
    {
      key: "product",
      header: t("lines.product"),
      shrink: true,
      render: (line) => (
        <>
          <Truncate as="div" text={line.product_name} />
          <Link to="/products/$productId" params={{ productId: line.product_id }} title={t("lines.openProduct")}>
            <code className="muted">{line.product_pim_id}</code>
          </Link>
        </>
      ),
    },
    {
      key: "output-type",
      header: t("lines.outputType"),
      render: (line) => (
        <>
          <div>{line.output_type_name}</div>
          <Badge>{line.kind}</Badge>
        </>
      ),
    },
    {
      key: "status",
      header: t("lines.status"),
      render: (line) => (
        <>
          <LineStatus line={line} draft={draft} />
          {LineRun && (
            <Button
              size="sm"
              variant="ghost"
              className="line-workflow"
              onClick={() => setRunOf(line)}
              aria-label={t("lines.workflowOf", { name: `${line.product_name} · ${line.output_type_name}` })}
            >
              {t("lines.workflow")}
            </Button>
          )}
        </>
      ),
    },
    {
      key: "media",
      header: t("lines.media"),
      render: (line) =>
        line.media && line.media.length > 0 ? (
          <MediaPreview media={line.media} name={`${line.product_name} · ${line.output_type_name}`} gallery={gallery} />
        ) : (
          <span className="muted">{line.render_status === "completed" ? t("lines.noFiles") : "—"}</span>
        ),
    },
  ];
  return (
    <>
      <DataTable
        caption={t("lines.caption")}
        className="lines-table"
        flush
        columns={columns}
        rows={lines}
        rowKey={(line) => line.id}
        rowAttributes={(line) => ({ "data-testid": "order-line", "data-line-id": line.id, "data-render-status": line.render_status })}
        detail={(line) => (open.has(line.id) ? <StepTimeline doc={readJobDocument(line.job_document)} kind={line.kind} /> : null)}
      />
      {LineRun && runOf && (
        <Dialog
          open
          wide
          onClose={closeRun}
          title={t("lines.workflowTitle", { name: `${runOf.product_name} · ${runOf.output_type_name}` })}
          footer={<Button onClick={closeRun}>{t("lines.close")}</Button>}
        >
          <LineRun subjectId={runOf.id} noRun={t("lines.noRun")} />
        </Dialog>
      )}
    </>
  );
}

/** A line's status, what it is doing or why it stopped, and (in a draft) whether it renders again. */
function LineStatus({ line, draft }: { line: OrderLine; draft: { orderId: string; canChange: boolean } | null }) {
  const doc = readJobDocument(line.job_document);
  const note =
    doc.steps.find((s) => s.status !== "completed" && s.message)?.message ?? doc.steps.find((s) => s.message?.startsWith("waiting"))?.message;
  return (
    <>
      <span data-testid="line-status">
        <StatusPill status={line.render_status} />
      </span>
      <LineProgress line={line} />
      {line.render_status !== "completed" && !line.queue && !(line.render_status === "running" && line.progress) && (note || doc.error) && (
        <div className={doc.error ? "line-note line-note--error" : "line-note"}>{doc.error ?? note}</div>
      )}
      {draft && <LineRenderAgain orderId={draft.orderId} line={line} canChange={draft.canChange} />}
    </>
  );
}

function History({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("orders");
  const me = useMe().data;
  const items = historyItems(order, me?.id);
  if (items.length === 0) return null;
  return (
    <Card title={t("detail.history")} className="order-history">
      <ol className="history" data-testid="history">
        {items.map((item, index) => (
          <li key={`${item.at}-${index}`} data-transition={item.kind}>
            <span className="history__what">
              {item.what} <span className="muted">{t("history.by", { who: item.who })}</span>
              {item.details && <span className="history__details muted"> · {item.details}</span>}
            </span>
            <span className="history__when muted">{dateTime(item.at)}</span>
            {item.reason && <div className="history__reason">“{item.reason}”</div>}
          </li>
        ))}
      </ol>
    </Card>
  );
}

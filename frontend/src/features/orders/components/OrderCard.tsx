import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { StatusPill, Truncate } from "@/components/ui";
import { useTenantView } from "@/lib/session";
import { displayStatus, lineProgress, progressSegments, shortDate } from "./kanban";
import type { LineProgress, OrderSummary } from "./kanban";
import { i18n } from "@/i18n";

/** A card on the board: number, title, creator, how its lines stand (and, when some failed or were
 * cancelled, that it completed with failures), created date. */
export function OrderCard({ order }: { order: OrderSummary }) {
  const { t } = useTranslation("orders"); // also renders lineSummary's words again on a switch
  const progress = lineProgress(order);
  const { overview, tenantName } = useTenantView(); // a global admin's "All tenants": whose order
  return (
    <Link
      to="/orders/$orderId"
      params={{ orderId: order.id }}
      className="order-card"
      data-testid="order-card"
      data-order-number={order.number}
    >
      <div className="order-card__top">
        <span className="order-card__number">{order.number}</span>
        <span className="order-card__date">{shortDate(order.created_at)}</span>
      </div>
      {order.title ? (
        <Truncate as="div" className="order-card__title" text={order.title} />
      ) : (
        <div className="order-card__title">
          <span className="muted">{t("card.untitled")}</span>
        </div>
      )}
      {overview && (
        <Truncate as="div" className="order-card__tenant" text={tenantName(order.tenant_id)} />
      )}
      {order.created_by_name && <div className="order-card__creator">{order.created_by_name}</div>}
      {order.outcome === "completed_with_failures" && (
        <span className="order-card__outcome" data-testid="order-outcome" data-outcome={order.outcome}>
          <StatusPill {...displayStatus(order)} />
        </span>
      )}
      <LineBar progress={progress} />
      <div className="order-card__counts" data-testid="order-counts">
        {lineSummary(progress)}
      </div>
    </Link>
  );
}

export function lineSummary(progress: LineProgress): string {
  if (progress.total === 0) return i18n.t("orders:summary.noLines");
  const parts = [i18n.t("orders:summary.lines", { count: progress.total })];
  if (progress.completed) parts.push(i18n.t("orders:summary.done", { count: progress.completed }));
  if (progress.running) parts.push(i18n.t("orders:summary.rendering", { count: progress.running }));
  if (progress.failed) parts.push(i18n.t("orders:summary.failed", { count: progress.failed }));
  if (progress.cancelled) parts.push(i18n.t("orders:summary.cancelled", { count: progress.cancelled }));
  return parts.join(" · ");
}

/** A thin bar: completed (green), failed (red), running (amber) over all lines. */
export function LineBar({ progress }: { progress: LineProgress }) {
  const { t } = useTranslation("orders");
  const seg = progressSegments(progress);
  if (progress.total === 0) return null;
  return (
    <div
      className="line-bar"
      role="img"
      aria-label={t("summary.bar", { completed: progress.completed, total: progress.total, failed: progress.failed, running: progress.running })}
    >
      <span className="line-bar__completed" style={{ width: `${seg.completed}%` }} />
      <span className="line-bar__failed" style={{ width: `${seg.failed}%` }} />
      <span className="line-bar__running" style={{ width: `${seg.running}%` }} />
    </div>
  );
}

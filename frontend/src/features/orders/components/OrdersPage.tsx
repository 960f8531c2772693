import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Alert, Button, DisabledAction, PageHeader, PageSpinner, StatusPill, statusLabel } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCan, useTenantView } from "@/lib/session";
import { useOrdersKanban } from "../api/list-orders-kanban";
import { useOrdersLive } from "../api/use-orders-live";
import { OrderCard } from "./OrderCard";
import { arrangeBoard } from "./kanban";
import type { KanbanColumn } from "./kanban";
import "./orders.css";
import { useTranslation } from "react-i18next";

/** /orders: the board, one column per status, live while lines render. */
export function OrdersPage() {
  const { t, i18n } = useTranslation("orders");
  const board = useOrdersKanban();
  const canCreate = useCan("create_own_orders");
  const canSeeAll = useCan("view_tenant_orders");
  const { overview } = useTenantView(); // a global admin's "All tenants": ordering needs a tenant
  useOrdersLive();
  const [showSide, setShowSide] = useState(false);

  const arranged = board.data ? arrangeBoard(board.data.columns) : null;
  const total = arranged ? [...arranged.columns, ...arranged.side].reduce((sum, c) => sum + c.count, 0) : 0;

  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={
          overview ? t("list.descriptionAll") : canSeeAll ? t("list.descriptionTeam") : t("list.descriptionOwn")
        }
        actions={
          canCreate &&
          (overview ? (
            <DisabledAction reason={t("list.pickTenant")}>{t("list.new")}</DisabledAction>
          ) : (
            <Link to="/orders/new" className="ui-button ui-button--primary">
              {t("list.new")}
            </Link>
          ))
        }
      />
      {board.isPending && <PageSpinner label={t("list.loading")} />}
      {board.isError && <Alert>{errorMessage(board.error)}</Alert>}
      {arranged && (
        <>
          {total === 0 && (
            <Alert tone="info">
              {t("list.none")} {canCreate ? t("list.start") : ""}
            </Alert>
          )}
          <div className="kanban" data-testid="kanban">
            {arranged.columns.map((column) => (
              <KanbanLane key={column.status} column={column} />
            ))}
            {arranged.side.map((column) =>
              showSide ? (
                <KanbanLane key={column.status} column={column} onCollapse={() => setShowSide(false)} />
              ) : (
                <button
                  key={column.status}
                  type="button"
                  className="kanban__collapsed"
                  onClick={() => setShowSide(true)}
                  aria-label={t("list.show", { status: i18n.language === "de" ? statusLabel(column.status) : column.status, count: column.count })}
                  data-status={column.status}
                >
                  <span className="kanban__collapsed-label">{statusLabel(column.status)}</span>
                  <span className="kanban__count">{column.count}</span>
                </button>
              ),
            )}
          </div>
        </>
      )}
    </>
  );
}

function KanbanLane({ column, onCollapse }: { column: KanbanColumn; onCollapse?: () => void }) {
  const { t } = useTranslation("orders");
  const hidden = column.count - column.orders.length;
  return (
    <section className="kanban__column" aria-label={t("list.lane", { status: statusLabel(column.status) })} data-status={column.status}>
      <header className="kanban__header">
        <StatusPill status={column.status} />
        <span className="kanban__count" data-testid={`count-${column.status}`}>
          {column.count}
        </span>
        {onCollapse && (
          <Button variant="ghost" size="sm" onClick={onCollapse} aria-label={t("list.collapse")}>
            ‹
          </Button>
        )}
      </header>
      <div className="kanban__cards">
        {column.orders.length === 0 ? (
          <p className="kanban__empty">{t("list.empty")}</p>
        ) : (
          column.orders.map((order) => <OrderCard key={order.id} order={order} />)
        )}
        {hidden > 0 && <p className="kanban__more">{t("list.older", { count: hidden })}</p>}
      </div>
    </section>
  );
}

import { Link, getRouteApi } from "@tanstack/react-router";
import { useCallback, useMemo } from "react";
import { Alert, EmptyState, PageSpinner, statusLabel } from "@/components/ui";
import { ApiError, errorMessage } from "@/lib/api";
import { useOrder } from "../api/get-order";
import { OrderWizard } from "./OrderWizard";
import { wizardFromDraft, wizardKey } from "./wizard-state";
import type { Step } from "./wizard-state";
import { useTranslation } from "react-i18next";

const route = getRouteApi("/_app/orders/$orderId/edit");

/** /orders/$orderId/edit?step=: a draft (new, or back from a rejection) in the order wizard. */
export function EditOrderPage() {
  const { t } = useTranslation("orders");
  const { orderId } = route.useParams();
  const { step } = route.useSearch();
  const navigate = route.useNavigate();
  const order = useOrder(orderId);
  const onStep = useCallback((next: Step, replace = false) => void navigate({ search: { step: next }, replace }), [navigate]);
  const initial = useMemo(() => (order.data ? wizardFromDraft(order.data) : null), [order.data]);

  if (order.isPending) return <PageSpinner />;
  if (order.isError) {
    if (order.error instanceof ApiError && order.error.status === 404) {
      return <EmptyState title={t("edit.notFound")}>{t("edit.notFoundBody")}</EmptyState>;
    }
    return <Alert>{errorMessage(order.error)}</Alert>;
  }
  if (order.data.status !== "draft" || !initial) {
    return (
      <EmptyState title={t("edit.notDraft", { number: order.data.number, status: statusLabel(order.data.status) })}>
        {t("edit.onlyDrafts")}{" "}
        <Link to="/orders/$orderId" params={{ orderId }}>
          {t("edit.back")}
        </Link>
      </EmptyState>
    );
  }
  return (
    <OrderWizard
      key={order.data.id}
      storageKey={wizardKey(orderId)}
      initial={initial}
      step={step}
      onStep={onStep}
      draft={order.data}
      onCancel={() => void navigate({ to: "/orders/$orderId", params: { orderId } })}
    />
  );
}

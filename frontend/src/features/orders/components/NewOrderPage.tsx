import { getRouteApi } from "@tanstack/react-router";
import { useCallback } from "react";
import { OrderWizard } from "./OrderWizard";
import { EMPTY_WIZARD, wizardKey } from "./wizard-state";
import type { Step } from "./wizard-state";

const route = getRouteApi("/_app/orders/new");

/** /orders/new?step=: the order wizard for a new order (kept in this tab until saved or discarded). */
export function NewOrderPage() {
  const { step } = route.useSearch();
  const navigate = route.useNavigate();
  const onStep = useCallback((next: Step, replace = false) => void navigate({ search: { step: next }, replace }), [navigate]);
  return (
    <OrderWizard
      storageKey={wizardKey()}
      initial={EMPTY_WIZARD}
      step={step}
      onStep={onStep}
      onCancel={() => void navigate({ to: "/orders" })}
    />
  );
}

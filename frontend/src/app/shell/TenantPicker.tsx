import { useRouter, useRouterState } from "@tanstack/react-router";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { usePickTenant, useTenantView } from "@/lib/session";
import { ALL_TENANTS, pathAfterSwitch, pickOf, pickerOptions } from "./tenant-picker";

/**
 * A global admin's tenant: "All tenants" (a read-only overview) or one tenant, which every action
 * then acts in. The pick survives a reload (lib/tenant-scope.ts).
 */
export function TenantPicker() {
  const { t } = useTranslation("shell");
  const view = useTenantView();
  const pick = usePickTenant();
  const router = useRouter();
  const path = useRouterState({ select: (state) => state.location.pathname });
  const id = useId();
  const value = view.tenantId ?? ALL_TENANTS;
  const options = pickerOptions(view.tenants);
  // Until the tenants are loaded the stored pick has no option of its own: show it by id.
  if (!options.some((option) => option.value === value)) options.push({ value, label: t("tenantLoading") });

  return (
    <span className="shell__picker">
      <label htmlFor={id} className="sr-only">
        {t("tenant")}
      </label>
      <select
        id={id}
        className="shell__picker-select"
        value={value}
        data-overview={view.overview || undefined}
        title={view.overview ? t("overviewHint") : undefined}
        onChange={(event) => {
          pick(pickOf(event.target.value));
          const next = pathAfterSwitch(path);
          if (next !== path) router.history.push(next);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </span>
  );
}

/** Instead of a page that creates something in a tenant, while a global admin looks at All tenants. */
export function TenantNeeded({ action }: { action: string }) {
  const { t } = useTranslation("shell");
  return (
    <div className="ui-empty" role="status" data-testid="tenant-needed">
      <p className="ui-empty__title">{t(`tenantNeeded.${action}`)}</p>
      <p className="ui-empty__body">
        {t("tenantNeeded.body")}
      </p>
    </div>
  );
}

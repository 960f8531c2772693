/**
 * The API's 422s at the field they are about: `invalid_setting` carries the setting's limits in
 * `details`; request validation (`validation_error`) and `invalid_tenant_config` carry a list of
 * `{loc, msg}` whose last `loc` part is the field.
 */
import type { TFunction } from "i18next";
import { formatNumber } from "@/i18n/format";
import { ApiError, errorMessage } from "@/lib/api";

interface Limits {
  minimum?: number | null;
  maximum?: number | null;
  choices?: unknown[] | null;
}

/** A message for a setting's field, in the UI's language where the API said what is allowed. */
export function settingErrorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError && error.code === "invalid_setting") {
    const limits = (error.details ?? {}) as Limits;
    if (limits.choices?.length) return t("settings:invalid.choice", { choices: limits.choices.join(", ") });
    if (limits.minimum != null && limits.maximum != null) {
      return t("settings:invalid.range", { min: formatNumber(limits.minimum), max: formatNumber(limits.maximum) });
    }
  }
  return apiErrorText(error, t);
}

/** The error's message from the errors catalogue by its code, else the API's own. */
export function apiErrorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) return t(`errors:${error.code}`, { defaultValue: error.message });
  return errorMessage(error);
}

/** Field name -> the API's message, for the 422s that name fields (empty for anything else). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 422 || !Array.isArray(error.details)) return {};
  const out: Record<string, string> = {};
  for (const detail of error.details as Array<{ loc?: unknown[]; msg?: string }>) {
    const field = detail.loc?.filter((part) => typeof part === "string" && !/^\d+$/.test(part)).at(-1);
    if (typeof field === "string" && !(field in out)) out[field] = detail.msg ?? "";
  }
  return out;
}

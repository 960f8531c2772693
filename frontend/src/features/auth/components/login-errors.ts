import { i18n } from "@/i18n";
import { ApiError, errorMessage } from "@/lib/api";

/** Plain words for what went wrong at login; `retryAfterS` when the server asks us to wait. */
export function describeLoginError(error: unknown): { message: string; retryAfterS: number | null } {
  if (!(error instanceof ApiError)) return { message: i18n.t("auth:errors.generic"), retryAfterS: null };
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    return {
      message: wait
        ? i18n.t("auth:errors.tooManyWait", { wait: formatWait(wait) })
        : i18n.t("auth:errors.tooMany"),
      retryAfterS: wait,
    };
  }
  if (error.code === "invalid_credentials") return { message: i18n.t("auth:errors.wrong"), retryAfterS: null };
  if (error.status === 422) return { message: i18n.t("auth:errors.missing"), retryAfterS: null };
  return { message: errorMessage(error), retryAfterS: null };
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return i18n.t("auth:wait.seconds", { count: seconds });
  return i18n.t("auth:wait.minutes", { count: Math.ceil(seconds / 60) });
}

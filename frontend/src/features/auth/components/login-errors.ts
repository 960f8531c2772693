import { ApiError, errorMessage } from "@/lib/api";

/** Plain words for what went wrong at login; `retryAfterS` when the server asks us to wait. */
export function describeLoginError(error: unknown): { message: string; retryAfterS: number | null } {
  if (!(error instanceof ApiError)) return { message: "Something went wrong. Try again.", retryAfterS: null };
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    return {
      message: wait
        ? `Too many failed attempts. Try again in ${formatWait(wait)}.`
        : "Too many failed attempts. Try again later.",
      retryAfterS: wait,
    };
  }
  if (error.code === "invalid_credentials") return { message: "Wrong e-mail or password.", retryAfterS: null };
  if (error.status === 422) return { message: "Enter your e-mail address and your password.", retryAfterS: null };
  return { message: errorMessage(error), retryAfterS: null };
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

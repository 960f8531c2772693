import { useTranslation } from "react-i18next";
import { ApiError, errorMessage } from "@/lib/api";

/** An API error in the UI's language when the "errors" catalogue knows its code, else the server's words. */
export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation("errors");
  return (error: unknown) =>
    error instanceof ApiError && i18n.exists(`errors:${error.code}`) ? t(`errors:${error.code}`) : errorMessage(error);
}

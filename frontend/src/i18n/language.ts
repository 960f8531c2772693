import { useTranslation } from "react-i18next";
import { DEFAULT_LANGUAGE, isLanguage } from "./index";
import type { Language } from "./index";

/**
 * The UI's language, and a subscription to it: the calling component renders again when the user
 * switches. For components whose words come from plain functions that read the language
 * themselves (labels, summaries, `i18n.t("<ns>:<key>")`, formatters): without a subscription they
 * keep the old language until something else renders them.
 */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

/**
 * The help registry of `GET /api/help` (src/automat/help): one entry per setting, parameter, field
 * and action, keyed like `setting.max_upload_mb`, in the UI's language (`?lang=en|de`). Loaded once
 * per session and language and kept (it changes only with a deploy; the server answers 304 to the
 * browser's If-None-Match when it has not); switching the language loads the other catalogue.
 */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Language } from "@/i18n";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { useLanguage } from "@/lib/language";

export type HelpEntry = Schemas["HelpEntry"];
export type HelpCatalogue = Schemas["HelpCatalogue"];

export const helpQueryOptions = (lang: Language) =>
  queryOptions({
    queryKey: ["help", lang] as const,
    queryFn: () => unwrap(api.GET("/api/help", { params: { query: { lang } } })),
    staleTime: 30 * 60_000,
    gcTime: Infinity,
  });

/** One entry in the UI's language (undefined while loading or when the key is unknown). */
export function useHelpEntry(key: string): HelpEntry | undefined {
  const help = useQuery(helpQueryOptions(useLanguage()));
  return help.data?.entries[key];
}

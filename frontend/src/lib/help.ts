/**
 * The help registry of `GET /api/help` (src/automat/help): one entry per setting, parameter, field
 * and action, keyed like `setting.max_upload_mb`. Loaded once per session and kept (it changes
 * only with a deploy; the server answers 304 to the browser's If-None-Match when it has not).
 */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type HelpEntry = Schemas["HelpEntry"];
export type HelpCatalogue = Schemas["HelpCatalogue"];

export const helpQueryOptions = () =>
  queryOptions({
    queryKey: ["help"] as const,
    queryFn: () => unwrap(api.GET("/api/help")),
    staleTime: 30 * 60_000,
    gcTime: Infinity,
  });

/** One entry (undefined while loading or when the key is unknown). */
export function useHelpEntry(key: string): HelpEntry | undefined {
  const help = useQuery(helpQueryOptions());
  return help.data?.entries[key];
}

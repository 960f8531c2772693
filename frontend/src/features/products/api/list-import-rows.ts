import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type ImportRowStatus = Schemas["ImportRowStatus"];

/** Rows per request (the API's most). */
export const ROWS_PAGE_SIZE = 200;

/** An import's row log, page after page (of one status, when given), in row order. */
export const importRowsQueryOptions = (importId: string, status?: ImportRowStatus) =>
  infiniteQueryOptions({
    queryKey: ["imports", importId, "rows", { status: status ?? "all" }],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/imports/{import_id}/rows", {
          params: {
            path: { import_id: importId },
            query: { status, cursor: pageParam ?? undefined, page_size: ROWS_PAGE_SIZE },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });

export const useImportRows = (importId: string, status?: ImportRowStatus) =>
  useInfiniteQuery(importRowsQueryOptions(importId, status));
